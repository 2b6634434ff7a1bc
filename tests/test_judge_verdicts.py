"""Verdicts of the default local engine (the entailment judge) that a reader must be able to trust.

Planted edits on the bundled Witkoff pair must come out as discrepancies; paraphrases of one fact as
agreements; unrelated values and name variants must not be called discrepancies.
"""

from __future__ import annotations

import pytest

from factcheck import article_from_text, compare
from factcheck.models import Report
from factcheck.store import Store
from tests.conftest import EXAMPLES

A = (EXAMPLES / "witkoff_report_a.txt").read_text(encoding="utf-8")
B = (EXAMPLES / "witkoff_report_b.txt").read_text(encoding="utf-8")


def run(store: Store, a: str, b: str) -> Report:
    return compare(
        [article_from_text(a, "a"), article_from_text(b, "b")], engine="local", store=store
    )


def status_of(report: Report, source: str, fragment: str) -> str:
    found = [c for c in report.claims if c.source == source and fragment in c.quote]
    assert found, f"no claim of {source} quotes {fragment!r}"
    order = {"discrepancy": 0, "agreement": 1, "unsupported": 2}
    return min((c.status for c in found), key=order.__getitem__)


@pytest.mark.parametrize(
    ("original", "edited", "fragment"),
    [
        (
            "consultations with Prime Minister Benjamin Netanyahu and top defense officials",
            "consultations with Defense Minister Israel Katz and top defense officials",
            "Israel Katz",
        ),
        (
            "two senior Israeli government sources confirmed on Monday",
            "two senior Israeli government sources denied on Monday",
            "denied",
        ),
        (
            "Witkoff is scheduled to arrive on Tuesday",
            "Witkoff is scheduled to arrive on Thursday",
            "Thursday",
        ),
    ],
    ids=["entity-swap", "confirmed-denied", "tuesday-thursday"],
)
def test_a_planted_edit_of_the_second_source_is_a_discrepancy(store, original, edited, fragment):
    assert original in B
    report = run(store, A, B.replace(original, edited))
    assert status_of(report, "b", fragment) == "discrepancy"


def test_a_planted_number_change_is_a_discrepancy(store):
    a = A.replace(
        "senior Israeli officials said Monday.",
        "senior Israeli officials said Monday. The delegation includes 12 officials.",
    )
    b = B.replace(
        "confirmed on Monday.", "confirmed on Monday. The delegation includes 15 officials."
    )
    report = run(store, a, b)
    assert status_of(report, "b", "15 officials") == "discrepancy"
    assert status_of(report, "a", "12 officials") == "discrepancy"


def test_the_unedited_pair_agrees_on_the_tuesday_arrival(store):
    report = run(store, A, B)
    assert status_of(report, "b", "scheduled to arrive on Tuesday") == "agreement"
    assert not report.claims_with("discrepancy")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The ferry sank off the coast on Sunday, and 40 passengers were rescued by fishermen.",
            "Fishermen rescued 40 passengers after the ferry went down off the coast on Sunday.",
        ),
        (
            "The central bank raised interest rates by half a point on Wednesday.",
            "On Wednesday the central bank increased interest rates by half a percentage point.",
        ),
        (
            "The prime minister has been informed of the arrest, his office said.",
            "The prime minister's office said he had been told about the arrest.",
        ),
    ],
    ids=["ferry", "rates", "informed"],
)
def test_paraphrases_of_one_fact_agree(store, a, b):
    report = run(store, a, b)
    assert report.claims and all(
        c.status == "agreement" for c in report.claims if c.source == "a"
    ), [(c.quote, c.status, [e.reason for e in c.evidence]) for c in report.claims]


def test_unrelated_numbers_in_similar_sentences_are_not_a_discrepancy(store):
    report = run(
        store,
        "The airliner had been cruising at 32,000 feet when it vanished from radar.",
        "The sea where the airliner vanished from radar is about 150 feet deep.",
    )
    assert not report.claims_with("discrepancy")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Matt Whitaker told reporters the inquiry would continue.",
            "Matthew Whitaker told reporters the inquiry would continue.",
        ),
        (
            "Netanyahu met the envoy in Jerusalem on Tuesday.",
            "Benjamin Netanyahu met the envoy in Jerusalem on Tuesday.",
        ),
        (
            "Some 2,700 residents were evacuated before the storm.",
            "Officials said 2,702 residents were evacuated before the storm.",
        ),
    ],
    ids=["matt-matthew", "surname-full-name", "some-2700"],
)
def test_name_variants_and_estimates_are_not_discrepancies(store, a, b):
    report = run(store, a, b)
    assert not report.claims_with("discrepancy")


def test_a_retelling_with_the_same_particulars_is_not_a_discrepancy(store):
    """The model alone calls these contradictory; they give the same person, day and decision."""
    report = run(
        store,
        "Mayor Lena Ortiz said Thursday that she would not attend a virtual council meeting, "
        "minutes after the city clerk announced that next week's session would be held online.",
        "Mayor Lena Ortiz said Thursday that she will not attend the second council meeting, "
        "after the clerk announced it would be held online.",
    )
    assert not report.claims_with("discrepancy")
