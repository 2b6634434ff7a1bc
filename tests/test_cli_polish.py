"""The command line's manners: version, help with examples, one-line usage errors, engine choice said."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from factcheck.cli import run
from tests.helpers import run_cli

A = "The council approved the bridge on Friday after a long debate, officials said.\n"
B = "Officials said the council approved the new bridge on Friday.\n"


def run_script(monkeypatch: pytest.MonkeyPatch, capsys, *args: str) -> tuple[int, str, str]:
    """The console script as installed (`factcheck ARGS`), not click's test runner."""
    monkeypatch.setattr(sys, "argv", ["factcheck", *args])
    with pytest.raises(SystemExit) as exited:
        run()
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0 and result.output.startswith("factcheck 0.")


def test_help_has_examples_and_engine_choices() -> None:
    result = run_cli("compare", "-h")
    assert result.exit_code == 0
    assert "Examples:" in result.output and "local|local-rules|llm" in result.output
    assert "<bool>" not in result.output
    assert "SLACK_BOT_TOKEN" in run_cli("slack", "--help").output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["compare", "--frmat", "json", "a", "b"], "No such option: --frmat"),
        (["compare"], "Missing argument"),
        (["compare", "a", "b", "--chroma-port", "abc"], "--chroma-port"),
        (["eval", "x.json", "--fail-under", "120"], "--fail-under"),
    ],
)
def test_usage_errors_are_one_line(monkeypatch, capsys, args: list[str], fragment: str) -> None:
    code, out, err = run_script(monkeypatch, capsys, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0]
    assert "Traceback" not in err + out


def test_the_chosen_llm_engine_is_announced_and_offline_failure_suggests_local(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(A)
    b.write_text(B)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("FACTCHECK_CACHE", "0")
    code, _out, err = run_script(
        monkeypatch, capsys, "compare", str(a), str(b), "--store", str(tmp_path / "store")
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith("engine: llm") and "--engine local to stay offline" in lines[0]
    assert (
        lines[-1].startswith("error: cannot reach the LLM server") and "--engine local" in lines[-1]
    )
    assert "sk-test-0123456789abcdef" not in err


def test_no_announcement_when_the_engine_is_asked_for(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    code, _, err = run_script(monkeypatch, capsys, "compare", "missing.txt", "b.txt", "-e", "local")
    assert code == 2 and "engine:" not in err
