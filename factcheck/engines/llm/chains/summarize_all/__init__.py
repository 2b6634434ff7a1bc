"""The joint-summary chain: the comparison's results in, a neutral multi-source summary out.

Not run when there is nothing to summarise jointly (no claim any other source supports or
contradicts): the deterministic summary says that as well as a model would, for no call.
"""

from __future__ import annotations

from typing import Any

from factcheck.engines.llm.chains import Chain
from factcheck.engines.llm.chains.summarize_all.schema import JointSummary, SummaryPoint
from factcheck.engines.llm.text import escape
from factcheck.models import Article, ClaimCheck

CHAIN = Chain("summarize_all", JointSummary)
MAX_COMPARISON_LINES = 20
MAX_POINTS = 8
TOKENS_PER_POINT = 90

__all__ = ["CHAIN", "JointSummary", "SummaryPoint", "comparison_text", "request", "worth_a_call"]


def worth_a_call(checks: list[ClaimCheck]) -> bool:
    """Whether the sources have anything in common: a claim another source supports or contradicts."""
    return any(c.status != "unsupported" for c in checks)


def request(articles: list[Article], checks: list[ClaimCheck]) -> dict[str, Any]:
    text, shown = comparison_text(checks)
    points = max(1, min(MAX_POINTS, shown))
    return {
        "inputs": {
            "sources": ", ".join(escape(a.id) for a in articles),
            "comparison": text,
            "points": points,
        },
        "max_tokens": 200 + TOKENS_PER_POINT * points,
    }


def comparison_text(checks: list[ClaimCheck]) -> tuple[str, int]:
    """The comparison's results as short escaped lines (agreements, differences with their aspect
    and values, single-source claims), and how many lines were shown."""
    agreed, differ, alone = [], [], []
    for check in checks:
        support = [e.source for e in check.evidence if e.verdict == "supports"]
        against = [e for e in check.evidence if e.verdict == "contradicts"]
        if check.status == "agreement":
            agreed.append(f"- [{', '.join([check.source, *support])}] {escape(check.text)}")
        elif check.status == "discrepancy":
            for e in against:
                if e.conflict is not None:
                    c = e.conflict
                    differ.append(
                        f"- {check.source} and {e.source} differ on {escape(c.aspect)}: "
                        f'{check.source} reports "{escape(c.claim_value)}", {e.source} reports '
                        f'"{escape(c.evidence_value)}"'
                    )
                else:
                    differ.append(
                        f'- {check.source} reports "{escape(check.quote)}"; {e.source} reports '
                        f'"{escape(e.quote or "")}"'
                    )
        else:
            alone.append(f"- [{check.source}] ({check.kind}) {escape(check.text)}")
    parts, shown = [], 0
    for title, found in (
        ("Agreements", agreed),
        ("Differences", differ),
        ("Only one source", alone),
    ):
        kept = list(dict.fromkeys(found))[:MAX_COMPARISON_LINES]
        shown += len(kept)
        parts.append(f"{title}:\n" + "\n".join(kept or ["- none"]))
    return "\n\n".join(parts), shown
