"""A Markdown report: summary, counts, then each claim with its status and the evidence quoted."""

from __future__ import annotations

from factcheck.models import ClaimCheck, Report
from factcheck.redact import printable_model
from factcheck.render.statuses import ORDER, claim_count, tally, verdict_words, words


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
        lines.append(f"  - {ev.source} {verdict_words(ev.verdict)[1]}{quote}{reason}")
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
        f"Engine: `{report.engine}` · {claim_count(s.claims)}: {tally(s)} · {s.seconds:.1f} s",
        "",
    ]
    for warning in report.warnings:
        out += [f"> **Warning:** {_quote(warning)}", ""]
    out += ["## Neutral summary", ""]
    for sentence in report.summary.sentences:
        cited = f" _({', '.join(sentence.sources)})_" if sentence.sources else ""
        out.append(f"- {sentence.text}{cited}")
    out += ["", "## Per source", ""]
    for source_id, text in report.source_summaries.items():
        out.append(f"- **{source_id}**: {text}")
    for status in ORDER:
        claims = report.claims_with(status)  # type: ignore[arg-type]
        out += ["", f"## {words(status).heading} ({len(claims)})", ""]
        for check in claims:
            out += render_claim(check)
        if not claims:
            out.append("_None._")
    return "\n".join(out) + "\n"
