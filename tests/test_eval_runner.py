"""The runner on the real pipeline: resume after an interruption, ordering, and a cluster end to end."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.engines import make_engine
from factcheck.engines.local import LocalClaimExtractor
from factcheck.evaluation.cache import ResultCache, engine_key
from factcheck.evaluation.loaders import load_dataset
from factcheck.evaluation.runner import run_eval, select

FIXTURES = Path(__file__).parent / "fixtures"


def local_engine():
    return make_engine("local")


class Stop(Exception):
    pass


def counting_factory(calls: list[str]):
    """Local engines that record which claim texts they were asked to extract claims from."""

    class Counting(LocalClaimExtractor):
        def extract_claims(self, article):
            calls.append(article.text)
            return super().extract_claims(article)

    def build():
        engine = make_engine("local")
        engine.extractor = Counting()
        return engine

    return build


def test_an_interrupted_run_resumes_with_only_the_rest(tmp_path, store):
    data = load_dataset(FIXTURES / "summedits_small.json")
    cache = ResultCache(tmp_path, data.name, data.digest, engine_key(make_engine("local")))
    first: list[str] = []

    def stop_after_two(outcome, done, total):
        if outcome is not None and done == 2:
            raise Stop

    with pytest.raises(Stop):
        run_eval(data, counting_factory(first), store, cache=cache, on_result=stop_after_two)
    assert len(cache.load()) == 2

    second: list[str] = []
    run = run_eval(data, counting_factory(second), store, cache=cache)
    assert run.cached == 2
    assert run.computed == 2
    assert len(second) == 2
    assert not set(second) & set(first)
    assert [o.id for o in run.outcomes] == ["s1", "s2", "s3", "s4"]
    assert run.scores.n == 4


def test_results_come_back_in_dataset_order_whatever_the_concurrency(tmp_path, store):
    data = load_dataset(FIXTURES / "fever_small.jsonl")
    run = run_eval(data, local_engine, store, concurrency=3)
    assert [o.id for o in run.outcomes] == ["f1", "f2", "f3"]
    assert run.computed == 3
    assert run.outcomes[1].pairs == [("not supported", "not supported")]  # approved vs rejected


def test_split_seed_and_limit_select_deterministically():
    examples = load_dataset(FIXTURES / "summedits_small.json").examples
    assert [e.id for e in select(examples, split="test", limit=None, seed=None)] == [
        "s2",
        "s3",
        "s4",
    ]
    once = [e.id for e in select(examples, split=None, limit=3, seed=7)]
    assert once == [e.id for e in select(list(reversed(examples)), split=None, limit=3, seed=7)]
    assert len(once) == 3


def test_a_cluster_is_scored_end_to_end_by_matching_claims_to_gold_spans(store):
    data = load_dataset(FIXTURES / "cluster_small.jsonl")
    run = run_eval(data, local_engine, store)
    (outcome,) = run.outcomes
    assert outcome.pairs == [
        ("discrepancy", "discrepancy"),
        ("agreement", "agreement"),
        ("unsupported", "unsupported"),
        ("discrepancy", "discrepancy"),
        ("agreement", "agreement"),
    ]
    assert run.scores.balanced_accuracy == 1.0
    assert run.scores.confusion["unsupported"]["unsupported"] == 1


def test_eval_command_prints_the_contract_object_and_writes_results(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "eval",
            str(FIXTURES / "fever_small.jsonl"),
            "--engine",
            "local",
            "--format",
            "json",
            "--results",
            str(tmp_path / "results"),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    obj = json.loads(line)
    for key in ("dataset", "n", "balanced_accuracy", "per_label", "confusion", "seconds", "engine"):
        assert key in obj
    assert obj["dataset"] == "fever_small"
    assert obj["n"] == 3
    assert set(obj["per_label"]["supported"]) == {"precision", "recall", "f1", "support"}
    written = sorted(p.suffix for p in (tmp_path / "results").iterdir())
    assert written == [".json", ".jsonl", ".md", ".png"]


def test_eval_command_refuses_a_malformed_dataset_before_any_work(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "eval",
            str(FIXTURES / "fever_small.jsonl"),
            str(FIXTURES / "fever_bad.jsonl"),
            "--engine",
            "local",
            "--results",
            str(tmp_path / "results"),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    assert result.exit_code == 2
    assert "line 2" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "results").exists()
    assert not (tmp_path / "cache").exists()
