"""A Markdown report: summary, counts, then each claim with its status and the evidence quoted."""

from __future__ import annotations

from factcheck.models import ClaimCheck, Report
from factcheck.redact import printable_model

HEADINGS = {
    "discrepancy": "Discrepancies",
    "unsupported": "Unsupported additions",
    "agreement": "Agreements",
}
VERDICT_WORD = {
    "supports": "supports",
    "contradicts": "contradicts",
    "not_mentioned": "does not mention this",
}


def _quote(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


def render_claim(check: ClaimCheck) -> list[str]:
    who = f" ({check.speaker})" if check.speaker else ""
    lines = [
        f"- **{check.source}** [{check.kind}{who}]: {_quote(check.text)}",
        f"  - quote: “{_quote(check.quote)}” (chars {check.start}–{check.end})",
    ]
    for ev in check.evidence:
        quote = f": “{_quote(ev.quote)}”" if ev.quote else ""
        reason = f" — {ev.reason}" if ev.reason and ev.verdict != "supports" else ""
        lines.append(f"  - {ev.source} {VERDICT_WORD[ev.verdict]}{quote}{reason}")
    return lines


def render_markdown(report: Report) -> str:
    report = printable_model(report)  # no escape sequences or bidi overrides from article text
    s = report.stats
    out = ["# Fact-check report", ""]
    out.append(
        "Sources: "
        + ", ".join(
            f"**{src.id}**" + (f" — {src.title}" if src.title else "") for src in report.sources
        )
    )
    out += [
        "",
        f"Engine: `{report.engine}` · {s.claims} claims: {s.agreement} agreements, "
        f"{s.discrepancy} discrepancies, {s.unsupported} unsupported · {s.seconds:.1f} s",
        "",
    ]
    out += ["## Neutral summary", ""]
    for sentence in report.summary.sentences:
        cited = f" _({', '.join(sentence.sources)})_" if sentence.sources else ""
        out.append(f"- {sentence.text}{cited}")
    out += ["", "## Per source", ""]
    for source_id, text in report.source_summaries.items():
        out.append(f"- **{source_id}**: {text}")
    for status, heading in HEADINGS.items():
        claims = report.claims_with(status)  # type: ignore[arg-type]
        out += ["", f"## {heading} ({len(claims)})", ""]
        for check in claims:
            out += render_claim(check)
        if not claims:
            out.append("_None._")
    return "\n".join(out) + "\n"
