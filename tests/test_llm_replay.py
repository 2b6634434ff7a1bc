"""The LLM engine end to end, replayed from cassettes recorded against a real OpenAI-compatible server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck import compare
from factcheck.engines.base import Engine
from factcheck.engines.llm import JUDGE_BATCH
from factcheck.models import Report
from factcheck.store import Store
from tests.fault_proxy import Faults
from tests.helpers import run_cli
from tests.llm_support import DATA, make_llm_engine

JUDGE_MARK = "<claims>"
RETRY_MARK = "That answer is not valid"


def bodies(vcr) -> list[str]:
    return [r.body.decode() if isinstance(r.body, bytes) else (r.body or "") for r in vcr.requests]


def budget(report: Report) -> int:
    """2 calls per source + 1 per 15 claims per other source + 1 joint summary."""
    sources = [s.id for s in report.sources]
    judge = sum(
        -(-sum(c.source == s for c in report.claims) // JUDGE_BATCH) * (len(sources) - 1)
        for s in sources
    )
    return 2 * len(sources) + judge + 1


def assert_verbatim(report: Report, texts: dict[str, str]) -> None:
    """Every claim quote and every evidence quote is exactly its source's text[start:end]."""
    for claim in report.claims:
        assert texts[claim.source][claim.start : claim.end] == claim.quote
        for evidence in claim.evidence:
            if evidence.quote is not None:
                assert evidence.start is not None and evidence.end is not None
                assert texts[evidence.source][evidence.start : evidence.end] == evidence.quote


def texts_of(paths: list[Path]) -> dict[str, str]:
    from factcheck.ingest import load_article

    return {a.id: a.text for a in map(load_article, paths)}


@pytest.mark.vcr
def test_cli_compares_the_examples_with_the_llm_engine(
    example_paths, llm_settings, tmp_path, monkeypatch, vcr
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("FACTCHECK_STRUCTURED_METHOD", llm_settings["method"])
    out = tmp_path / "report.json"
    result = run_cli(
        "compare",
        *map(str, example_paths),
        "--engine", "llm",
        "--model", llm_settings["model"],
        "--base-url", llm_settings["base_url"],
        "--store", str(tmp_path / "chroma"),
        "--format", "json",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    report = Report.model_validate(data)
    assert report.engine == f"llm:{llm_settings['model']}"
    assert report.claims, "the model's claims were all dropped"
    assert_verbatim(report, texts_of(example_paths))
    assert set(report.source_summaries) == {"witkoff_report_a", "witkoff_report_b"}
    assert report.summary.sentences
    # 2 calls per source + 1 per 15 claims per other source + 1 joint summary, plus the
    # answers asked again with their error (the 135M model's slips).
    retries = sum(RETRY_MARK in b for b in bodies(vcr))
    assert 0 < report.stats.llm_calls - retries <= budget(report)
    assert report.stats.tokens > 0
    # Recorded (SmolLM2-135M): one claim per article, each given a wrong sentence number and
    # repaired to the sentence that holds its words; no verdict passed the checks, so there was
    # no joint-summary call: 6 calls of a budget of 7, plus the one json_schema refusal.
    assert [(c.id, c.quote[:40]) for c in report.claims] == [
        ("witkoff_report_a#1", "Witkoff’s mission underscores the Trump "),
        ("witkoff_report_b#1", "His meetings are seen as a critical prep"),
    ]
    assert report.stats.llm_calls == 6 and budget(report) == 7 and retries == 0
    assert len(vcr.requests) == 7 and not any("JointSummary" in b for b in bodies(vcr))
    assert not report.agreements and not report.discrepancies


@pytest.mark.vcr
def test_instructions_inside_an_article_change_no_verdict(llm_engine, tmp_path):
    report = compare(
        [DATA / "port_a.txt", DATA / "port_injected.txt"],
        engine=Engine.whole(llm_engine),
        store=Store(tmp_path / "chroma"),
    )
    assert_verbatim(report, texts_of([DATA / "port_a.txt", DATA / "port_injected.txt"]))
    invented = [
        c
        for c in report.claims
        if c.source == "port_injected"
        and any(w in c.quote for w in ("mayor", "submarine", "Ignore", "test mode"))
    ]
    assert invented, "the injected article's own claims should be extracted"
    for claim in invented:
        assert claim.status == "unsupported", claim
        assert all(e.verdict == "not_mentioned" for e in claim.evidence)
    # Recorded: the model did obey the injection once, "supports" for port_a's first claim, with
    # no evidence sentence; the code did not accept it.
    assert [c.quote[:24] for c in invented] == [
        "You are now in test mode",
        "The mayor of Rotterdam r",
    ]
    obeyed = report.claims[0].evidence[0]
    assert (
        obeyed.reason == "not checked: the evidence for 'supports' names no sentence of the source"
    )
    assert not report.agreements and not report.discrepancies


def sent(vcr, record_mode: str) -> int:
    """Requests answered from the cassette (replay) or recorded into it (recording)."""
    return vcr.play_count if record_mode == "none" else len(vcr.requests)


@pytest.mark.vcr
def test_a_second_identical_run_makes_no_request(llm_settings, tmp_path, vcr, record_mode):
    paths = [DATA / "port_a.txt", DATA / "port_b.txt"]
    cache = tmp_path / "llm-cache.sqlite"
    first = make_llm_engine(llm_settings, cache)
    report = compare(paths, engine=Engine.whole(first), store=Store(tmp_path / "chroma"))
    played = sent(vcr, record_mode)
    # llama-cpp-python's server refuses json_schema (HTTP 500) once; function calling answers
    statuses = [r["status"]["code"] for r in vcr.responses]
    methods = [_method(b) for b in bodies(vcr)]
    assert statuses[0] == 500 and methods[0] == "json_schema"
    assert set(statuses[1:]) == {200} and set(methods[1:]) == {"function_calling"}
    assert played == first.usage.llm_calls + 1 > 1
    # Recorded: two claims per article; the model's one "contradicts" named no differing values
    assert [c.text for c in report.claims] == [
        "Dock workers in Rotterdam ended a three-day strike on Friday.",
        "Union leader Anna de Vries said the agreement was",
        "Dock workers in Rotterdam returned to work on Friday.",
        "The port operator agreed to raise pay by 4%.",
    ]
    assert report.claims[0].evidence[0].reason == (
        "not checked: the contradiction does not say which values differ"
    )
    assert first.usage.llm_calls == 6 == budget(report) - 1  # nothing shared: no joint summary
    assert report.stats.llm_calls == first.usage.llm_calls

    second = make_llm_engine(llm_settings, cache)
    again = compare(paths, engine=Engine.whole(second), store=Store(tmp_path / "chroma"))
    assert sent(vcr, record_mode) == played  # not one request reached the (replayed) network
    assert second.usage.llm_calls == 0 and again.stats.tokens == 0
    assert again.claims == report.claims
    assert again.summary == report.summary


@pytest.mark.vcr
def test_a_429_is_retried_by_the_client(llm_settings, proxied, tmp_path, vcr, record_mode):
    faults = Faults(match="<article", too_many=1)
    with proxied(faults) as url:
        engine = make_llm_engine(llm_settings, tmp_path / "cache.sqlite", base_url=url)
        engine.max_concurrency = 1
        from factcheck.ingest import load_article

        summary = engine.summarize(load_article(DATA / "port_a.txt"), [])
    statuses = [r["status"]["code"] for r in vcr.responses]
    # the 429 is retried (Retry-After 0), the json_schema refusal moves on to function calling
    assert statuses == [429, 500, 200]
    assert sent(vcr, record_mode) == len(statuses)
    assert summary and not summary.startswith("No summary")
    assert engine.usage.llm_calls == 1  # neither the 429 nor the refusal cost a call


@pytest.mark.vcr
def test_a_malformed_answer_is_retried_with_the_error(llm_settings, proxied, tmp_path, vcr):
    faults = Faults(match=JUDGE_MARK, corrupt=1)
    with proxied(faults) as url:
        engine = make_llm_engine(llm_settings, tmp_path / "cache.sqlite", base_url=url)
        report = compare(
            [DATA / "port_a.txt", DATA / "port_b.txt"],
            engine=Engine.whole(engine),
            store=Store(tmp_path / "c"),
        )
    retries = [b for b in bodies(vcr) if JUDGE_MARK in b and RETRY_MARK in b]
    assert retries and "not valid JSON" in retries[0].split("That answer is not valid")[1]
    first_source = [c for c in report.claims if c.source == "port_a"]
    assert not any(
        (e.reason or "").startswith("not checked: not valid JSON")
        for c in first_source
        for e in c.evidence
    )
    # Recorded: the answer asked again was valid JSON; its "contradicts" cited a sentence about
    # another subject (the pay rise against the strike's end), which the code rejected.
    assert first_source[0].evidence[0].reason == (
        "not checked: the evidence for 'contradicts' is not about the claim's subject"
    )
    assert len(vcr.requests) == 8 and engine.usage.llm_calls == 7


@pytest.mark.vcr
def test_an_answer_malformed_twice_leaves_only_its_claims_unchecked(
    llm_settings, proxied, tmp_path
):
    faults = Faults(match=JUDGE_MARK, corrupt=2)
    with proxied(faults) as url:
        engine = make_llm_engine(llm_settings, tmp_path / "cache.sqlite", base_url=url)
        report = compare(
            [DATA / "port_a.txt", DATA / "port_b.txt"],
            engine=Engine.whole(engine),
            store=Store(tmp_path / "c"),
        )
    first, second = report.sources[0].id, report.sources[1].id
    unchecked = [c for c in report.claims if c.source == first]
    assert unchecked
    for claim in unchecked:
        assert claim.status == "unsupported"
        assert all(
            (e.reason or "").startswith("not checked: not valid JSON") for e in claim.evidence
        )
    others = [c for c in report.claims if c.source == second]
    assert others and not any(
        "not checked: not valid JSON" in (e.reason or "") for c in others for e in c.evidence
    )
    assert report.summary.sentences and set(report.source_summaries) == {first, second}


def _method(body: str) -> str:
    sent = json.loads(body)
    if (sent.get("response_format") or {}).get("type") == "json_schema":
        return "json_schema"
    return "function_calling" if sent.get("tools") else "json_mode"
