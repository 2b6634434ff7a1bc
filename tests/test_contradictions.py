"""Each kind of contradiction the local engine detects, through the real pipeline (store, retrieval, judge)."""

from __future__ import annotations

import pytest

from factcheck import article_from_text, compare
from factcheck.models import Report
from factcheck.store import Store


def run(store: Store, a: str, b: str) -> Report:
    return compare(
        [article_from_text(a, "a"), article_from_text(b, "b")], engine="local", store=store
    )


def verdict_on(report: Report, fragment: str) -> tuple[str, str | None]:
    claim = next(c for c in report.claims if c.source == "a" and fragment in c.quote)
    return claim.status, claim.evidence[0].reason


@pytest.mark.parametrize(
    ("a", "b", "fragment", "aspect"),
    [
        (
            "A missile struck the central market in Kharkiv on Friday, killing 12 people.",
            "Officials said 15 people died when a missile hit the central market in Kharkiv on Friday.",
            "killing 12",
            "figure",
        ),
        (
            "The envoy will arrive in Jerusalem on Tuesday for talks with the prime minister.",
            "The envoy will arrive in Jerusalem on Wednesday for talks with the prime minister.",
            "arrive",
            "day",
        ),
        (
            "The summit between the two leaders was held in Geneva in March 2024.",
            "The summit between the two leaders was held in Vienna in March 2024.",
            "summit",
            "place",
        ),
        (
            "The committee approved the mining permit after a long hearing on Thursday.",
            "The committee rejected the mining permit after a long hearing on Thursday.",
            "committee",
            "direction",
        ),
        (
            "The company's quarterly profits rose sharply after the merger, the report said.",
            "The company's quarterly profits fell sharply after the merger, the report said.",
            "profits",
            "direction",
        ),
        (
            "The defence minister attended the emergency cabinet meeting on Sunday.",
            "The defence minister did not attend the emergency cabinet meeting on Sunday.",
            "minister",
            "negation",
        ),
        (
            "The treaty was signed by both governments in June 2019 after years of talks.",
            "The treaty was signed by both governments in August 2019 after years of talks.",
            "treaty",
            "month",
        ),
    ],
    ids=["number", "weekday", "place", "approved-rejected", "rose-fell", "negation", "month"],
)
def test_contradiction_is_a_discrepancy(
    store: Store, a: str, b: str, fragment: str, aspect: str
) -> None:
    report = run(store, a, b)
    status, reason = verdict_on(report, fragment)
    assert status == "discrepancy"
    assert aspect in reason
    stated = [s for s in report.summary.sentences if s.text.startswith("Sources differ on")]
    assert stated and stated[0].sources == [
        "a",
        "b",
    ]  # the summary states the difference, attributed


def test_paraphrase_with_the_same_values_is_an_agreement(store: Store) -> None:
    report = run(
        store,
        "The envoy will arrive in Jerusalem on Tuesday for talks with the prime minister.",
        "According to officials, the envoy is scheduled to arrive in Jerusalem on Tuesday to meet the prime minister.",
    )
    assert [c.status for c in report.claims] == ["agreement", "agreement"]


def test_unrelated_statement_is_unsupported(store: Store) -> None:
    report = run(
        store,
        "The envoy will arrive in Jerusalem on Tuesday for talks with the prime minister.\n\n"
        "Heavy snow closed three mountain passes in the north of the country.",
        "The envoy is scheduled to arrive in Jerusalem on Tuesday to meet the prime minister.",
    )
    snow = next(c for c in report.claims if "snow" in c.quote)
    assert snow.status == "unsupported"
    assert snow.evidence[0].verdict == "not_mentioned"
