"""Status aggregation as the contract says, for two and for three sources."""

from __future__ import annotations

import pytest

from factcheck import article_from_text, compare
from factcheck.checker import aggregate
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.models import Evidence
from factcheck.store import Store

A = "The flood killed 12 people in the valley on Saturday. Roads were closed."
B = "The flood killed 12 people in the valley on Saturday, the mayor said. Schools stayed open."


def ev(verdict: str, score: float = 0.8) -> Evidence:
    return Evidence(source="x", verdict=verdict, score=score)


def test_aggregate_rules() -> None:
    assert aggregate([ev("supports"), ev("contradicts", 0.6)]) == ("discrepancy", 0.6)
    assert aggregate([ev("supports", 0.7), ev("not_mentioned")])[0] == "agreement"
    assert aggregate([ev("not_mentioned", 0.3), ev("not_mentioned", 0.2)]) == ("unsupported", 0.7)
    assert aggregate([])[0] == "unsupported"


def test_three_sources_each_claim_has_evidence_from_both_others(store: Store) -> None:
    a = article_from_text(
        "The flood killed 12 people in the valley on Saturday, the mayor said.", "a"
    )
    b = article_from_text(
        "The mayor said the flood killed 12 people in the valley on Saturday.", "b"
    )
    c = article_from_text(
        "The flood killed 30 people in the valley on Saturday, rescuers said.", "c"
    )
    report = compare([a, b, c], engine="local", store=store)
    by_source = {claim.source: claim for claim in report.claims}
    assert sorted(e.source for e in by_source["a"].evidence) == ["b", "c"]
    verdicts = {e.source: e.verdict for e in by_source["a"].evidence}
    assert verdicts == {"b": "supports", "c": "contradicts"}
    assert by_source["a"].status == "discrepancy"  # one contradiction outweighs any support
    assert by_source["b"].status == "discrepancy"
    assert by_source["c"].status == "discrepancy"
    assert report.stats.claims == len(report.claims) == 3
    assert report.stats.discrepancy == 3


def test_report_selects_claims_by_status_and_refuses_an_unknown_one() -> None:
    report = compare(
        [article_from_text(A, "a"), article_from_text(B, "b")],
        engine=fake_engine(),
        store=MemoryStore(),
    )
    assert report.agreements == report.claims_with("agreement") and report.agreements
    assert report.unsupported == report.claims_with("unsupported") and report.unsupported
    assert report.discrepancies == []
    with pytest.raises(ValueError, match="unknown status 'discrepancies'"):
        report.claims_with("discrepancies")


def test_the_public_api_is_pinned() -> None:
    import factcheck

    assert sorted(factcheck.__all__) == [
        "Article",
        "ClaimCheck",
        "Evidence",
        "FactcheckError",
        "Report",
        "article_from_text",
        "compare",
        "compare_with_articles",
        "load_article",
        "load_articles",
    ]
    assert all(hasattr(factcheck, name) for name in factcheck.__all__)
