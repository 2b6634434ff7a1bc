"""Reading sources, continued: every kind of furniture dropped and listed, input sniffed by content
(stdin, extension-less files, URLs served as text/plain), Markdown, byte-order marks, dates without
a year, bylines as person names, titles without site names."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from factcheck.engines.claim_split import extract_claims
from factcheck.ingest import article_from_text, decode, load_article, looks_like_html
from factcheck.models import Article, SourceInfo
from factcheck.reading.dates import full_dates, parse_date, with_year
from factcheck.reading.metadata import _plausible_guess, byline_names, clean_title
from factcheck.reading.outlets import readable_site_name
from tests.helpers import run_cli, serve

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"

# Each line of wire_furniture.txt that is not article, and the kind it is dropped as.
FURNITURE = {
    "- Tweet": "share",
    "- Link this": "share",
    "- Share this": "share",
    "- Digg this": "share",
    "- Reprints": "share",
    "- 24 July 2015": "date",
    "- From the section Europe": "tags",
    "- 941 comments": "comments",
    "LONDON (Reuters) -": "dateline",
    "Continue reading the main story": "advert",
    "Chart: Cross-Channel ferry passengers by month, in thousands": "media",
    "Source: Port of Dover": "media",
    "Loading weather data ...": "controls",
    "Our thoughts are with everyone caught up in the delays at Dover today pic.twitter.com/x1y2z3": (
        "social"
    ),
    "— Kent Police (@kent_police) July 24, 2015": "social",
    "10:42 BST Coastguard confirms all passengers are safe": "timestamp",
    "11:30 BST:": "timestamp",
    "Read more:": "related",
    "Ferry strike talks collapse": "related",
    "(Reporting by Kate Holden; Editing by Mark Levine)": "credit",
    "Our Standards: The Thomson Reuters Trust Principles.": "standards",
    "Have something to add to this story? Share it in the comments.": "comments",
    "Other Opinion Columns": "related",
    "Why the Channel needs a second tunnel": "related",
}


def no_claim_touches_dropped(article: Article) -> list:
    claims = extract_claims(article)
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.quote
        for dropped in article.dropped:
            assert claim.end <= dropped.start or dropped.end <= claim.start, (claim, dropped)
    return claims


def test_every_kind_of_furniture_is_dropped_with_its_kind_and_never_a_claim() -> None:
    article = load_article(PAGES / "wire_furniture.txt")
    dropped = {article.text[d.start : d.end]: d.kind for d in article.dropped}
    for line, kind in FURNITURE.items():
        assert dropped.get(line) == kind, line
    body = article.body_text()
    assert body.startswith("A ferry operator suspended all crossings")
    assert "freight traffic would be diverted" in body  # a live blog entry: its time stamp only
    assert body.endswith("the road haulage association said.")  # its credit cut off
    for span in article.body:  # the body and what was dropped never overlap
        for d in article.dropped:
            assert span.end <= d.start or d.end <= span.start
    claims = no_claim_touches_dropped(article)
    assert len(claims) == 5
    assert article.date == "2015-07-24"
    assert article.byline == "Kate Holden"  # from the credit that closed the last paragraph


def test_furniture_of_an_html_page_read_from_a_file_without_suffix(tmp_path: Path) -> None:
    lines = [
        line for line in (PAGES / "wire_furniture.txt").read_text().splitlines() if line.strip()
    ]
    page = tmp_path / "ferry-story"  # no .html: read as a page because it is one
    page.write_text(
        "<!DOCTYPE html><html><head><title>Ferry operator suspends crossings after engine fire"
        "</title></head><body><article>"
        + "".join(f"<p>{line.replace('<', '&lt;')}</p>" for line in lines)
        + "</article></body></html>",
        encoding="utf-8",
    )
    article = load_article(page)
    assert article.format == "html" and "<p>" not in article.text
    body = article.body_text()
    for line in FURNITURE:
        assert line not in body, line
    assert "About 300 passengers were evacuated" in body
    no_claim_touches_dropped(article)


def test_a_page_with_an_embedded_post_a_wire_dateline_and_a_credit() -> None:
    article = load_article(PAGES / "embedded_post.html")
    assert article.authors == ["Alan McKay", "Ruth Ng"]  # not "Associated Press"
    assert article.title == "Snow closes roads across Scotland"  # not "... | Example News"
    kinds = {article.text[d.start : d.end]: d.kind for d in article.dropped}
    assert kinds["EDINBURGH (AP) —"] == "dateline"
    assert kinds["— Scottish Government (@scotgov) December 29, 2014"] == "social"
    assert kinds["(Reporting by Alan McKay; Editing by Sarah Young)"] == "credit"
    assert any(k.startswith("Please avoid all unnecessary travel") for k in kinds)  # the post
    claims = no_claim_touches_dropped(article)
    assert [c.quote.split()[0] for c in claims] == ["Heavy", "Gritters", "Schools"]


def test_html_from_stdin_is_extracted(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (PAGES / "wire_story.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    article = load_article("-")
    assert article.format == "html" and article.path_or_url == "-"
    assert article.title == "Port strike halts grain exports"
    assert "<" not in article.body_text() and "DOCTYPE" not in article.text
    result = run_cli("extract", "-", "-f", "json", input=data.decode())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Port strike halts grain exports"


def test_url_serving_html_as_text_plain_is_read_as_html() -> None:
    html = (PAGES / "wire_story.html").read_bytes()
    with serve({"/story": (200, "text/plain; charset=utf-8", html)}) as base:
        article = load_article(f"{base}/story")
    assert article.format == "html" and article.title == "Port strike halts grain exports"


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'><html><body><p>x</p></body></html>",
        '<?xml version="1.0"?>\n<!DOCTYPE html><html><p>x</p></html>',
        "<!-- saved from url=(0042)https://example.com/ -->\n<html lang='en'><p>x</p></html>",
        '<!--?xml version="1.0" ?--><!DOCTYPE html PUBLIC "-//WAPFORUM//DTD XHTML Mobile 1.0//EN">',
        "\ufeff  \n<head><meta charset='utf-8'><title>T</title></head><p>x</p>",
        "<div class='story'><p>A dam failed on Tuesday.</p></div>",
        "Saved page\n<html>\n<body><p>A dam failed on Tuesday.</p></body></html>",
    ],
)
def test_html_is_recognised_by_its_content(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "The <b> tag makes text bold, and <i> makes it italic, the guide says.\n",
        "A dam failed on Tuesday. Engineers use <html> and <body> tags on the flood page.\n",
        "# Dam fails\n\nA dam failed on **Tuesday**, officials said.\n",
        "Turnout was 5 < 7 percent, and 9 > 3, the survey said.\n",
    ],
)
def test_text_that_mentions_tags_stays_text(text: str) -> None:
    assert not looks_like_html(text)
    assert not looks_like_html(text, "notes.txt")


def test_markdown_is_read_as_markdown() -> None:
    article = load_article(PAGES / "markdown_story.md")
    assert article.format == "markdown"
    assert article.title == "Council approves night buses for the old town"  # the first heading
    assert article.authors == ["Lena Fischer"]
    for markup in ("**", "](", "`", "#", "\n- ", "\n* ", "\n1. ", "> ", "![", "_September_"):
        assert markup not in article.text, markup
    body = article.body_text()
    assert "voted 27 to 9 on Thursday to run night buses through the old town" in body
    assert "Three routes will run every 20 minutes" in body
    assert "route_id" not in body  # a code block is not prose
    kinds = {article.text[d.start : d.end]: d.kind for d in article.dropped}
    assert kinds["What changes"] == "heading" and kinds["By Lena Fischer"] == "byline"
    claims = no_claim_touches_dropped(article)
    for claim in claims:
        assert not any(m in claim.text for m in ("**", "](", "`", "_September_"))
    assert any(c.speaker == "Tomas Berg" for c in claims)


def test_markdown_is_sniffed_and_plain_text_is_left_alone() -> None:
    markdown = "# Dam fails\n\nA dam on the [Ebro](https://example.org) failed on **Tuesday**.\n"
    article = article_from_text(markdown, "stdin")  # no suffix to go by: the markup tells
    assert article.format == "markdown" and article.title == "Dam fails"
    assert article.body_text() == "A dam on the Ebro failed on Tuesday."
    plain = "The dam *did* fail - twice - on Tuesday, officials said.\n- 3 villages were flooded.\n"
    article = article_from_text(plain, "plain")
    assert article.format == "text" and article.text == plain  # the text as read
    assert article.body_text().endswith("\n\n3 villages were flooded.")  # no list dash


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_with_a_byte_order_mark_is_decoded(tmp_path: Path, encoding: str) -> None:
    text = "The council voted on Wednesday to build a new tram line, officials said.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    page = tmp_path / "tram.txt"
    page.write_bytes(data)
    assert load_article(page).text == text
    assert decode("東京で路面電車。\n".encode("utf-16"), "x") == "東京で路面電車。\n"


def test_binary_without_a_byte_order_mark_is_still_refused() -> None:
    from factcheck.errors import FactcheckError

    with pytest.raises(FactcheckError, match="binary"):
        decode(b"\x00\x01\x02\x03 not text", "x")


def test_dates_are_iso_and_a_dateline_takes_its_year_from_the_article() -> None:
    assert parse_date("JERUSALEM, Feb 2") == "--02-02"
    assert parse_date("Tuesday 24 July 2015 10:42 BST") == "2015-07-24"
    assert parse_date("posted on April 21, 2015, at 11:29 a.m.") == "2015-04-21"
    assert parse_date("2/26/2015 7:11 AM PST") == "2015-02-26"
    assert parse_date("Updated 2016-07-29T16:42") == "2016-07-29"
    assert parse_date("Feb 30") is None
    assert with_year("--12-31", ["2025-01-02"]) == "2024-12-31"  # nearest the article's date
    assert full_dates("since 1979, and on March 3, 2024") == ["2024-03-03"]  # a year is no date
    text = (
        "JERUSALEM, Feb 2 – The envoy will arrive on Tuesday, officials said.\n\n"
        "Talks are expected to last two days.\n\nUpdated February 3, 2025\n"
    )
    article = article_from_text(text, "envoy")
    assert article.date == "2025-02-02" and not article.date_partial
    alone = article_from_text(text.rsplit("Updated", 1)[0], "envoy")
    assert alone.date == "--02-02" and alone.date_partial  # no year anywhere: partial, flagged


def test_report_sources_carry_authors_and_the_partial_flag_compatibly() -> None:
    info = SourceInfo(
        id="a",
        title=None,
        outlet=None,
        byline="Jane Doe, John Roe",
        date="--02-02",
        path_or_url=None,
        sha256="x",
        chars=1,
    )
    assert info.authors == ["Jane Doe", "John Roe"] and info.date_partial
    old = {"id": "a", "title": None, "outlet": None, "byline": "Jane Doe", "date": "2024-01-01"}
    read = SourceInfo.model_validate(old | {"path_or_url": None, "sha256": "x", "chars": 1})
    assert read.authors == ["Jane Doe"] and not read.date_partial  # a report written before


def test_dropped_is_the_field_and_furniture_its_earlier_name() -> None:
    article = article_from_text("Officials said the bridge will reopen.\n\nShare this\n", "b")
    assert [d.kind for d in article.dropped] == ["share"]
    assert article.furniture == article.dropped
    again = Article.model_validate(
        {
            "id": "b",
            "text": article.text,
            "sha256": "x",
            "furniture": [{"start": 0, "end": 1, "kind": "k"}],
        }
    )
    assert again.dropped[0].kind == "k"
    assert "dropped" in json.loads(article.model_dump_json())


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Fox News View author archive Get author RSS feed Name Email Comment", []),
        ("Username", []),
        ("By Dana Ford, CNN", ["Dana Ford"]),
        ("By JANE DOE and ALAN MCKAY, Associated Press", ["Jane Doe", "Alan McKay"]),
        ("Jane Doe @janedoe", ["Jane Doe"]),
        ("By Jane Doe in London", ["Jane Doe"]),
        ("Jane Doe, Senior Reporter", ["Jane Doe"]),
        ("Reuters Staff", []),
        ("By Ana de Armas & Jan van der Berg", ["Ana de Armas", "Jan van der Berg"]),
        ("Richard (R.J.) Eskow", ["Richard (R.J.) Eskow"]),
        ("山田太郎", ["山田太郎"]),
    ],
)
def test_bylines_are_person_names(value: str, names: list[str]) -> None:
    assert byline_names(value) == names


def test_metadata_lists_authors_titles_lose_site_names_and_outlets_are_names() -> None:
    article = load_article(PAGES / "wire_story.html")
    assert article.authors == ["Marta Kowalska", "Tom Reyes"]
    assert _plausible_guess("Dana A Ford; Chien-Ming Wang; Ana Ruiz; Tom Reyes") is None
    assert _plausible_guess("Dana A Ford; Chien-Ming Wang") == "Dana A Ford; Chien-Ming Wang"
    headline = "Ferry crossings suspended after engine fire"
    assert clean_title(f"{headline} - Telegraph", outlet="The Telegraph") == headline
    assert clean_title(f"{headline} | Kulu Media") == headline  # a short " | " part: the site's
    assert clean_title(f"{headline} | World news | The Guardian", outlet="The Guardian") == headline
    assert clean_title(f"BBC News - {headline}", outlet="BBC News") == headline
    assert clean_title("Who won - and who lost", outlet="Ledger") == "Who won - and who lost"
    assert readable_site_name("Reuters_Co_Uk") == "Reuters"


def test_extract_shows_what_was_dropped(tmp_path: Path) -> None:
    page = tmp_path / "ferry"
    shutil.copy(PAGES / "wire_furniture.txt", page)
    result = run_cli("extract", str(page), "--dropped")
    assert result.exit_code == 0, result.output
    assert "[dateline] LONDON (Reuters) -" in result.stdout
    assert "[credit] (Reporting by Kate Holden; Editing by Mark Levine)" in result.stdout
    data = json.loads(run_cli("extract", str(page), "-f", "json", "--dropped").stdout)
    assert data["authors"] == ["Kate Holden"] and data["format"] == "text"
    assert any(
        d["kind"] == "social" and d["text"] == "— Kent Police (@kent_police) July 24, 2015"
        for d in data["dropped"]
    )
