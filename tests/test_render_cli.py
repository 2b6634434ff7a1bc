"""`factcheck compare`'s output choices: --format from the registry, or from --out's suffix; --show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.api import Comparison
from tests.helpers import run_cli
from tests.render_data import COST_A, many_claims


@pytest.fixture(scope="module")
def compared() -> Comparison:
    return many_claims()


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compared: Comparison) -> list[str]:
    """Two readable files; the comparison itself is the prepared one (no models load)."""
    monkeypatch.setattr("factcheck.api.compare_with_articles", lambda articles, **kw: compared)
    monkeypatch.setenv("OPENAI_API_KEY", "")
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    paths[0].write_text("The council met on Friday.", encoding="utf-8")
    paths[1].write_text("The council met on Friday, officials said.", encoding="utf-8")
    return [str(p) for p in paths]


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("report.html", "<!DOCTYPE html>"),
        ("report.HTM", "<!DOCTYPE html>"),
        ("report.json", '{\n  "schema_version": "1"'),
        ("report.md", "# Fact-check report"),
        ("report.txt", "Sources: alpha, beta"),
        ("report", "Sources: alpha, beta"),
    ],
)
def test_out_suffix_chooses_the_format(
    sources: list[str], tmp_path: Path, name: str, looks_like: str
) -> None:
    out = tmp_path / name
    result = run_cli("compare", *sources, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(looks_like)


def test_json_out_is_the_contract(sources: list[str], tmp_path: Path, compared) -> None:
    out = tmp_path / "report.json"
    assert run_cli("compare", *sources, "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == compared.report.model_dump(mode="json")


def test_explicit_format_wins_over_the_suffix(sources: list[str], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("compare", *sources, "--format", "markdown", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Fact-check report")


def test_unknown_format_is_a_one_line_error_before_any_work() -> None:
    result = run_cli("compare", "missing-a.txt", "missing-b.txt", "--format", "pdf")
    assert result.exit_code == 2
    assert result.output == (
        "error: unknown format 'pdf'; choose one of: text, json, markdown, html, slack, brief\n"
    )


def test_unclaimed_out_suffix_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli(
        "compare", "missing-a.txt", "missing-b.txt", "-o", str(tmp_path / "report.pdf")
    )
    assert result.exit_code == 2
    assert result.output.startswith("error: --out report.pdf: no format writes .pdf files")
    assert result.output.count("\n") == 1 and not (tmp_path / "report.pdf").exists()


def test_default_view_is_short_and_show_all_lists_everything(sources: list[str], compared) -> None:
    short = run_cli("compare", *sources)
    assert short.exit_code == 0, short.output
    assert len(short.stdout.splitlines()) <= 30 and "--show all" in short.stdout
    full = run_cli("compare", *sources, "--show", "all")
    assert full.exit_code == 0, full.output
    assert len(full.stdout.splitlines()) > len(compared.report.claims)


def test_show_discrepancies(sources: list[str]) -> None:
    result = run_cli("compare", *sources, "--show", "discrepancies")
    assert result.exit_code == 0, result.output
    assert COST_A in result.stdout and "Resident " not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--show", "everything"], "error: unknown view --show 'everything'; choose one of: short"),
        (
            ["--show", "all", "-f", "json"],
            "error: --show chooses what the terminal view (text) lists; not for json",
        ),
    ],
)
def test_bad_show_is_a_one_line_error(sources: list[str], args: list[str], message: str) -> None:
    result = run_cli("compare", *sources, *args)
    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1
