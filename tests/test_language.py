"""Language detection: plain English without loading the model, anything else by the model."""

from __future__ import annotations

import pytest

from factcheck.reading import language

ENGLISH = (
    "The council approved the new budget on Monday after a long debate, and the mayor said that "
    "the plan would be put to a vote of the residents before the end of the year. It was the "
    "first budget of the new council, which has been in office since the spring."
)
FRENCH = (
    "Le conseil municipal a approuvé lundi le nouveau budget après un long débat. Selon le maire, "
    "le projet sera soumis au vote des habitants avant la fin de l'année, et les travaux "
    "commenceront au printemps prochain dans le quartier du port."
)


def test_plain_english_needs_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model():
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(language, "_identifier", no_model)
    assert language.detect_language(ENGLISH).code == "en"


def test_other_languages_go_to_the_model() -> None:
    assert not language.plainly_english(FRENCH)
    assert language.detect_language(FRENCH).code == "fr"


def test_a_few_english_words_in_another_language_are_not_english() -> None:
    mixed = FRENCH + " The White House said it was aware of the report."
    assert not language.plainly_english(mixed)
