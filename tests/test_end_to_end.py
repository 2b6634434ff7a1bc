"""The two bundled examples, end to end: real findings, exact quotes, the JSON contract, each format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck import compare
from factcheck.models import Report
from factcheck.render import render
from factcheck.store import Store
from tests.helpers import run_cli

CONTRACT_CLAIM_KEYS = {
    "id",
    "source",
    "text",
    "quote",
    "start",
    "end",
    "kind",
    "status",
    "evidence",
    "confidence",
}


@pytest.fixture(scope="module")
def report(example_paths: list[Path], store: Store) -> Report:
    return compare(example_paths, engine="local", store=store)


def test_tuesday_arrival_is_an_agreement(report: Report) -> None:
    tuesday = [c for c in report.claims if "Tuesday" in c.text]
    assert {c.source for c in tuesday} == {"witkoff_report_a", "witkoff_report_b"}
    assert all(c.status == "agreement" for c in tuesday)


def test_protest_suppression_background_is_unsupported(report: Report) -> None:
    protest = [c for c in report.claims if "suppression of anti-government protests" in c.quote]
    assert protest and all(c.source.endswith("b") for c in protest)
    assert all(c.status == "unsupported" for c in protest)


def test_quotes_from_b_are_attributed_and_unsupported(report: Report) -> None:
    holt = [c for c in report.claims if c.speaker == "Marcus Holt"]
    assert holt and all(c.kind == "quote" and c.status == "unsupported" for c in holt)


def test_every_quote_is_verbatim_at_its_offsets(report: Report, example_paths: list[Path]) -> None:
    texts = {s.id: Path(s.path_or_url).read_text(encoding="utf-8") for s in report.sources}
    for claim in report.claims:
        assert texts[claim.source][claim.start : claim.end] == claim.quote
        for ev in claim.evidence:
            assert ev.source != claim.source
            if ev.quote is not None:
                assert texts[ev.source][ev.start : ev.end] == ev.quote


def test_summary_leads_with_agreement_and_is_neutral(report: Report) -> None:
    first = report.summary.sentences[0]
    assert len(first.sources) >= 2
    text = report.summary.text.lower()
    for loaded in ("outrageous", "disastrous", "maximalist", "coercion"):
        assert loaded not in text
    assert set(report.source_summaries) == {s.id for s in report.sources}


def test_json_output_follows_the_contract(example_paths: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli(
        "compare",
        *map(str, example_paths),
        "--format",
        "json",
        "--out",
        str(out),
        "--store",
        str(tmp_path / "chroma"),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert out.stat().st_mode & 0o044, (
        "the report is readable by others, as any file the user writes"
    )
    assert data["schema_version"] == "1"
    assert data["engine"] == "local"
    assert set(data) >= {"sources", "summary", "source_summaries", "claims", "stats"}
    assert set(data["sources"][0]) >= {
        "id",
        "title",
        "outlet",
        "byline",
        "date",
        "path_or_url",
        "sha256",
        "chars",
    }
    assert set(data["summary"]) == {"text", "sentences"}
    for claim in data["claims"]:
        assert set(claim) >= CONTRACT_CLAIM_KEYS
        assert claim["status"] in ("agreement", "discrepancy", "unsupported")
        assert claim["kind"] in ("fact", "quote", "opinion")
        for ev in claim["evidence"]:
            assert set(ev) >= {"source", "verdict", "quote", "start", "end", "score"}
    stats = data["stats"]
    assert stats["claims"] == len(data["claims"])
    assert stats["agreement"] + stats["discrepancy"] + stats["unsupported"] == stats["claims"]
    assert Report.model_validate(data).stats.claims == stats["claims"]


def test_markdown_and_text_views(report: Report) -> None:
    markdown = render(report, "markdown")
    assert markdown.startswith("# Fact-check report")
    assert "## Neutral summary" in markdown and "## Unsupported additions" in markdown
    text = render(report, "text", show="all")
    assert "Neutral summary" in text and "ONLY HERE" in text and "\x1b[" not in text


def test_stdin_source(example_paths: list[Path], tmp_path: Path) -> None:
    result = run_cli(
        "compare",
        "-",
        str(example_paths[1]),
        "--format",
        "json",
        "--store",
        str(tmp_path / "c"),
        input=example_paths[0].read_text(encoding="utf-8"),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sources"][0]["id"] == "stdin"
