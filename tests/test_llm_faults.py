"""The LLM engine against stub servers on 127.0.0.1 that inject the faults met with real ones:
example-shaped answers, unrelated evidence, delimiters inside articles, servers refusing
json_schema, invalid answers (never cached), trickling, hanging and rate-limiting servers, and
the calls a comparison may make."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from pathlib import Path

import pytest

from factcheck import compare
from factcheck.engines import make_engine
from factcheck.engines.base import Candidates, Engine
from factcheck.engines.llm import JUDGE_BATCH, AnswerCache, LLMEngine
from factcheck.engines.llm.cache import answer_key
from factcheck.engines.llm.chains import Chain
from factcheck.engines.llm.chains.extract_claims import ClaimList
from factcheck.engines.llm.chains.summarize_source import SourceSummary
from factcheck.errors import FactcheckError, LLMServerError
from factcheck.ingest import article_from_text, load_article
from factcheck.models import Claim
from factcheck.store import Hit, Store
from tests.helpers import run_cli
from tests.llm_support import DATA, Raw, Request, completion, reader, stub_llm

PORT = [DATA / "port_a.txt", DATA / "port_b.txt"]


def engine(url: str, tmp_path: Path, **kwargs) -> LLMEngine:
    kwargs.setdefault("cache", tmp_path / "answers.sqlite")
    return LLMEngine(model="stub", base_url=url, api_key="k", **kwargs)


def run(url: str, tmp_path: Path, paths=PORT, **kwargs):
    llm = engine(url, tmp_path, **kwargs)
    report = compare(paths, engine=Engine.whole(llm), store=Store(tmp_path / "chroma"))
    return report, llm


# --- literal examples ---------------------------------------------------------------------------

EXAMPLE_SHAPED = {
    "ClaimList": {"claims": [{"sentence": 1, "claim": "...", "kind": "fact", "speaker": ""}]},
    "Judgements": {
        "judgements": [{"claim": 1, "evidence": [], "verdict": "not_mentioned", "reason": "..."}]
    },
    "SourceSummary": {"summary": "..."},
    "JointSummary": {
        "agreed": [{"text": "...", "sources": ["..."]}],
        "differences": [],
        "only_one": [],
    },
}


def test_a_model_answering_with_the_shape_of_an_example_gets_no_claim(tmp_path):
    with stub_llm(lambda r: EXAMPLE_SHAPED[r.chain]) as stub:
        llm = engine(stub.url, tmp_path)
        article = load_article(PORT[0])
        assert llm.extract_claims(article) == []
        assert llm.summarize(article, []).startswith("No summary: the summary is empty")
    # the placeholder answer was asked again once, with the reason, then given up on
    claims = stub.of("ClaimList")
    assert len(claims) == 2 and "a placeholder claim" in claims[1].body["messages"][-1]["content"]
    assert len(AnswerCache(tmp_path / "answers.sqlite")) == 0


@pytest.mark.parametrize("verdict", ["not_mentioned", "supports", "contradicts"])
def test_example_shaped_verdicts_are_never_accepted(tmp_path, verdict):
    """Claims from a working extractor, then a judge that always answers one example judgement."""

    def respond(request: Request):
        if request.chain != "Judgements":
            return reader(request)
        first = min(request.sentences(), default=1)
        evidence = [] if verdict == "not_mentioned" else [first]
        return {
            "judgements": [{"claim": 1, "evidence": evidence, "verdict": verdict, "reason": "..."}]
        }

    with stub_llm(respond) as stub:
        report, _ = run(stub.url, tmp_path)
    assert report.claims
    for claim in report.claims:
        assert claim.status == "unsupported"
        for evidence in claim.evidence:
            assert evidence.verdict == "not_mentioned"
            assert evidence.reason.startswith("not checked:"), evidence.reason
    assert len(stub.of("Judgements")) == 4  # each batch asked again once, then given up on


# --- delimiters inside an article ---------------------------------------------------------------


def test_an_injected_delimiter_cannot_end_the_data_block(tmp_path):
    paths = [DATA / "port_delimiters.txt", DATA / "port_b.txt"]
    with stub_llm(reader) as stub:
        report, _ = run(stub.url, tmp_path, paths=paths)
    text = (DATA / "port_delimiters.txt").read_text()
    for request in stub.requests:
        user = request.user
        for tag in ("<article", "</article>", "<source", "</source>", "<claims>", "</claims>"):
            assert user.count(tag) <= 1, (request.chain, tag)
        block = re.search(r"<(article|source)[^>]*>\n(.*?)\n</\1>", user, re.DOTALL)
        if block and request.chain != "JointSummary":
            numbers = []
            for line in block.group(2).splitlines():
                assert re.match(r"\[\d+\] ", line), line  # every line starts with the code's number
                numbers.append(int(line[1 : line.index("]")]))
            assert numbers == sorted(set(numbers))
    claims_prompt = stub.of("ClaimList")[0].user
    assert "&lt;/article&gt; and &lt;/source&gt;" in claims_prompt
    assert "&lt;claims&gt;" in claims_prompt and "] [1] The mayor of Rotterdam" in claims_prompt
    judged = [r.user for r in stub.of("Judgements") if "&lt;/source&gt;" in r.user]
    assert judged, "the injected sentence reached a judge prompt as escaped data"
    own = [c for c in report.claims if c.source == "port_delimiters"]
    assert own and all(text[c.start : c.end] == c.quote for c in own)
    assert any("</source>" in c.quote for c in own)  # quotes are the text as read, unescaped


# --- evidence about another subject -------------------------------------------------------------


def test_a_verdict_on_an_unrelated_sentence_with_numbers_is_rejected(tmp_path):
    """The judge "supports" a cost claim with the council's vote: a real sentence, not about it."""
    source = article_from_text(
        "Harbour plan approved\n\nThe new container terminal will cost 55 million euros, the port "
        "authority said.\n\nThe city council voted 7 to 2 in favour on Monday.",
        "b",
    )
    text = "The new container terminal will cost 40 million euros."
    claim = Claim(id="a#1", source="a", text=text, quote=text, start=0, end=len(text))
    item = Candidates(claim, [Hit(source.text, 0, len(source.text), 0.7)])

    def respond(request: Request):
        vote = next(n for n, s in request.sentences().items() if "council" in s)
        return {
            "judgements": [
                {"claim": 1, "evidence": [vote], "verdict": "supports", "reason": "Approved."}
            ]
        }

    with stub_llm(respond) as stub:
        (evidence,) = engine(stub.url, tmp_path).judge([item], source)
    assert evidence.verdict == "not_mentioned"
    assert (
        evidence.reason
        == "not checked: the evidence for 'supports' is not about the claim's subject"
    )


# --- structured conflicts -----------------------------------------------------------------------


def test_a_contradiction_carries_its_aspect_and_values_into_the_report(tmp_path):
    def respond(request: Request):
        if request.chain != "Judgements":
            return reader(request) if request.chain != "JointSummary" else {
                "agreed": [], "differences": [], "only_one": []
            }  # fmt: skip
        shown = request.sentences()
        out = []
        for n, claim in request.claims().items():
            pay = next((k for k, s in shown.items() if "percent" in s), None)
            if "percent" in claim and pay is not None:
                ours = re.search(r"\d+ percent", claim).group()
                theirs = re.search(r"\d+ percent", shown[pay]).group()
                out.append({
                    "claim": n, "evidence": [pay], "verdict": "contradicts",
                    "aspect": "the pay rise", "claim_value": ours, "source_value": theirs,
                    "reason": "The sources give different pay rises.",
                })  # fmt: skip
            else:
                out.append({"claim": n, "evidence": [], "verdict": "not_mentioned",
                            "reason": "Not in the passages."})  # fmt: skip
        return {"judgements": out}

    with stub_llm(respond) as stub:
        report, _ = run(stub.url, tmp_path)
    conflicts = [e.conflict for c in report.discrepancies for e in c.evidence if e.conflict]
    assert len(conflicts) == 2  # each source's pay claim contradicted by the other's
    for conflict in conflicts:
        assert conflict.aspect == "the pay rise"
        assert {conflict.claim_value, conflict.evidence_value} == {"6 percent", "4 percent"}
    assert "Sources differ on the pay rise" in report.summary.text
    joint = stub.of("JointSummary")[0].user
    assert 'differ on the pay rise: port_a reports "6 percent", port_b reports "4 percent"' in joint


# --- structured-output method -------------------------------------------------------------------

LLAMA_CPP_500 = Raw(
    500,
    json.dumps(
        {"error": {"message": "Input should be 'text' or 'json_object'", "code": 500}}
    ).encode(),
)
FASTAPI_422 = Raw(
    422,
    json.dumps(
        {
            "detail": [
                {
                    "type": "literal_error",
                    "loc": ["body", "response_format", "type"],
                    "msg": "Input should be 'text' or 'json_object'",
                }
            ]
        }
    ).encode(),
)


@pytest.mark.parametrize("refusal", [LLAMA_CPP_500, FASTAPI_422], ids=["500", "422"])
def test_a_server_refusing_json_schema_is_used_through_function_calling(tmp_path, refusal):
    def respond(request: Request):
        return refusal if request.method == "json_schema" else reader(request)

    article = load_article(PORT[0])
    with stub_llm(respond) as stub:
        claims = engine(stub.url, tmp_path).extract_claims(article)
        assert [r.method for r in stub.requests] == ["json_schema", "function_calling"]
        # the choice is remembered for this base URL: a later run goes straight to it
        again = engine(stub.url, tmp_path, cache=tmp_path / "answers.sqlite")
        again.summarize(article, [])
        assert [r.method for r in stub.requests[2:]] == ["function_calling"]
    assert claims


def test_json_mode_is_the_last_fallback_and_carries_the_schema(tmp_path):
    def respond(request: Request):
        if request.method in ("json_schema", "function_calling"):
            return Raw(400, b'{"error": {"message": "this model does not support tools"}}')
        return reader(request)

    with stub_llm(respond) as stub:
        claims = engine(stub.url, tmp_path).extract_claims(load_article(PORT[0]))
    assert [r.method for r in stub.requests] == ["json_schema", "function_calling", "json_mode"]
    assert claims and '"title": "ClaimList"' in stub.requests[-1].body["messages"][1]["content"]


def test_a_refused_method_chosen_by_the_user_is_one_line_without_retries(tmp_path):
    with stub_llm(lambda r: LLAMA_CPP_500) as stub:
        llm = engine(stub.url, tmp_path, method="json_schema")
        with pytest.raises(
            LLMServerError, match="refused the structured-output method json_schema"
        ) as caught:
            llm.extract_claims(load_article(PORT[0]))
    assert len(stub.requests) == 1 and caught.value.status_code == 500
    assert "FACTCHECK_STRUCTURED_METHOD" in str(caught.value) and "\n" not in str(caught.value)


# --- the cache keeps only valid answers ---------------------------------------------------------


FAULTS = {
    "truncated JSON": lambda r: completion(r, json.dumps(reader(r))[:40]),
    "wrong schema": lambda r: {"items": [{"text": "Dock workers ended a strike."}]},
    "empty content": lambda r: completion(r, ""),
    "cut at the token limit": lambda r: completion(r, json.dumps(reader(r))[:60], finish="length"),
    "20 MB answer": lambda r: completion(r, '{"claims": [' + " " * 20_000_000 + "]}"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_an_invalid_answer_is_never_cached_and_a_fixed_server_is_asked_again(tmp_path, fault):
    article = load_article(PORT[0])
    broken = True
    with stub_llm(lambda r: FAULTS[fault](r) if broken else reader(r)) as stub:
        assert engine(stub.url, tmp_path).extract_claims(article) == []
        assert len(stub.of("ClaimList")) == 2  # the answer, then one retry with the error
        cache = AnswerCache(tmp_path / "answers.sqlite")
        assert len(cache) == 0
        broken = False  # the server is fixed
        claims = engine(stub.url, tmp_path).extract_claims(article)
        assert len(stub.requests) == 3 and claims  # asked again, not replayed from the cache
        assert len(cache) == 1
        assert engine(stub.url, tmp_path).extract_claims(article) == claims
        assert len(stub.requests) == 3  # the valid answer is cached


def test_the_retry_message_names_the_fault(tmp_path):
    with stub_llm(FAULTS["cut at the token limit"]) as stub:
        engine(stub.url, tmp_path).extract_claims(load_article(PORT[0]))
    retry = stub.requests[1].body["messages"][-1]["content"]
    assert "cut off at the token limit" in retry


def test_cached_answers_are_size_capped_and_keyed_by_prompt_version(tmp_path):
    cache = AnswerCache(tmp_path / "c.sqlite", max_answer_bytes=1000)
    assert not cache.put("big", {"summary": "x" * 2000}) and len(cache) == 0
    assert cache.put("small", {"summary": "fine"}) and cache.get("small") == {"summary": "fine"}
    one, two = Chain("summarize_source", SourceSummary), Chain("summarize_source", ClaimList)
    assert one.version != two.version  # the schema is part of the version, as is the prompt
    messages = one.messages({"source": "a", "sentences": "[1] x"})
    assert answer_key(one.version, "m", None, messages) != answer_key(
        two.version, "m", None, messages
    )
    total = AnswerCache(tmp_path / "t.sqlite", max_total_bytes=3000)
    for n in range(10):
        total.put(str(n), {"summary": "y" * 500})
    assert total.size() <= 3000 and total.get("9") is not None and total.get("0") is None


def test_no_cache_and_cache_clear_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    a, b = map(str, PORT)
    with stub_llm(reader) as stub:
        args = ["compare", a, b, "--engine", "llm", "--base-url", stub.url, "--model", "stub",
                "--store", str(tmp_path / "store"), "-f", "json"]  # fmt: skip
        assert run_cli(*args, "--no-cache").exit_code == 0
        first = len(stub.requests)
        assert not (tmp_path / "user-cache" / "factcheck" / "llm-answers.sqlite").exists()
        assert run_cli(*args, "--no-cache").exit_code == 0
        assert len(stub.requests) == 2 * first  # nothing cached, nothing reused
        assert run_cli(*args, "--fresh").exit_code == 0  # fills the cache
        assert len(stub.requests) == 3 * first
        assert run_cli(*args, "--fresh").exit_code == 0  # answered from the cache
        assert len(stub.requests) == 3 * first
        cleared = run_cli("cache", "clear")
        assert cleared.exit_code == 0 and f"cleared {first} cached LLM answers" in cleared.output
        assert run_cli(*args, "--fresh").exit_code == 0
        assert len(stub.requests) == 4 * first


# --- deadlines ----------------------------------------------------------------------------------


def test_a_trickling_answer_is_cut_at_the_deadline(tmp_path):
    def respond(request: Request):
        answer = completion(request, reader(request))
        answer.trickle = 0.05  # a few hundred bytes: ~20 s
        return answer

    with stub_llm(respond) as stub:
        llm = engine(stub.url, tmp_path, timeout=1.5)
        started = time.monotonic()
        with pytest.raises(LLMServerError, match=r"did not answer within 1\.5s"):
            llm.summarize(load_article(PORT[0]), [])
    assert time.monotonic() - started < 4
    assert len(stub.requests) == 1


def test_a_hanging_server_fails_at_the_deadline(tmp_path):
    with stub_llm(lambda r: Raw(200, b"{}", delay=60)) as stub:
        llm = engine(stub.url, tmp_path, timeout=1)
        started = time.monotonic()
        with pytest.raises(LLMServerError, match=r"did not answer within 1s"):
            llm.summarize(load_article(PORT[0]), [])
    assert time.monotonic() - started < 3


def test_a_retry_after_past_the_deadline_is_said_not_waited(tmp_path):
    limited = Raw(429, b'{"error": {"message": "quota"}}', {"Retry-After": "3600"})
    with stub_llm(lambda r: limited) as stub:
        started = time.monotonic()
        with pytest.raises(LLMServerError) as caught:
            engine(stub.url, tmp_path, timeout=60).summarize(load_article(PORT[0]), [])
    message = str(caught.value)
    assert "asked to wait 3600s before trying again (Retry-After)" in message
    assert "of this call's 60s deadline" in message and "\n" not in message
    assert caught.value.status_code == 429
    assert len(stub.requests) == 1 and time.monotonic() - started < 2


def test_a_retry_after_within_the_deadline_is_honoured(tmp_path):
    def respond(request: Request):
        if len(stub.requests) == 1:
            return Raw(429, b'{"error": {"message": "slow down"}}', {"Retry-After": "1"})
        return reader(request)

    with stub_llm(respond) as stub:
        started = time.monotonic()
        summary = engine(stub.url, tmp_path, timeout=30).summarize(load_article(PORT[0]), [])
    assert time.monotonic() - started >= 1 and len(stub.requests) == 2
    assert summary.startswith("Dock workers")


def test_timeout_and_concurrency_come_from_options_or_the_environment(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    url = "http://127.0.0.1:9/v1"
    built = make_engine("llm", base_url=url, llm_timeout=12, llm_concurrency=2).judge
    assert (built.timeout, built.max_concurrency) == (12, 2)
    monkeypatch.setenv("FACTCHECK_LLM_TIMEOUT", "45")
    monkeypatch.setenv("FACTCHECK_LLM_CONCURRENCY", "3")
    built = make_engine("llm", base_url=url).judge
    assert (built.timeout, built.max_concurrency) == (45, 3)
    monkeypatch.setenv("FACTCHECK_LLM_TIMEOUT", "soon")
    with pytest.raises(FactcheckError, match="FACTCHECK_LLM_TIMEOUT='soon'"):
        make_engine("llm", base_url=url)


def test_the_timeout_option_reaches_the_calls(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with stub_llm(lambda r: Raw(200, b"{}", delay=30)) as stub:
        started = time.monotonic()
        result = run_cli(
            "compare", *map(str, PORT), "--engine", "llm", "--base-url", stub.url,
            "--store", str(tmp_path / "store"), "--timeout", "1", "--no-cache",
        )  # fmt: skip
    assert result.exit_code == 2 and "did not answer within 1s" in result.output
    assert time.monotonic() - started < 20


def test_concurrency_bounds_the_calls_in_flight(tmp_path):
    article = load_article(PORT[1])
    in_flight, most = 0, 0
    lock = threading.Lock()

    def respond(request: Request):
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.3)
        with lock:
            in_flight -= 1
        return reader(request)

    claim = Claim(id="a#1", source="a", text="Ships waited.", quote="x", start=0, end=1)
    items = [Candidates(claim, [Hit(article.text, 0, len(article.text), 0.5)])] * 60
    with stub_llm(respond) as stub:
        verdicts = engine(stub.url, tmp_path, max_concurrency=2, cache=False).judge(items, article)
    assert len(verdicts) == 60 and len(stub.requests) == 4 and most == 2


# --- the calls a comparison makes ---------------------------------------------------------------


def test_claim_extraction_is_one_call_and_the_source_summary_waits_for_a_report(tmp_path):
    with stub_llm(reader) as stub:
        llm = engine(stub.url, tmp_path)
        claims = llm.extract_claims(load_article(PORT[0]))
        assert claims and [r.chain for r in stub.requests] == ["ClaimList"]


def test_no_joint_summary_call_when_no_claim_is_shared(tmp_path):
    def respond(request: Request):
        if request.chain == "Judgements":
            return {"judgements": [
                {"claim": n, "evidence": [], "verdict": "not_mentioned", "reason": "Not there."}
                for n in request.claims()
            ]}  # fmt: skip
        return reader(request)

    with stub_llm(respond) as stub:
        report, _ = run(stub.url, tmp_path)
    assert report.claims and not report.agreements and not report.discrepancies
    assert stub.of("JointSummary") == [] and report.summary.text


def test_max_tokens_scale_with_the_batch(tmp_path, example_paths):
    with stub_llm(reader) as stub:
        _report, _ = run(stub.url, tmp_path, paths=example_paths)
    judge = {len(r.claims()): r.body["max_tokens"] for r in stub.of("Judgements")}
    assert len(judge) > 1 and max(judge) == JUDGE_BATCH
    assert judge[JUDGE_BATCH] > judge[min(judge)]
    claims = [r.body["max_tokens"] for r in stub.of("ClaimList")]
    assert max(claims) > 2048  # 25 claims do not fit in the old fixed 2048
    assert all(r.body["max_tokens"] == r.body["max_completion_tokens"] for r in stub.requests)


def test_the_call_count_stays_within_the_budget(tmp_path, example_paths):
    with stub_llm(reader) as stub:
        report, llm = run(stub.url, tmp_path, paths=example_paths)
    per_source = {s.id: sum(c.source == s.id for c in report.claims) for s in report.sources}
    others = len(per_source) - 1
    budget = (
        2 * len(per_source)
        + sum(math.ceil(n / JUDGE_BATCH) * others for n in per_source.values())
        + 1
    )
    assert report.stats.llm_calls == len(stub.requests) == llm.usage.llm_calls <= budget
    assert sum(per_source.values()) > 15  # more than one batch: the budget is tested, not trivial
