"""The HTML renderer without a browser: flat runs for overlapping spans, escaping, the CLI's html/--open."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck import article_from_text, compare_with_articles
from factcheck.cli import app
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.errors import FactcheckError
from factcheck.models import ClaimCheck
from factcheck.render.html import render_html, segments

HOSTILE = (
    "A missile struck the central market in Kharkiv on Friday, killing 12 people. "
    "</script><script>alert(1)</script> Witnesses saw <b>bold</b> smoke over the square."
)
OTHER = "Officials said 15 people died when a missile hit the central market in Kharkiv on Friday."


def claim(cid: str, start: int, end: int, status: str) -> ClaimCheck:
    return ClaimCheck(
        id=cid,
        source="a",
        text="t",
        quote="q",
        start=start,
        end=end,
        status=status,  # type: ignore[arg-type]
        evidence=[],
        confidence=1.0,
    )


def test_segments_flatten_nested_and_crossing_spans_without_losing_text() -> None:
    text = "0123456789abcdefghij"
    outer = claim("outer", 0, 20, "agreement")
    inner = claim("inner", 5, 10, "discrepancy")
    crossing = claim("cross", 8, 15, "unsupported")
    runs = segments(text, [outer, inner, crossing], marks=[2])
    assert "".join(r.text for r in runs) == text
    assert [(r.start, r.end) for r in runs] == [(0, 2), (2, 5), (5, 8), (8, 10), (10, 15), (15, 20)]
    by_start = {r.start: r for r in runs}
    assert by_start[0].claims == ("outer",) and by_start[0].opens == ("outer",)
    assert by_start[5].claims == ("inner", "outer") and by_start[5].status == "discrepancy"
    # Two claims of the same length: the more severe status is shown first.
    assert by_start[8].claims[:2] == ("inner", "cross") and by_start[8].opens == ("cross",)
    assert by_start[10].claims == ("cross", "outer") and by_start[10].status == "unsupported"
    assert by_start[15].status == "agreement"


def test_segments_ignore_spans_outside_the_text() -> None:
    runs = segments("short", [claim("x", 3, 99, "agreement")])
    assert [(r.start, r.end, r.claims) for r in runs] == [(0, 5, ())]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    return compare_with_articles(
        [article_from_text(HOSTILE, "hostile"), article_from_text(OTHER, "officials")],
        engine=fake_engine(),
        store=MemoryStore(),
    )


def test_article_markup_and_script_end_tags_are_escaped(hostile) -> None:
    report, articles = hostile
    page = render_html(report, articles)
    assert "<script>alert(1)" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    # Exactly the page's own two scripts; the embedded JSON cannot close its script element.
    assert page.count("<script") == 2
    assert page.count("</script>") == 2
    embedded = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S
    )
    assert embedded is not None
    assert json.loads(embedded.group(1)) == report.model_dump(mode="json")


def test_page_loads_nothing_from_outside(hostile) -> None:
    page = render_html(*hostile)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "default-src 'none'" in page


def test_render_html_refuses_texts_that_are_not_the_compared_ones(hostile) -> None:
    report, articles = hostile
    changed = article_from_text(OTHER + " More.", "officials")
    with pytest.raises(FactcheckError, match="officials"):
        render_html(report, [articles[0], changed])


def test_cli_writes_html_and_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    out = tmp_path / "report.html"
    args = [
        "compare",
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        "--store",
        str(tmp_path / "s"),
    ]
    result = CliRunner().invoke(app, [*args, "--format", "html", "--out", str(out), "--open"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert opened == [out.resolve().as_uri()]

    result = CliRunner().invoke(app, [*args, "--open"])  # html implied, written to a temp file
    assert result.exit_code == 0, result.output
    temp = Path(opened[1].removeprefix("file://"))
    assert temp.suffix == ".html" and "<!DOCTYPE html>" in temp.read_text(encoding="utf-8")
    temp.unlink()


def test_cli_open_with_another_format_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-f", "json", "--open"]
    )
    assert result.exit_code == 2
    assert "--open" in result.output and "Traceback" not in result.output
