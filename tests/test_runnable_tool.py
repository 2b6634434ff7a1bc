"""The LangChain Tool answers briefly (at most 2,000 characters) and returns errors as text."""

from __future__ import annotations

import pytest

from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.models import (
    ClaimCheck,
    Evidence,
    Report,
    SourceInfo,
    Stats,
    Summary,
    SummarySentence,
)
from factcheck.render.brief import MAX_CHARS, render_brief
from factcheck.runnable import FactcheckRunnable, factcheck_tool
from tests.render_data import COST_A, COST_B, ONLY_A, SHARED

LONG = "The bridge over the river will cost 40 million dollars, officials said on Friday. " * 30


@pytest.fixture
def tool():
    return factcheck_tool(
        FactcheckRunnable(fake_engine({"40 million": "contradicts"}), store=MemoryStore())
    )


def test_the_tool_answers_briefly_on_many_claims(tool) -> None:
    a = " ".join([COST_A, *(SHARED.format(i=i) for i in range(60))])
    a += " " + " ".join(ONLY_A.format(i=i) for i in range(60))
    b = " ".join([COST_B, *(SHARED.format(i=i) for i in range(60))])
    answer = tool.invoke({"sources": [a, b]})
    assert len(answer) <= MAX_CHARS
    assert "1 discrepancy" in answer and "60 unsupported additions" in answer
    assert COST_A in answer and "Neutral summary:" in answer
    assert "…and 55 more unsupported additions" in answer


def source(n: int) -> SourceInfo:
    return SourceInfo(
        id=f"outlet-with-a-rather-long-name-{n}", title=None, outlet=None, byline=None, date=None,
        path_or_url=None, sha256=f"{n:064d}", chars=len(LONG),
    )  # fmt: skip


def huge_report(n: int = 400) -> Report:
    """Eight sources, hundreds of long claims, long reasons and a long summary."""
    sources = [source(i) for i in range(8)]
    claims = [
        ClaimCheck(
            id=f"c{i}", source=sources[i % 8].id, text=LONG, quote=LONG, start=0, end=len(LONG),
            status="discrepancy" if i % 2 else "unsupported", confidence=i / n,
            evidence=[
                Evidence(source=s.id, verdict="contradicts", quote=LONG, reason=LONG)
                for s in sources if i % 2
            ],
        )
        for i in range(n)
    ]  # fmt: skip
    return Report(
        engine="fake",
        sources=sources,
        summary=Summary(text=LONG, sentences=[SummarySentence(text=LONG, sources=[])]),
        source_summaries={},
        claims=claims,
        stats=Stats(claims=n, agreement=0, discrepancy=n // 2, unsupported=n // 2, seconds=1),
    )


@pytest.mark.parametrize("limit", [MAX_CHARS, 800, 300])
def test_the_brief_never_exceeds_its_limit(limit: int) -> None:
    answer = render_brief(huge_report(), limit=limit)
    assert len(answer) <= limit
    assert answer.startswith("Fact-check of 8 sources")


def test_the_brief_counts_what_did_not_fit() -> None:
    answer = render_brief(huge_report())
    assert "200 discrepancies" in answer and "more discrepancies" in answer


@pytest.mark.parametrize(
    ("sources", "says"),
    [
        (["Only one article about the bridge, and nothing to compare it with."], "two or more"),
        ([], "two or more"),
        (["http://exa mple.com/a", "Some article text about the bridge."], "exa mple"),
    ],
)
def test_errors_come_back_as_text(tool, sources: list[str], says: str) -> None:
    answer = tool.invoke({"sources": sources})
    assert answer.startswith("error: ") and says in answer


def test_a_one_line_text_too_long_for_a_file_name_is_text() -> None:
    from factcheck.models import Article
    from factcheck.runnable import as_source

    assert isinstance(as_source("The council met on Friday. " * 20, 1), Article)
