"""Slack Block Kit for a Report, kept inside Slack's limits; the full report goes in the attachment."""

from __future__ import annotations

from typing import Any

from factcheck.models import ClaimCheck, Report
from factcheck.redact import printable_model
from factcheck.render.statuses import ORDER, claim_count, tally, words

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_QUOTE_CHARS = 600
TOP_DISCREPANCIES = 5
TOP_UNSUPPORTED = 5
ATTACHMENT_POINTER = "_The full report is in the attached Markdown file._"

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's mrkdwn escaping: &, < and > would otherwise start links and mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_CHARS)}}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER_CHARS)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 3000)}]}


def source_labels(report: Report) -> dict[str, str]:
    """Each source id -> the outlet (or title) readers know it by, with the id when they differ."""
    labels = {}
    for src in report.sources:
        name = src.outlet or src.title
        labels[src.id] = f"{name} ({src.id})" if name and name != src.id else src.id
    return labels


def _quote(text: str) -> str:
    return "> " + escape(clip(" ".join(text.split()), MAX_QUOTE_CHARS))


def discrepancy_text(check: ClaimCheck, labels: dict[str, str]) -> str:
    lines = [f"*{escape(labels.get(check.source, check.source))}* says:", _quote(check.quote)]
    for ev in check.evidence:
        if ev.verdict != "contradicts":
            continue
        lines.append(f"*{escape(labels.get(ev.source, ev.source))}* says otherwise:")
        lines.append(_quote(ev.quote or "(no quote)"))
        if ev.reason:
            lines.append(f"_{escape(ev.reason)}_")
    return "\n".join(lines)


def unsupported_text(check: ClaimCheck, labels: dict[str, str]) -> str:
    return "\n".join(
        [f"Only *{escape(labels.get(check.source, check.source))}*:", _quote(check.quote)]
    )


def _count(n: int, status: str) -> str:
    """'*1* agreement', '*3* agreements': the number in bold."""
    return f"*{n}* {words(status).noun(n)}"


def summary_blocks(report: Report) -> list[Block]:
    s = report.stats
    labels = source_labels(report)
    summary = "\n".join(f"• {escape(x.text)}" for x in report.summary.sentences) or escape(
        report.summary.text or "(no summary)"
    )
    return [
        header(f"Fact-check of {len(report.sources)} sources"),
        context("Sources: " + ", ".join(escape(label) for label in labels.values())),
        *(section(f":warning: *Warning:* {escape(w)}") for w in report.warnings[:3]),
        section(f"*Neutral summary*\n{summary}"),
        section(
            "   ".join(f"{words(x).emoji} {_count(getattr(s, x), x)}" for x in ORDER)
            + f"   ({claim_count(s.claims)}, {s.seconds:.0f} s, engine `{escape(report.engine)}`)"
        ),
    ]


def render_blocks(
    report: Report,
    *,
    top_discrepancies: int = TOP_DISCREPANCIES,
    top_unsupported: int = TOP_UNSUPPORTED,
    max_blocks: int = MAX_BLOCKS,
) -> list[Block]:
    """The report as Block Kit: summary, counts, top discrepancies (both quotes), unsupported additions."""
    report = printable_model(report)
    labels = source_labels(report)
    blocks = summary_blocks(report)
    cut = False
    discrepancies = sorted(report.claims_with("discrepancy"), key=lambda c: -c.confidence)
    unsupported = sorted(report.claims_with("unsupported"), key=lambda c: -c.confidence)
    for title, claims, top, text in (
        (f"Top {words('discrepancy').plural}", discrepancies, top_discrepancies, discrepancy_text),
        (words("unsupported").heading, unsupported, top_unsupported, unsupported_text),
    ):
        if not claims:
            continue
        blocks += [{"type": "divider"}, header(f"{title} ({len(claims)})")]
        blocks += [section(text(check, labels)) for check in claims[:top]]
        cut = cut or len(claims) > top
    if len(blocks) > max_blocks - 1:
        blocks = blocks[: max_blocks - 1]
        cut = True
    pointer = "Showing the top items only. " if cut else ""
    blocks.append(context(pointer + ATTACHMENT_POINTER))
    return blocks


def render_fallback(report: Report) -> str:
    """The plain `text` Slack shows in notifications and where blocks cannot be shown."""
    return f"Fact-check of {len(report.sources)} sources: {tally(report.stats)}."
