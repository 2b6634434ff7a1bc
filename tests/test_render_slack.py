"""Block Kit output stays inside Slack's limits and points to the attachment when cut."""

from __future__ import annotations

import json

from factcheck.models import (
    ClaimCheck,
    Evidence,
    Report,
    SourceInfo,
    Stats,
    Summary,
    SummarySentence,
)
from factcheck.render.slack import MAX_BLOCKS, MAX_SECTION_CHARS, render_blocks


def source(sid: str, outlet: str | None) -> SourceInfo:
    return SourceInfo(
        id=sid, title=None, outlet=outlet, byline=None, date=None, path_or_url=None,
        sha256=sid * 8, chars=100,
    )  # fmt: skip


def claim(n: int, status: str, quote: str) -> ClaimCheck:
    verdict = "contradicts" if status == "discrepancy" else "not_mentioned"
    other = "Other <b> & co " + quote if verdict == "contradicts" else None
    return ClaimCheck(
        id=f"c{n}", source="a", text=quote, quote=quote, start=0, end=len(quote),
        status=status, confidence=0.5,
        evidence=[Evidence(source="b", verdict=verdict, quote=other, score=0.9, reason="figures differ")],
    )  # fmt: skip


def report(n: int, quote: str) -> Report:
    claims = [claim(i, "discrepancy" if i % 2 else "unsupported", quote) for i in range(n)]
    return Report(
        engine="local",
        sources=[source("a", "Daily Post"), source("b", None)],
        summary=Summary(text="x", sentences=[SummarySentence(text="S " * 2000, sources=["a"])]),
        source_summaries={},
        claims=claims,
        stats=Stats(claims=n, agreement=0, discrepancy=n // 2, unsupported=n - n // 2, seconds=1),
    )


def texts(blocks: list[dict]) -> list[str]:
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [e["text"] for e in block.get("elements", [])]
    return out


def test_long_reports_fit_slack_limits() -> None:
    blocks = render_blocks(report(200, "The bridge will cost 40 million dollars. " * 200))
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(t) <= MAX_SECTION_CHARS for t in texts(blocks))
    assert "attached Markdown" in texts(blocks)[-1] and "top items only" in texts(blocks)[-1]


def test_many_sections_are_cut_at_fifty_blocks() -> None:
    blocks = render_blocks(report(200, "short"), top_discrepancies=100, top_unsupported=100)
    assert len(blocks) == MAX_BLOCKS
    assert "top items only" in texts(blocks)[-1]


def test_quotes_outlets_counts_and_escaping() -> None:
    blocks = render_blocks(report(4, "Cost <is> 40 & more"))
    body = json.dumps(blocks)
    assert "*Daily Post (a)* says" in body and "*b* says otherwise" in body
    assert "Cost &lt;is&gt; 40 &amp; more" in body and "<b>" not in body
    assert "*2* discrepancies" in body and "*2* unsupported additions" in body
    assert "top items only" not in body
