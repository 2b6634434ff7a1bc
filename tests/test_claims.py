"""Claim extraction: one claim per asserted fact, exact quotes, kinds and speakers."""

from __future__ import annotations

from factcheck.engines.claim_split import extract_claims
from factcheck.ingest import article_from_text


def claims_of(text: str):
    article = article_from_text(text, "t")
    found = extract_claims(article)
    for claim in found:
        assert article.text[claim.start : claim.end] == claim.quote
    return found


def test_participle_clauses_become_separate_claims() -> None:
    found = claims_of(
        "A missile struck the central market on Friday, killing 12 people and injuring 80 others."
    )
    quotes = [c.quote for c in found]
    assert quotes == [
        "A missile struck the central market on Friday",
        "killing 12 people",
        "injuring 80 others",
    ]
    assert found[1].text == "A missile struck the central market on Friday, killing 12 people"
    assert all(c.kind == "fact" for c in found)


def test_conjoined_verbs_share_their_subject() -> None:
    found = claims_of("Witkoff will travel to Israel and meet Netanyahu on Tuesday.")
    assert [c.text for c in found] == [
        "Witkoff will travel to Israel",
        "Witkoff will meet Netanyahu on Tuesday",
    ]


def test_participle_aside_on_the_subject_is_its_own_claim() -> None:
    found = claims_of(
        "The visit, expected to begin on Tuesday, comes as Washington steps up diplomacy."
    )
    texts = [c.text for c in found]
    assert "The visit is expected to begin on Tuesday" in texts
    assert "The visit comes as Washington steps up diplomacy" in texts


def test_direct_speech_is_a_quote_with_its_speaker() -> None:
    found = claims_of(
        "“The timing is delicate,” said regional expert Dr. Layla Hassan. "
        "“Any misstep could reignite the conflict.”\n\n"
        "David Chen, former adviser: “This is a necessary step. It is overdue.”"
    )
    quotes = [(c.kind, c.speaker, c.quote) for c in found]
    assert ("quote", "Layla Hassan", "The timing is delicate") in quotes
    assert ("quote", "Layla Hassan", "Any misstep could reignite the conflict.") in quotes
    assert ("quote", "David Chen", "It is overdue.") in quotes
    assert all(kind == "quote" for kind, _, _ in quotes)


def test_analysis_is_opinion_and_reporting_is_fact() -> None:
    found = claims_of(
        "Analysts suggest the visit could set the tone for the region. "
        "The ministry said 40 trucks crossed the border on Sunday."
    )
    kinds = {c.quote.split()[0]: c.kind for c in found}
    assert kinds == {"Analysts": "opinion", "The": "fact"}


def spans_nested(found) -> list:
    return [
        (inner.id, outer.id)
        for inner in found
        for outer in found
        if inner is not outer
        and inner.source == outer.source
        and outer.start <= inner.start
        and inner.end <= outer.end
    ]


def test_a_clause_inside_a_sentence_is_never_counted_twice(example_paths) -> None:
    found = claims_of(
        "The visit, expected to begin on Tuesday, comes as Washington steps up diplomacy.\n\n"
        "Rescuers, working through the night, pulled 20 people from the rubble."
    )
    assert spans_nested(found) == []
    assert [c.quote for c in found] == [
        "expected to begin on Tuesday",
        "comes as Washington steps up diplomacy",
        "working through the night",
        "pulled 20 people from the rubble",
    ]
    assert found[3].text == "Rescuers pulled 20 people from the rubble"
    from factcheck.ingest import load_article

    for path in example_paths:
        assert spans_nested(extract_claims(load_article(path))) == []


def test_a_conjoined_verb_with_its_own_auxiliary_reads_as_a_sentence() -> None:
    found = claims_of(
        "One patient has been taken to hospital in Glasgow and is also being tested for the virus."
    )
    assert [c.text for c in found] == [
        "One patient has been taken to hospital in Glasgow",
        "One patient is also being tested for the virus",
    ]
    found = claims_of("The company has cut 200 jobs and plans further savings next year.")
    assert found[1].text == "The company plans further savings next year"


def test_the_speaker_of_a_colon_quote_is_the_subject_of_its_reporting_verb() -> None:
    [claim] = claims_of(
        "A British Airways spokesman said: “We are aware of the incident and are investigating.”"
    )
    assert claim.speaker == "A British Airways spokesman"
    assert claim.text.startswith("A British Airways spokesman said: “We are aware")
    assert "said said" not in claim.text


def test_a_pronoun_speaker_is_the_person_named_before() -> None:
    found = claims_of(
        "Health minister Jane Morgan visited the ward on Monday.\n\n"
        "“The staff have done an extraordinary job,” she said.\n\n"
        "Jane Doe met John Roe in Paris. “We agreed on everything,” he said of Roe."
    )
    quotes = [c for c in found if c.kind == "quote"]
    assert quotes[0].speaker == "Jane Morgan"
    assert quotes[0].text == "Jane Morgan said: “The staff have done an extraordinary job”"
    assert quotes[1].speaker == "Jane Doe"  # the subject of the sentence before


def test_a_quote_names_its_speaker_when_the_text_does() -> None:
    found = claims_of(
        "According to Mayor Tom Banks, “the bridge will be rebuilt within a year.”\n\n"
        "“We are ready,” Smith said.\n\n“We will not give up.”\n\n"
        "Ana Ruiz told reporters that the damage was extensive.\n\n“It was terrible.”"
    )
    assert [(c.speaker, c.quote) for c in found if c.kind == "quote"] == [
        ("Tom Banks", "the bridge will be rebuilt within a year."),
        ("Smith", "We are ready"),
        ("Smith", "We will not give up."),  # the quote goes on, the speaker too
        ("Ana Ruiz", "It was terrible."),  # introduced by the sentence before
    ]
    assert not any(c.text.startswith("Quoted:") for c in found)
    [unnamed] = [
        c
        for c in claims_of("Smith arrived on Monday.\n\n“It was a long trip.”")
        if c.kind == "quote"
    ]
    assert unnamed.speaker is None  # named, but not as speaking: no guess


def test_a_quotation_attributed_after_it_is_one_quote_with_that_speaker() -> None:
    found = claims_of(
        "Lawyers for the senator asked for a retraction. “Your statement is defamatory, and we "
        "demand that you retract it immediately,” a letter from her lawyer reads, according to "
        "The Hill."
    )
    [quote] = [c for c in found if c.kind == "quote"]
    assert (
        quote.quote == "Your statement is defamatory, and we demand that you retract it immediately"
    )
    assert quote.speaker == "a letter from her lawyer"
    # no fact is cut out of the quotation
    assert [c.text for c in found if c.kind == "fact"] == [
        "Lawyers for the senator asked for a retraction."
    ]


def test_a_few_quoted_words_inside_a_clause_are_a_name_or_scare_quote_not_speech() -> None:
    found = claims_of(
        "Clinton made the remarks last month on the “Campaign HQ” podcast.\n\n"
        "The governor said the inquiry was a “witch hunt” and left."
    )
    assert all(c.kind != "quote" for c in found)
    assert found[0].text == "Clinton made the remarks last month on the “Campaign HQ” podcast."
    [short] = [c for c in claims_of("“Absolutely not,” Trump said.") if c.kind == "quote"]
    assert (short.speaker, short.quote) == ("Trump", "Absolutely not")


def test_quoted_words_are_never_cut_and_keep_their_closing_mark() -> None:
    found = claims_of(
        "After the surgery, Woods was “awake, responsive, recovering in his hospital room.” "
        "His doctors spoke later.\n\n"
        "Reid criticised the walkout on Sunday, calling it a “PR stunt.” The team declined to comment."
    )
    texts = [c.text for c in found]
    assert (
        "After the surgery, Woods was “awake, responsive, recovering in his hospital room.”"
        in texts
    )
    assert "Reid criticised the walkout on Sunday, calling it a “PR stunt.”" in texts


def test_a_programme_named_in_quotation_marks_is_not_what_its_host_said() -> None:
    [quote] = [
        c
        for c in claims_of(
            "“Tucker Carlson Tonight” host Tucker Carlson said: “We will not back down from this fight.”"
        )
        if c.kind == "quote"
    ]
    assert (quote.speaker, quote.quote) == (
        "Tucker Carlson",
        "We will not back down from this fight.",
    )
