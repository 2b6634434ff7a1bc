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
