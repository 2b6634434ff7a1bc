"""The value rules, table by table, on spaCy's parse alone: which pairs of statements differ in a slot."""

from __future__ import annotations

import pytest

from factcheck.engines.nli_judge import comparable
from factcheck.engines.statements import analyze, conflicts, same_entity
from factcheck.nlp import parse_text


def differences(claim: str, evidence: str) -> list[str]:
    found = conflicts(
        analyze(parse_text(claim)), analyze(parse_text(evidence)), loose_entities=False
    )
    return [c.aspect for c in found]


@pytest.mark.parametrize(
    ("claim", "evidence", "aspect"),
    [
        (
            "A missile strike killed 12 people in the market.",
            "The missile strike killed 15 people in the market.",
            "the figure",
        ),
        (
            "The envoy will arrive in Israel on Tuesday.",
            "The envoy will arrive in Israel on Thursday.",
            "the day",
        ),
        (
            "The treaty was signed in June 2019.",
            "The treaty was signed in August 2019.",
            "the month",
        ),
        (
            "Two senior sources confirmed the talks.",
            "Two senior sources denied the talks.",
            "direction",
        ),
        (
            "The minister attended the cabinet meeting.",
            "The minister did not attend the cabinet meeting.",
            "negation",
        ),
        (
            "Officials said the minister attended the meeting.",
            "The minister did not attend the meeting, officials said.",
            "negation",
        ),
        (
            "It was the minister's first trip to the border.",
            "It was the minister's last trip to the border.",
            "direction",
        ),
        (
            "The House passed the $1.9 trillion relief bill.",
            "The House passed the $2.1 trillion relief bill.",
            "the figure",
        ),
        (
            "Unemployment fell to 3.8 percent in May.",
            "Unemployment fell to 4.1 percent in May.",
            "the figure",
        ),
    ],
    ids=[
        "number",
        "weekday",
        "month",
        "confirmed-denied",
        "negation",
        "reported-negation",
        "first-last-trip",
        "money",
        "percentage",
    ],
)
def test_a_differing_value_in_the_same_slot_conflicts(claim, evidence, aspect):
    assert any(a.startswith(aspect) for a in differences(claim, evidence))


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        (
            "Some 2,700 people were evacuated from the island.",
            "Officials said 2,702 people were evacuated from the island.",
        ),
        ("About 40 houses were destroyed by the fire.", "The fire destroyed 41 houses."),
        ("The envoy will visit between Tuesday and Thursday.", "The envoy will visit on Tuesday."),
        ("The plane was cruising at 32,000 feet.", "The sea in the search area is 150 feet deep."),
        (
            "Rescue teams stepped up the search on Monday.",
            "Relatives broke down in tears on Monday.",
        ),
        ("At 06.59 the ferry reported a problem.", "One of the crew reported a problem."),
        ("Matt Whitaker met the senators.", "Matthew Whitaker met the senators."),
        ("Netanyahu met the envoy in Jerusalem.", "Benjamin Netanyahu met the envoy in Jerusalem."),
        (
            "Harris visited the border on Friday.",
            "Harris visited the border on Friday after criticism for not having visited it.",
        ),
        (
            "Raisi flatly rejected meeting President Biden.",
            "Raisi insisted he would not meet with President Biden.",
        ),
        (
            "It was the minister's first trip to the border.",
            "The minister visited the border last week.",
        ),
        (
            "Biden won the primary in Arizona.",
            "Biden won the primary, defeating Vermont Senator Bernie Sanders.",
        ),
        (
            "The House passed the $1.9 trillion relief bill on Saturday.",
            "The House passed the bill 219 to 212 on Saturday.",
        ),
        (
            "The jobless rate was 3.8 percent, the statement said.",
            "Employers added 196,000 jobs, the statement said.",
        ),
    ],
    ids=[
        "some-2700",
        "about-40",
        "range",
        "altitude-depth",
        "up-down",
        "clock-time",
        "matt",
        "surname",
        "negation-only-mentioned",
        "refusing-to-meet-is-not-meeting",
        "first-trip-last-week",
        "place-describing-a-person",
        "money-and-votes",
        "percentage-and-count",
    ],
)
def test_estimates_ranges_units_times_and_name_variants_do_not_conflict(claim, evidence):
    assert differences(claim, evidence) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Matt", "Matthew Whitaker", True),
        ("Bill Clinton", "William Clinton", True),
        ("Netanyahu", "Benjamin Netanyahu", True),
        ("Ben Blanchard", "Fergus Jensen", False),
        ("Benjamin Netanyahu", "Israel Katz", False),
        ("Va.", "Virginia", True),
        ("Vermont", "Virginia", False),
        # an organisation is named by which body, not by what kind of body
        ("The House Ways and Means panel", "The Ways and Means Committee", True),
        ("The Justice Department", "The Department of Justice", True),
        ("The House Intelligence Committee", "The Senate Intelligence Committee", False),
        ("The Commerce Department", "The Treasury Department", False),
    ],
)
def test_name_variants(a, b, same):
    def entity(text: str):
        return next(iter(analyze(parse_text(f"{text} spoke on Monday.")).entities))

    assert same_entity(entity(a), entity(b)) is same


def test_an_acronym_names_the_same_entity():
    def entity(text: str):
        return next(iter(analyze(parse_text(f"{text} announced the plan on Monday.")).entities))

    assert same_entity(entity("The US"), entity("The United States"))
    assert same_entity(entity("The U.N."), entity("The United Nations"))
    assert not same_entity(entity("The UK"), entity("The United States"))


@pytest.mark.parametrize(
    ("text", "comparable_text"),
    [
        ("(Reporting by Ben Blanchard; Editing by Fergus Jensen)", False),
        ("By Daniel Brooks", False),
        ("Photo: Getty Images", False),
        ("06.59", False),
        ("By Tuesday the bridge had reopened.", True),
        ("12.50 dollars were paid for each ticket.", True),
    ],
)
def test_bylines_credits_timestamps_and_captions_are_never_compared(text, comparable_text):
    assert comparable(text) is comparable_text
