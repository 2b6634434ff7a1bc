"""A compact plain-text answer for agents and chat: the counts, the summary and the top findings.

It never exceeds `limit` characters (2,000 by default), however many claims the report has: an
agent's context is small, and the full report is one `--format` away.
"""

from __future__ import annotations

from factcheck.models import ClaimCheck, Report
from factcheck.redact import printable_model
from factcheck.render.statuses import claim_count, tally, words

MAX_CHARS = 2000
TOP = 5  # findings of each status, by confidence
QUOTE_CHARS = 120
SUMMARY_CHARS = 600
ADDITIONS_RESERVE = 300  # room kept for the unsupported additions after the discrepancies


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _discrepancy(claim: ClaimCheck) -> str:
    others = [
        f"{ev.source}: “{_clip(ev.quote or '(no quote)', QUOTE_CHARS)}”"
        + (f" ({_clip(ev.reason, QUOTE_CHARS)})" if ev.reason else "")
        for ev in claim.evidence
        if ev.verdict == "contradicts"
    ]
    return f"- {claim.source}: “{_clip(claim.quote, QUOTE_CHARS)}” vs " + "; ".join(others)


def _addition(claim: ClaimCheck) -> str:
    return f"- only {claim.source}: “{_clip(claim.quote, QUOTE_CHARS)}”"


def render_brief(report: Report, limit: int = MAX_CHARS, top: int = TOP) -> str:
    """Counts, neutral summary, top discrepancies and additions; what does not fit is counted."""
    report = printable_model(report)
    s = report.stats
    names = ", ".join(src.id for src in report.sources)
    summary = report.summary.text or " ".join(x.text for x in report.summary.sentences)
    lines = [
        _clip(
            f"Fact-check of {len(report.sources)} sources ({names}): {claim_count(s.claims)}", 300
        )
        + f"; {tally(s)}.",
        *(_clip(f"Warning: {w}", 300) for w in report.warnings[:2]),
        _clip(f"Neutral summary: {summary or '(none)'}", SUMMARY_CHARS),
    ]
    sections = [
        ("discrepancy", _discrepancy, ADDITIONS_RESERVE if report.unsupported else 0),
        ("unsupported", _addition, 0),
    ]
    for status, line_of, reserve in sections:
        claims = sorted(report.claims_with(status), key=lambda c: -c.confidence)  # type: ignore[arg-type]
        if not claims:
            continue
        w = words(status)
        lines.append(f"{w.heading} ({len(claims)}):")
        shown = 0
        for claim in claims[:top]:
            line = line_of(claim)
            room = limit - reserve - len("\n".join(lines)) - 60  # 60: the "more" line
            if len(line) + 1 > room:
                break
            lines.append(line)
            shown += 1
        if shown < len(claims):
            rest = len(claims) - shown
            lines.append(f"- …and {rest} more {w.noun(rest)}")
    return _clip_lines("\n".join(lines), limit)


def _clip_lines(text: str, limit: int) -> str:
    """The last guard of the bound: cut at a line end when the text is still too long."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut[: cut.rfind("\n")] if "\n" in cut else cut) + "…"
