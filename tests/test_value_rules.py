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
        (
            "The minister met Benjamin Netanyahu in Jerusalem on Monday.",
            "The minister met Naftali Bennett in Jerusalem on Monday.",
            "the person",
        ),
        (
            "The talks were held in Geneva on Monday.",
            "The talks were held in Vienna on Monday.",
            "the place",
        ),
        (
            "The talks were held in Washington on Monday.",
            "The talks were held in Moscow on Monday.",
            "the place",
        ),
        (
            "The storm made landfall in Texas on Monday.",
            "The storm made landfall in Oklahoma on Monday.",
            "the place",
        ),
        (
            "Russia invaded Ukraine in February.",
            "Belarus invaded Ukraine in February.",
            "the party",
        ),
        (
            "The contract was awarded to Boeing on Friday.",
            "The contract was awarded to Airbus on Friday.",
            "the org",
        ),
        (
            "The embassy was hit by at least five rockets on Sunday.",
            "The embassy was hit by three rockets on Sunday.",
            "the figure",
        ),
        (
            "Up to 40 houses were destroyed by the fire.",
            "The fire destroyed 55 houses.",
            "the figure",
        ),
        (
            "Economists had expected 700,000 jobs to be added in June.",
            "Economists had expected 650,000 jobs to be added in June.",
            "the figure",
        ),
        ("He did not attend the meeting.", "The minister attended the meeting.", "negation"),
        (
            "The economy added 196,000 jobs in March.",
            "The economy added 33,000 jobs in March.",
            "the figure",
        ),
        (
            "The economy added 196,000 jobs in March.",
            "The economy added 196,000 jobs in May.",
            "the month",
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
        "person",
        "place",
        "washington-the-city",
        "two-states",
        "a-country-that-acts",
        "org",
        "at-least-five-vs-three",
        "up-to-40-vs-55",
        "two-forecasts",
        "pronoun-subject-negation",
        "jobs-same-month",
        "jobs-same-figure",
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
        # who says or reports something is not a value of what is said
        (
            "Senator Ana Ruiz said the bill is a mistake.",
            "Senator Tom Grant said the bill will pass.",
        ),
        (
            "Five million people missed their second doses, according to data from the Centers for"
            " Disease Control and Prevention.",
            "5 million people have missed their second shot, according to a report in The New York Times.",
        ),
        (
            "In an interview with reporter Kristen Welker, Pence confirmed the report.",
            "Vice President Mike Pence confirmed the report in an interview on Monday.",
        ),
        # what was expected is no rival to what happened
        (
            "Economists had expected 700,000 jobs to be added in June.",
            "The economy added 850,000 jobs in June.",
        ),
        (
            "Economists surveyed by Bloomberg had estimated 175,000 jobs were added last month.",
            "The US economy added 196,000 jobs in March.",
        ),
        # a bound agrees with every figure on its side
        (
            "The embassy was hit by three rockets on Sunday.",
            "The embassy was struck by at least one rocket on Sunday.",
        ),
        ("Up to 40 houses were destroyed by the fire.", "The fire destroyed 35 houses."),
        # a negated word says what its opposite says
        (
            "Google will no longer allow creators to profit from such videos.",
            "Creators will be prohibited from profiting from such videos.",
        ),
        # opposite or negated predicates about different things
        (
            "Average hourly pay rose 3.2 percent from a year earlier.",
            "Average hourly wages grew 3.2 percent, and the unemployment rate fell to 3.6 percent.",
        ),
        ("A new name was not announced.", "The team announced a review of its name in July."),
        (
            "The fact sheet did not go as far as to say they had been hospitalized.",
            "The report goes beyond the fact sheet.",
        ),
        # a question states nothing
        (
            "Trump never condemned white supremacists.",
            "During the debate, moderator Chris Wallace repeatedly asked Trump if he would condemn"
            " white supremacists.",
        ),
        # a place that may lie in the other (a U.S. state and a place that is not one)
        (
            "A Manhattan jury found him guilty on Monday.",
            "A New York jury found him guilty on Monday.",
        ),
        ("Trump left on a trip to Wisconsin.", "Trump left on a trip to the Midwest."),
        # a country that acts is no place of the event
        (
            "Trump and Xi agreed to a truce at a dinner in Argentina.",
            "The U.S. and China agreed to a 90-day truce.",
        ),
        # "not one" counts nothing; a figure the passage also gives is not contradicted there
        (
            "The Senate approved the governor's $2 billion flood relief plan in a 61 to 39 vote on"
            " Tuesday night.",
            "The relief bill passed 61 to 39 on Tuesday, winning not one Democratic vote.",
        ),
        (
            "Job creation for August was weak, with the economy adding just 235,000 jobs, the"
            " department reported Friday.",
            "The jobs report shows that payrolls rose by 235,000 in August, down from 943,000 jobs"
            " added in July.",
        ),
        # a figure and a date that both differ are two moments
        ("The economy added 196,000 jobs in March.", "The economy added 33,000 jobs in February."),
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
        "two-speakers",
        "two-attributions",
        "interviewer-and-interviewee",
        "expected-and-added",
        "estimated-and-added",
        "at-least-one-and-three",
        "up-to-40-and-35",
        "no-longer-allow-and-prohibit",
        "pay-rose-rate-fell",
        "name-not-announced-review-announced",
        "sheet-did-not-go-report-goes",
        "asked-if-he-would",
        "manhattan-and-new-york",
        "wisconsin-and-the-midwest",
        "a-party-and-a-place",
        "not-one-vote",
        "the-same-figure-attached-elsewhere",
        "two-months-two-figures",
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


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        (
            "UChicago sent a letter to incoming students.",
            "The University of Chicago sent a letter to incoming students.",
        ),
        (
            "The administration declassified an email that former national security adviser "
            "(NSA) Susan Rice sent herself.",
            "The administration declassified an email that former National Security Adviser "
            "Susan Rice sent herself.",
        ),
    ],
)
def test_a_short_form_or_an_acronym_of_a_name_cut_short_is_the_same_body(claim, evidence):
    assert differences(claim, evidence) == []


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        (
            "UChicago's letter to new students rejects safe spaces.",
            "The University of Michigan's letter to new students rejects safe spaces.",
        ),
        (
            "The NSA declassified the email on Tuesday.",
            "The National Security Council declassified the email on Tuesday.",
        ),
        ("The FBI opened the inquiry in July.", "The CIA opened the inquiry in July."),
    ],
)
def test_other_bodies_still_differ(claim, evidence):
    assert differences(claim, evidence) == ["the org"]
