"""`factcheck eval` never misleads: bad selections refused, runs kept apart, what ran recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.engines import make_engine
from factcheck.evaluation import cache as cache_module
from factcheck.evaluation.cache import engine_key
from factcheck.evaluation.loaders import load_dataset
from factcheck.evaluation.runner import select

FIXTURES = Path(__file__).parent / "fixtures"
FEVER = str(FIXTURES / "fever_small.jsonl")
SUMMEDITS = str(FIXTURES / "summedits_small.json")


def run_eval_cli(tmp_path: Path, *args: str):
    return CliRunner().invoke(
        app,
        [
            "eval",
            *args,
            "--engine",
            "local",
            "--results",
            str(tmp_path / "results"),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )


def test_unknown_split_is_an_error_naming_the_splits(tmp_path: Path) -> None:
    result = run_eval_cli(tmp_path, SUMMEDITS, "--split", "tset")
    assert result.exit_code == 2, result.output
    assert "no examples of split 'tset'" in result.output
    assert "evaluation, test" in result.output
    assert not (tmp_path / "results").exists()


def test_html_is_not_an_eval_format(tmp_path: Path) -> None:
    result = run_eval_cli(tmp_path, FEVER, "--format", "html")
    assert result.exit_code == 2


def test_runs_with_other_limits_or_the_same_command_never_overwrite(tmp_path: Path) -> None:
    assert run_eval_cli(tmp_path, SUMMEDITS, "--limit", "2").exit_code == 0
    assert run_eval_cli(tmp_path, SUMMEDITS, "--limit", "3").exit_code == 0
    assert run_eval_cli(tmp_path, SUMMEDITS, "--limit", "3").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "results").glob("*.json"))
    assert len(names) == 3
    assert any("-n2-seed0-" in n for n in names) and any("-n3-seed0-" in n for n in names)
    assert any(n.endswith("-2.json") for n in names)


def test_named_run_and_per_example_rows(tmp_path: Path) -> None:
    result = run_eval_cli(tmp_path, FEVER, "--name", "mine")
    assert result.exit_code == 0, result.output
    rows = [
        json.loads(line)
        for line in (tmp_path / "results" / "mine.examples.jsonl").read_text().splitlines()
    ]
    assert [r["id"] for r in rows] == ["f1", "f2", "f3"]
    first = rows[0]
    assert first["input"]["claim"] and first["input"]["document"]
    assert first["gold"] == ["supported"] and len(first["predicted"]) == 1
    assert first["claims"] >= 1 and {"claim", "status", "reason"} <= set(first["found"][0])
    saved = json.loads((tmp_path / "results" / "mine.json").read_text())
    assert saved["code_version"].startswith("0.") and "+" in saved["code_version"]
    assert saved["engine_settings"] == make_engine("local").settings()


def test_limit_samples_every_label_with_a_note(tmp_path: Path) -> None:
    examples = load_dataset(SUMMEDITS).examples
    labels = {e.label for e in examples}
    sample = select(examples, split=None, limit=len(labels), seed=None)
    assert {e.label for e in sample} == labels  # stratified: not the first rows of one label
    result = run_eval_cli(tmp_path, SUMMEDITS, "--limit", "2")
    assert "random sample stratified by label (seed 0" in result.output


def test_several_datasets_get_a_combined_table(tmp_path: Path) -> None:
    result = run_eval_cli(tmp_path, FEVER, SUMMEDITS)
    assert result.exit_code == 0, result.output
    assert "| fever_small |" in result.stdout and "| summedits_small |" in result.stdout
    assert list((tmp_path / "results").glob("combined-*.md"))


def test_fail_under_exits_1(tmp_path: Path) -> None:
    result = run_eval_cli(tmp_path, FEVER, "--fail-under", "100.1")
    assert result.exit_code == 2  # out of range: a usage error
    result = run_eval_cli(tmp_path, FEVER, "--fail-under", "99.9")
    passed = json.loads(next((tmp_path / "results").glob("*.json")).read_text())
    if 100 * passed["balanced_accuracy"] < 99.9:
        assert result.exit_code == 1 and "below --fail-under" in result.output
    else:
        assert result.exit_code == 0
    assert run_eval_cli(tmp_path, FEVER, "--fail-under", "0").exit_code == 0


def test_a_code_change_changes_the_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine("local")
    before = engine_key(engine)
    monkeypatch.setattr(cache_module, "code_version", lambda: "0.1.0+changed")
    assert engine_key(engine) != before


def test_eval_in_worker_processes_gives_the_same_results(tmp_path: Path) -> None:
    threads = run_eval_cli(tmp_path / "t", FEVER, "--format", "json", "--no-save")
    processes = run_eval_cli(
        tmp_path / "p",
        FEVER,
        "--format",
        "json",
        "--no-save",
        "--executor",
        "local",
        "--workers",
        "2",
    )
    assert threads.exit_code == 0 and processes.exit_code == 0, processes.output

    def scores(result) -> dict:
        line = json.loads(next(x for x in result.stdout.splitlines() if x.startswith("{")))
        return {k: line[k] for k in ("n", "balanced_accuracy", "confusion")}

    assert scores(processes) == scores(threads)
    bad = run_eval_cli(tmp_path / "b", FEVER, "--executor", "slurm")
    assert bad.exit_code == 2 and "unknown executor" in bad.output


def test_json_output_of_several_datasets_is_only_json_lines(tmp_path: Path) -> None:
    result = run_eval_cli(tmp_path, FEVER, SUMMEDITS, "--format", "json")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert [json.loads(line)["dataset"] for line in lines] == ["fever_small", "summedits_small"]
