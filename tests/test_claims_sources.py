"""Claims and sources: the local engine's language refusal, --lang, and the "same event?" warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import article_from_text, compare, compare_with_articles
from factcheck.checker import PairSignals, same_event_warnings
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.engines.local import require_english
from factcheck.errors import FactcheckError
from factcheck.ingest import load_articles
from factcheck.models import Report
from factcheck.render.brief import render_brief
from factcheck.render.html import render_html
from factcheck.render.markdown import render_markdown
from factcheck.render.slack import render_blocks
from factcheck.render.terminal import render_text
from factcheck.store import Store

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
FRENCH = (
    "Le gouvernement a annoncé mardi une réforme des retraites qui repousse l'âge légal de départ "
    "à soixante-quatre ans, provoquant la colère des syndicats.\n\nLes manifestations se sont "
    "multipliées dans plusieurs grandes villes du pays, selon la police.\n"
)
PORT = (
    "Dock workers at the port of Gdansk walked out on Tuesday, halting grain exports for the "
    "second time this month, the port authority said. About 40 ships were waiting to load wheat "
    "and maize. The union is demanding a 12 percent pay rise from the Baltic Terminal company. "
    "The company has offered 5 percent and will resume talks on Thursday. Exporters warned that "
    "contracts worth 30 million euros were at risk. Poland shipped 4 million tonnes of grain "
    "through Gdansk last year.\n"
)
TRAM = (
    "The Leeds city council voted 31 to 12 on Wednesday to build a new tram line linking the "
    "airport with the central station. Construction is due to start next spring and to cost 450 "
    "million pounds, the transport department said. Opponents in the Green Party preferred buses. "
    "The line will have 14 stops and carry 20,000 passengers a day. Mayor Tracy Brabin called the "
    "vote historic. A public inquiry into the route will open in January."
    "\n"
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factcheck.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "OPENAI_API_KEY": ""},
        cwd=ROOT,
        timeout=300,
    )


def test_local_engine_refuses_another_language_in_one_line(tmp_path: Path) -> None:
    french = load_articles(
        [article_from_text(FRENCH, "retraites"), article_from_text(PORT, "port")]
    )
    assert french[0].language == "fr" and french[1].language == "en"
    with pytest.raises(FactcheckError, match=r"retraites: is in French \(fr\); the local engine"):
        require_english(french[0])
    page = tmp_path / "retraites.txt"
    page.write_text(FRENCH, encoding="utf-8")
    done = run_cli(
        "compare", str(page), str(ROOT / "examples" / "witkoff_report_a.txt"), "-e", "local"
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "is in French (fr)" in done.stderr
    assert "--lang en" in done.stderr
    bad = run_cli("compare", str(page), str(page), "--lang", "not a language")
    assert bad.returncode == 2 and "--lang not a language" in bad.stderr


def test_lang_forces_the_local_engine_and_claims_keep_exact_offsets(store: Store) -> None:
    articles = [article_from_text(FRENCH, "retraites"), article_from_text(PORT, "port")]
    forced = [a.model_copy(update={"language": "en"}) for a in load_articles(articles)]
    report = compare(forced, engine="local-rules", store=store)
    by_id = {a.id: a for a in forced}
    assert report.claims
    for claim in report.claims:
        assert by_id[claim.source].text[claim.start : claim.end] == claim.quote
    assert {s.id: s.language for s in report.sources} == {"retraites": "en", "port": "en"}


def test_unrelated_articles_get_the_warning(store: Store) -> None:
    report = compare(
        [article_from_text(PORT, "port"), article_from_text(TRAM, "tram")], store=store
    )
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("port and tram may not be about the same event")
    data = json.loads(report.model_dump_json())
    assert data["warnings"] == report.warnings


def test_the_bundled_related_examples_get_no_warning(
    store: Store, example_paths: list[Path]
) -> None:
    report = compare(example_paths, store=store)
    assert report.warnings == []
    texts = {p.stem: p.read_text(encoding="utf-8") for p in example_paths}
    for claim in report.claims:  # every counted claim: its own span, inside no other claim's
        assert texts[claim.source][claim.start : claim.end] == claim.quote
        assert not any(
            other is not claim
            and other.source == claim.source
            and other.start <= claim.start
            and claim.end <= other.end
            for other in report.claims
        ), claim.quote


def test_warning_thresholds_need_both_signals_low() -> None:
    def pair(related: int, shared: int) -> PairSignals:
        return PairSignals(
            "a", "b", claims=100, related=related, entities=(20, 30), shared_entities=shared
        )

    assert same_event_warnings([pair(related=1, shared=1)])  # 1% related, 5% of names shared
    assert not same_event_warnings([pair(related=10, shared=1)])  # claims find evidence
    assert not same_event_warnings([pair(related=1, shared=8)])  # the same people and places
    short = PairSignals("a", "b", claims=6, related=0, entities=(3, 2), shared_entities=0)
    assert not same_event_warnings([short])  # too little text to tell


def test_every_view_shows_the_warning() -> None:
    comparison = compare_with_articles(
        [article_from_text(PORT, "port"), article_from_text(TRAM, "tram")],
        engine=fake_engine({}),
        store=MemoryStore(),
    )
    warning = "port and tram may not be about the same event: test"
    report = comparison.report.model_copy(update={"warnings": [warning]})
    assert warning in render_text(report, comparison.articles)
    assert f"> **Warning:** {warning}" in render_markdown(report)
    assert warning in render_brief(report)
    html = render_html(report, comparison.articles)
    assert 'class="warnings" role="alert"' in html and warning in html
    assert any(warning in json.dumps(block) for block in render_blocks(report))
    old = Report.model_validate(
        {k: v for k, v in json.loads(report.model_dump_json()).items() if k != "warnings"}
    )
    assert old.warnings == []  # a report written before the field still reads
    assert "Warning" not in render_markdown(old)
