"""The neutral summary, from structured check results: short, corroborated first, differences once, no loaded words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck import article_from_text
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.evaluation.loaders import load_dataset
from factcheck.evaluation.summaries import run_summary_eval
from factcheck.models import ClaimCheck, Conflict, Evidence
from factcheck.neutral import neutral_texts
from factcheck.summary import LocalSummarizer, word_budget, words
from tests.helpers import run_cli

SENTENCES = [
    "The council approved the new budget for the harbour district on Monday evening.",
    "The plan includes funding for two new ferry terminals on the east side of the harbour.",
    "The mayor said construction would start in the spring of next year.",
    "Local residents had asked for better ferry connections for more than a decade.",
    "The budget also covers repairs to the old pier that closed last winter.",
    "Opposition councillors voted against the plan after a long debate in the chamber.",
]


def check(source, text, status="unsupported", kind="fact", evidence=(), start=0, speaker=None):
    return ClaimCheck(
        id=f"{source}-{start}",
        source=source,
        text=text,
        quote=text,
        start=start,
        end=start + len(text),
        kind=kind,
        speaker=speaker,
        status=status,
        evidence=list(evidence),
        confidence=0.9,
    )


def supports(source, start, text):
    return Evidence(
        source=source, verdict="supports", quote=text, start=start, end=start + len(text)
    )


def agreeing(text_a, text_b=None):
    """Claims of a and b that support each other (the same wording unless `text_b` is given)."""
    text_b = text_b or text_a
    return [
        check("a", text_a, "agreement", evidence=[supports("b", 0, text_b)]),
        check("b", text_b, "agreement", evidence=[supports("a", 0, text_a)]),
    ]


def articles(*ids):
    return [article_from_text(" ".join(SENTENCES), i) for i in ids]


def test_a_discrepancy_is_stated_once_with_both_values_and_sources():
    conflict_ab = Conflict(aspect="the day (vote)", claim_value="Monday", evidence_value="Tuesday")
    conflict_ba = Conflict(aspect="the day (vote)", claim_value="Tuesday", evidence_value="Monday")
    checks = [
        check("a", "The council voted on Monday.", "discrepancy",
              evidence=[Evidence(source="b", verdict="contradicts", quote="It voted on Tuesday.", start=0, end=20, conflict=conflict_ab)]),
        check("b", "It voted on Tuesday.", "discrepancy",
              evidence=[Evidence(source="a", verdict="contradicts", quote="The council voted on Monday.", start=0, end=28, conflict=conflict_ba)]),
    ]  # fmt: skip
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    stated = [s for s in summary.sentences if "differ" in s.text]
    assert len(stated) == 1
    assert "Monday" in stated[0].text and "Tuesday" in stated[0].text
    assert sorted(stated[0].sources) == ["a", "b"]


def test_opinions_and_quotes_appear_only_attributed():
    plain = SENTENCES[0]
    checks = [
        *agreeing(plain),
        check("a", "The plan is a reckless waste of public money.", kind="opinion", start=200),
        check("b", "“This will change the harbour for ever,” said Ana Ruiz.", kind="quote",
              speaker="Ana Ruiz", start=300),
    ]  # fmt: skip
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert "reckless" not in summary.text
    assert "change the harbour for ever" not in summary.text
    assert "b quotes Ana Ruiz." in summary.text


def test_a_loaded_modifier_gives_way_to_another_sources_plain_wording():
    loaded = "Police brutally dispersed the huge crowd outside the council on Monday."
    plain = "Police dispersed the crowd outside the council on Monday."
    checks = [
        *agreeing(loaded, plain),
    ]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert "Police dispersed the crowd outside the council on Monday." in summary.text
    assert "brutally" not in summary.text and "huge" not in summary.text


def test_loaded_modifiers_are_dropped_from_a_single_wording():
    [(text, left)] = neutral_texts(["Police violently dispersed the huge crowd on Monday."])
    assert text == "Police dispersed the crowd on Monday." and left == 0


def test_a_qualifier_that_leans_neither_way_is_kept():
    # the lexicon rates "likely", "only" and "possible" subjective but neither for nor against:
    # dropping them would state a hedged fact as certain
    sentence = "The bill will likely pass, the only one this week with a possible majority."
    assert neutral_texts([sentence]) == [(sentence, 0)]


def test_a_quotation_keeps_its_words_and_is_not_the_summarys_voice():
    quoted = 'Trump called Acosta "a great labor secretary, not a good one" on Friday.'
    assert neutral_texts([quoted]) == [(quoted, 0)]
    scare = 'Police broke up a "very violent" protest.'  # a scare quote is not a quotation
    assert neutral_texts([scare]) == [("Police broke up a protest.", 0)]


@pytest.mark.parametrize("sources", [2, 3, 6])
def test_the_summary_respects_its_length_budget(sources):
    ids = [chr(ord("a") + i) for i in range(sources)]
    checks = []
    for n, sid in enumerate(ids):
        for i, sentence in enumerate(SENTENCES):
            others = [o for o in ids if o != sid]
            evidence = [supports(others[0], i * 100, sentence)] if i < 2 else []
            checks.append(check(sid, sentence, "agreement" if i < 2 else "unsupported",
                                evidence=evidence, start=i * 100 + n))  # fmt: skip
    summary = LocalSummarizer().summarize_all(articles(*ids), checks)
    assert words(summary.text) <= word_budget(sources)
    assert word_budget(3) <= 120
    assert words(LocalSummarizer(max_words=30).summarize_all(articles(*ids), checks).text) <= 30


def test_additions_never_outnumber_the_corroborated_facts():
    shared = SENTENCES[0]
    checks = [
        *agreeing(shared),
        *(check("a", s, start=100 * i) for i, s in enumerate(SENTENCES[1:], 1)),
        *(check("b", s, start=100 * i) for i, s in enumerate(SENTENCES[1:], 1)),
    ]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    corroborated = [s for s in summary.sentences if len(s.sources) > 1 and "differ" not in s.text]
    additions = [s for s in summary.sentences if "also reports" in s.text]
    assert len(corroborated) == 1
    assert len(additions) <= len(corroborated)
    assert summary.sentences[0].text == shared  # the corroborated event comes first


FIXTURES = Path(__file__).parent / "fixtures"


def test_summaries_are_scored_against_the_reference_beside_the_lead_baseline():
    dataset = load_dataset(FIXTURES / "neus_small.jsonl")
    assert dataset.format == "neus" and [e.id for e in dataset.examples] == ["s1", "s2", "s3"]

    def engine():
        fake = fake_engine()
        fake.summarizer = LocalSummarizer()
        return fake

    run = run_summary_eval(dataset, engine, MemoryStore(), split="val")
    assert run.n == 1 and run.refused == 1  # s3's first article is a title only: noted, not fatal
    row, refused = run.rows
    assert refused["id"] == "s3" and "no article text" in refused["error"]
    assert row["summary"].startswith("The harbour bridge reopened to traffic on Monday")
    assert row["baseline"] == " ".join(
        ["The harbour bridge reopened to traffic on Monday after two years of repairs."] * 2
        + [
            "The harbour bridge reopened to traffic on Monday after two years of repairs, officials said."
        ]
    )
    for metrics in (run.system, run.baseline):
        assert set(metrics) == {"rouge1", "rouge2", "rougeL", "words", "copied", "loaded"}
        assert 0 < metrics["rouge1"] <= 1
    assert run.baseline["copied"] == 1.0  # the baseline is the sources' own sentences
    assert "| factcheck |" in run.to_markdown() and "| lead baseline |" in run.to_markdown()


def test_summary_length_option_limits_the_cli_summary(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(" ".join(SENTENCES), encoding="utf-8")
    b.write_text(" ".join(SENTENCES[:3]), encoding="utf-8")
    result = run_cli(
        "compare", str(a), str(b), "--engine", "local-rules", "--summary-length", "20",
        "--format", "json", "--store", str(tmp_path / "store"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert 0 < words(report["summary"]["text"]) <= 20


def test_eval_command_scores_a_summary_dataset(tmp_path):
    result = run_cli(
        "eval", str(FIXTURES / "neus_small.jsonl"), "--engine", "local-rules", "--format", "json",
        "--results", str(tmp_path), "--store", str(tmp_path / "store"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert (
        out["n"] == 2
        and out["refused"] == 1
        and set(out) >= {"system", "lead_baseline", "engine", "seconds"}
    )
    saved = sorted("".join(p.suffixes) for p in tmp_path.glob("neus-small-summaries-*"))
    assert saved == [".examples.jsonl", ".json", ".md"]
    published = json.loads(next(tmp_path.glob("neus-small-summaries-*.json")).read_text())
    assert published["rows"] and all(
        not {"summary", "baseline", "reference"} & set(row) for row in published["rows"]
    )  # the dataset's words stay out of the results that get published


def test_of_equally_neutral_corroborated_wordings_the_most_complete_is_told():
    short = "The council approved the budget."
    full = "The council approved the new budget for the harbour district on Monday evening."
    checks = [
        *agreeing(short, full),
    ]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert summary.sentences[0].text == full


def test_a_speaker_named_only_by_a_pronoun_is_not_listed():
    checks = [
        check("a", SENTENCES[0], "agreement", evidence=[supports("b", 0, SENTENCES[0])]),
        check("b", "“We will build it,” he said.", kind="quote", speaker="he", start=100),
        check("b", "“It is late,” Anna Berg said.", kind="quote", speaker="Anna Berg", start=200),
    ]
    text = LocalSummarizer().summarize_all(articles("a", "b"), checks).text
    assert "quotes Anna Berg" in text and "quotes he" not in text and ", he" not in text


def test_of_single_source_additions_the_one_on_what_the_others_cover_is_told():
    event = "The harbour bridge reopened to traffic on Monday after two years of repairs."
    aside = (
        "The mayor's small dog was photographed enjoying the warm sunshine with several children."
    )
    on_topic = "The repairs of the harbour bridge cost the city forty million euros in total."
    text_a = f"{event} {aside} {on_topic}"
    text_b = f"{event} The city paid for the repairs, and the harbour bridge now carries trams."
    checks = [
        *agreeing(event),
        check("a", aside, start=len(event) + 1),
        check("a", on_topic, start=len(event) + len(aside) + 2),
    ]
    sources = [article_from_text(text_a, "a"), article_from_text(text_b, "b")]
    summary = LocalSummarizer().summarize_all(sources, checks)
    assert "a also reports: " + on_topic in summary.text
    assert "dog" not in summary.text


def test_an_addition_that_mostly_repeats_the_event_is_not_told():
    event = "The harbour bridge reopened to traffic on Monday after two years of repairs."
    longer = "The harbour bridge reopened to traffic on Monday after two years of repairs, officials said."
    checks = [
        *agreeing(event),
        check("a", longer, start=200),
    ]
    sources = [article_from_text(f"{event} {longer}", "a"), article_from_text(event, "b")]
    summary = LocalSummarizer().summarize_all(sources, checks)
    assert [s.text for s in summary.sentences] == [event]


def test_dropping_a_modifier_keeps_the_article_right():
    (first, _), (second, _) = neutral_texts(
        ["Officials gave the town a huge advantage.", "Police found an extremely violent man."]
    )
    assert first == "Officials gave the town an advantage."
    assert second == "Police found a man."


def test_a_contradiction_with_no_named_values_stays_in_the_claim_list():
    said_a = "The mayor opened the new bridge herself."
    said_b = "The governor opened the new bridge."
    shared = SENTENCES[0]
    checks = [
        check("a", shared, "agreement", evidence=[supports("b", 0, shared)]),
        check("a", said_a, "discrepancy", start=100, evidence=[
            Evidence(source="b", verdict="contradicts", quote=said_b, start=100, end=135)]),
    ]  # fmt: skip
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert "differ" not in summary.text and "governor" not in summary.text


def test_a_wording_that_opens_with_a_pronoun_is_not_told_in_the_summarys_voice():
    named = "The mayor opened the harbour bridge on Monday."
    leaning = "She opened the harbour bridge on Monday."
    checks = [
        *agreeing(leaning, named),
        check("a", "They said the repairs took two years and cost the city dearly.", start=100),
    ]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert summary.sentences[0].text == named
    assert not any(s.text.split(": ")[-1].startswith(("She", "They")) for s in summary.sentences)


def test_a_speaker_is_written_as_inside_a_sentence():
    checks = [
        check("a", SENTENCES[0], "agreement", evidence=[supports("b", 0, SENTENCES[0])]),
        check("b", "“It is over,” the spokesman said.", kind="quote", speaker="The spokesman", start=100),
    ]  # fmt: skip
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert "b quotes the spokesman." in summary.text


def test_a_description_is_not_listed_beside_the_name_that_says_it():
    checks = [
        check("a", SENTENCES[0], "agreement", evidence=[supports("b", 0, SENTENCES[0])]),
        check("b", "“It is time,” Pope Francis said.", kind="quote", speaker="Pope Francis", start=100),
        check("b", "“We must act,” the pope said.", kind="quote", speaker="The pope", start=200),
        check("b", "“It is late,” the spokesman said.", kind="quote", speaker="The spokesman", start=300),
    ]  # fmt: skip
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert "b quotes Pope Francis and the spokesman." in summary.text


def test_a_second_event_sentence_that_mostly_repeats_the_first_is_not_told():
    first = "The council approved the harbour budget on Monday, funding two ferry terminals."
    repeat = "The council approved the harbour budget on Monday."
    checks = [
        *agreeing(first),
        check("a", repeat, "agreement", evidence=[supports("b", 200, repeat)], start=200),
        check("b", repeat, "agreement", evidence=[supports("a", 200, repeat)], start=200),
    ]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert [s.text for s in summary.sentences] == [first]


@pytest.mark.parametrize(
    "opening",
    ["US President Ana Ruiz opened the harbour bridge on Monday.",
     "One of the city's engineers opened the harbour bridge on Monday."],
)  # fmt: skip
def test_a_capitalised_abbreviation_or_a_partitive_opening_names_its_subject(opening):
    checks = agreeing(opening)
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert [s.text for s in summary.sentences] == [opening]


def test_a_speaker_several_sources_quote_is_named_once_with_all_of_them():
    def quote(source, speaker, start):
        return check(source, f"“We will rebuild,” {speaker} said.", kind="quote",
                     speaker=speaker, start=start)  # fmt: skip

    checks = [
        *agreeing(SENTENCES[0]),
        quote("a", "Mark Esper", 100), quote("b", "Mark Esper", 100),
        quote("a", "The spokesman", 200), quote("b", "The spokesman", 200),
    ]  # fmt: skip
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    quoting = [s for s in summary.sentences if " quote" in s.text]
    assert quoting[0].text == "a and b quote Mark Esper." and quoting[0].sources == ["a", "b"]
    assert "a quotes the spokesman." in summary.text and "b quotes the spokesman." in summary.text


def test_a_modifier_several_sources_put_on_the_same_word_is_their_shared_description():
    text_a = "The mayor resigned after allegations of sexual abuse, officials said on Monday."
    text_b = "Allegations of sexual abuse led the mayor to resign on Monday, officials said."
    checks = agreeing(text_a, text_b)
    sources = [article_from_text(text_a, "a"), article_from_text(text_b, "b")]
    summary = LocalSummarizer().summarize_all(sources, checks)
    assert "sexual abuse" in summary.sentences[0].text  # one outlet alone would lose "sexual"
    alone = [article_from_text(text_a, "a"), article_from_text("The mayor resigned.", "b")]
    assert "sexual" not in LocalSummarizer().summarize_all(alone, checks).text


def test_a_question_is_never_told_as_a_fact():
    question = (
        "Why did the council approve the new budget for the harbour district and the ferry "
        "terminals on Monday evening?"
    )
    checks = [*agreeing(question), check("a", SENTENCES[3], start=200)]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert "?" not in summary.text
    # nor as a source's lede when no fact is corroborated
    checks = [check("a", question), check("a", SENTENCES[3], start=100), check("b", SENTENCES[5])]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert f"a reports: {SENTENCES[3]}" in summary.text and "?" not in summary.text


def test_an_addition_that_tells_an_event_again_is_not_told():
    again = (
        "The council approved the new budget for the harbour district on Monday evening, ending "
        "a debate among opposition councillors that had lasted for more than two years in the "
        "chamber of the town hall."
    )
    checks = [*agreeing(SENTENCES[0]), check("a", again, start=200)]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert [s.text for s in summary.sentences] == [SENTENCES[0]]


def test_a_function_word_given_as_speaker_names_no_one():
    checks = [
        check("a", SENTENCES[0], "agreement", evidence=[supports("b", 0, SENTENCES[0])]),
        check("b", "“It is late,” that said.", kind="quote", speaker="that", start=100),
    ]
    assert "quotes" not in LocalSummarizer().summarize_all(articles("a", "b"), checks).text


def test_a_sentence_whose_subject_is_a_pronoun_after_an_opening_phrase_is_not_told():
    leaning = "In a statement it said the old pier that closed last winter would be repaired soon."
    checks = [
        *agreeing(SENTENCES[0]),
        check("a", leaning, "agreement", evidence=[supports("b", 200, leaning)], start=200),
        check("b", leaning, "agreement", evidence=[supports("a", 200, leaning)], start=200),
    ]
    summary = LocalSummarizer().summarize_all(articles("a", "b"), checks)
    assert [s.text for s in summary.sentences] == [SENTENCES[0]]
    # a name that ends in a pronoun's letters is a name
    named = "Vice Premier Liu He signed the harbour budget for the district on Monday evening."
    summary = LocalSummarizer().summarize_all(articles("a", "b"), agreeing(named))
    assert [s.text for s in summary.sentences] == [named]
