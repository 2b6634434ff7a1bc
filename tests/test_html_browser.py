"""The HTML report in a real headless Chromium, loaded from file:// with the network watched."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck import article_from_text, compare_with_articles
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.render.html import render_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MARKET = "A missile struck the central market in Kharkiv on Friday, killing 12 people."
OFFICIALS = (
    "Officials said 15 people died when a missile hit the central market in Kharkiv on Friday."
)
HOSTILE = (
    "A missile struck the central market in Kharkiv on Friday. "
    "</script><script>alert(1)</script> Witnesses saw <b>bold</b> smoke over the square."
)
THIRD = (
    "Fifteen people were killed on Friday when a missile hit Kharkiv's central market. "
    "The mayor declared a day of mourning."
)

# The page is under test, not the judge: the fakes' scripted verdicts give every status.
VERDICTS = {"12 people": "contradicts", "15 people": "supports", "Fifteen": "supports"}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and shutil.which("chromium") is None,
    reason="Debian chromium is not installed (.ci/system-deps installs it)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore()


def write_report(tmp: Path, texts: dict[str, str], store: MemoryStore):
    report, articles = compare_with_articles(
        [article_from_text(text, sid) for sid, text in texts.items()],
        engine=fake_engine(VERDICTS),
        store=store,
    )
    path = tmp / "report.html"
    path.write_text(render_html(report, articles), encoding="utf-8")
    return path, report


def open_page(browser, path: Path):
    """Open the file and record every request and dialog (there must be none but the file)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.requests = []
    page.dialogs = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.fixture(scope="module")
def kharkiv(tmp_path_factory: pytest.TempPathFactory, store: MemoryStore):
    return write_report(
        tmp_path_factory.mktemp("kharkiv"),
        {"market": MARKET, "officials": OFFICIALS, "mayor": THIRD},
        store,
    )


def test_loads_from_file_without_any_network_request(browser, kharkiv) -> None:
    path, _ = kharkiv
    page = open_page(browser, path)
    assert page.requests == [path.as_uri()]
    assert page.locator("article.source").count() == 3


def test_counts_match_the_report_json(browser, kharkiv) -> None:
    path, report = kharkiv
    page = open_page(browser, path)
    embedded = page.evaluate("JSON.parse(document.getElementById('report-data').textContent)")
    assert embedded == report.model_dump(mode="json")
    for status in ("agreement", "discrepancy", "unsupported"):
        shown = page.locator(f'[data-count="{status}"]').inner_text()
        assert int(shown) == getattr(report.stats, status)
        assert page.locator(f".finding.s-{status}").count() == (
            0 if status == "agreement" else getattr(report.stats, status)
        )


def test_clicking_a_discrepancy_highlights_the_conflicting_quote(browser, kharkiv) -> None:
    path, report = kharkiv
    conflict = next(
        c
        for c in report.claims_with("discrepancy")
        if c.source == "market" and any(e.verdict == "contradicts" for e in c.evidence)
    )
    assert "12" in conflict.quote
    against = [e for e in conflict.evidence if e.verdict == "contradicts"]
    page = open_page(browser, path)
    page.locator(f'#src-0 .seg[data-opens~="{conflict.id}"]').click()
    details = page.locator("#details")
    assert details.is_visible()
    assert conflict.text in details.inner_text()
    for ev in against:
        column = page.locator(f'article[data-source="{ev.source}"]')
        lit = column.locator(".seg.ev-contradicts")
        assert "".join(lit.all_inner_texts()) == ev.quote
        assert lit.first.is_visible()
        assert ev.quote in details.inner_text() and "contradicts" in details.inner_text()
    # The quote in the other article is in view: scrolled into its column's visible box.
    in_view = page.evaluate(
        """() => { const seg = document.querySelector('.seg.ev-contradicts');
                   const box = seg.getBoundingClientRect();
                   const col = seg.closest('.text').getBoundingClientRect();
                   return box.top >= col.top - 1 && box.bottom <= col.bottom + 1
                     && box.top >= 0 && box.bottom <= window.innerHeight; }"""
    )
    assert in_view
    page.keyboard.press("Escape")
    assert not details.is_visible()
    assert page.locator(".seg.ev").count() == 0


def test_keyboard_focus_shows_the_evidence(browser, kharkiv) -> None:
    path, _ = kharkiv
    page = open_page(browser, path)
    assert not page.locator("#details").is_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.seg.claim')"):
            break
    focused = page.evaluate("document.activeElement.dataset.opens.split(' ')[0]")
    details = page.locator("#details")
    assert details.is_visible()
    assert page.locator(f'.seg.sel[data-claims~="{focused}"]').count() > 0


def test_filters_hide_what_they_should(browser, kharkiv) -> None:
    path, report = kharkiv
    page = open_page(browser, path)
    highlighted = "document.querySelectorAll('.seg.claim:not(.off).s-{}').length"
    assert page.evaluate(highlighted.format("agreement")) > 0

    page.locator('input[name="status"][value="discrepancy"]').check()
    assert page.evaluate(highlighted.format("agreement")) == 0
    assert page.evaluate(highlighted.format("unsupported")) == 0
    assert page.evaluate(highlighted.format("discrepancy")) > 0
    visible_findings = page.locator(".finding:visible")
    assert visible_findings.count() == report.stats.discrepancy
    assert page.locator('.count[data-filter="discrepancy"]').get_attribute("aria-pressed") == "true"

    page.locator('.count[data-filter="unsupported"]').click()
    assert page.evaluate(highlighted.format("discrepancy")) == 0
    assert page.locator(".finding:visible").count() == report.stats.unsupported
    unsupported_ids = {c.id for c in report.claims_with("unsupported")}
    shown = page.evaluate(
        "[...document.querySelectorAll('.seg.claim:not(.off)')].map(s => s.dataset.visible.split(' ')[0])"
    )
    assert shown and set(shown) <= unsupported_ids

    page.locator('input[name="status"][value="all"]').check()
    page.locator('select[name="source"]').select_option("officials")
    assert page.locator("article.source:visible").count() == 1
    assert page.locator('article[data-source="officials"]').is_visible()
    assert page.locator('article[data-source="market"]').is_hidden()
    assert all(
        item.get_attribute("data-source") == "officials"
        for item in page.locator(".finding:visible").all()
    )


def test_hostile_article_renders_as_text(browser, tmp_path: Path, store: MemoryStore) -> None:
    path, _ = write_report(tmp_path, {"hostile": HOSTILE, "officials": OFFICIALS}, store)
    page = open_page(browser, path)
    column = page.locator('article[data-source="hostile"] .text')
    text = column.inner_text()
    assert "</script><script>alert(1)</script>" in text
    assert "<b>bold</b>" in text
    assert column.locator("b, script").count() == 0
    assert page.locator("script").count() == 2
    assert page.dialogs == []
    # Selecting every claim (the panel builds its text in JS) must not create markup either.
    for seg in page.locator(".seg[data-opens]").all():
        seg.click()
        assert page.locator("#details b, #details script").count() == 0
    assert page.dialogs == []
    assert page.requests == [path.as_uri()]
