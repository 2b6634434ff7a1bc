"""Reading sources: furniture by kind, page metadata, outlets, language, and `factcheck extract`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.ingest import article_from_text, load_article, load_articles
from factcheck.reading.furniture import credit_line, line_kind, tail_kind
from factcheck.reading.language import detect_language
from factcheck.reading.metadata import clean_byline, clean_title, iso_date
from factcheck.reading.outlets import outlet_for_host, readable_site_name

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Share:", "share"),
        ("- Share on Twitter", "share"),
        ("Facebook Twitter Email", "share"),
        ("941 comments", "comments"),
        ("Leave a Reply", "comments"),
        ("[Sign up for the Morning Brief: the day's news in your inbox.]", "newsletter"),
        ("Related: Grain prices rise as Black Sea shipments slow", "related"),
        ("Image 1 of 4", "media"),
        ("A worker in Queens.CreditJane Roe/The Daily Example", "media"),
        ("JIM SMITH/AFP/Getty Images", "media"),
        ("Advertisement", "advert"),
        ("Story continues below advertisement", "advert"),
        ("Please wait...", "controls"),
        ("Topics: floods, Netherlands, climate", "tags"),
        ("From the section US & Canada", "tags"),
        ("© 2024 Harbour Ledger. All rights reserved.", "copyright"),
        (
            "A version of this article appears in print on , on Page A1 of the New York edition.",
            "print",
        ),
        ("- 24 July 2015", "date"),
        ("posted on April 21, 2015, at 11:29 a.m.", "date"),
        ("Partager", "share"),
    ],
)
def test_furniture_lines_by_kind(line: str, kind: str) -> None:
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "Credit card debt rose 5 percent last year, the central bank said.",
        "He said he would try again.",
        "The drug is not available in Europe.",
        "Published in 2019, the report found 12 cases.",
        "Printing presses ran all night.",
        "Share prices fell 3 percent on Monday after the announcement.",
        "Comments by the minister angered the opposition.",
        "Uber had an interesting response to the panic: It raised prices. A lot.",
        "東京都議会は水曜日、新しい路面電車の建設計画を可決した。",
    ],
)
def test_sentences_of_an_article_are_not_furniture(sentence: str) -> None:
    assert line_kind(sentence) is None
    assert tail_kind(sentence) is None


def test_tails_and_credits() -> None:
    assert tail_kind("You Might Also Like") == "related"
    assert tail_kind("3 Comments") == "comments"
    assert tail_kind("Related: Grain prices rise") is None  # an inline link, one line only
    credit = credit_line("Reporting by Maayan Lubell; edited by Rami Ayyub and news desk.")
    assert credit and credit.group("names").strip() == "Maayan Lubell"


def test_wire_page_metadata_from_structured_data_and_furniture_left_out() -> None:
    article = load_article(PAGES / "wire_story.html")
    assert article.title == "Port strike halts grain exports"  # not "... | Harbour Ledger"
    assert article.byline == "Marta Kowalska, Tom Reyes"  # JSON-LD, not the "Username" meta
    assert article.outlet == "Reuters"  # the canonical URL's known domain
    assert article.date == "2024-05-14"  # datePublished, not dateModified
    body = article.body_text()
    assert body.startswith("Dock workers at the port of Gdansk")
    assert "30 million euros" in body
    for furniture in ("Advertisement", "Related:", "Sign up", "Reporting by", "Share", "Sam:"):
        assert furniture not in body
    kinds = {f.kind for f in article.furniture}
    assert {"advert", "related", "newsletter", "credit"} <= kinds
    for item in article.furniture:  # offsets into the text as read, like every span
        assert article.text[item.start : item.end].strip()


def test_cms_page_placeholders_microdata_and_link_hosts() -> None:
    article = load_article(PAGES / "cms_page.html")
    assert article.title == "Council approves new tram line"  # not the section's <h1>
    assert article.byline == "Jane Doe"  # "admin" is a placeholder; the role is cut off
    assert article.date == "2023-11-02"  # the article's microdata, not a teaser's
    assert article.outlet == "The Seattle Times"  # from the page's own <link> hosts


def test_cjk_paragraphs_are_article_not_furniture() -> None:
    article = load_article(PAGES / "japanese.html")
    assert len(article.body) == 3
    assert article.title == "東京で新しい路面電車の建設が決定"  # "（source） - site" suffix off
    assert article.outlet == "サンプルニュース"
    [with_lang] = [
        a for a in load_articles([article, PAGES / "wire_story.html"]) if a.id == "japanese"
    ]
    assert with_lang.language == "ja"
    text = "東京都議会は水曜日、新しい路面電車の建設計画を賛成多数で可決した。\n\n建設は来年春に始まる予定だ。\n"
    assert len(article_from_text(text, "ja").body) == 2


def test_markdown_furniture_and_a_tail_only_after_the_body() -> None:
    article = load_article(PAGES / "furniture_story.md")
    assert article.title == "Flood barrier closes for the first time"
    assert article.byline == "Priya Natarajan"
    assert article.date == "--03-03" and article.date_partial  # "March 3", no year anywhere
    body = article.body_text()
    assert body.startswith("The Maeslant storm barrier closed")
    assert "Published in 2019" in body and "three metres" in body
    assert "Storm batters coast" not in body and "Topics:" not in body and "Image 1" not in body
    early_tail = (
        "You Might Also Like\n\nThe barrier closed on Sunday for the first time, officials said.\n"
    )
    assert article_from_text(early_tail, "t").body_text().startswith("The barrier closed")


def test_a_dateline_needs_a_place_not_a_sentence_with_a_dash() -> None:
    text = "Lupita Nyong'o's famous dress -- adorned in pearls -- was stolen, police said.\n"
    assert article_from_text(text, "d").body_text() == text.strip()
    wire = article_from_text(
        "CAIRO — Gunmen opened fire on visitors on Wednesday, officials said.\n", "w"
    )
    assert wire.body_text().startswith("Gunmen opened fire")
    run_on = article_from_text(
        "Washington (CNN)Defense Secretary Mark Esper said on Wednesday.\n", "c"
    )
    assert run_on.body_text() == "Defense Secretary Mark Esper said on Wednesday."
    named = article_from_text("Senator Ana Ruiz (D) said the vote would be held on Friday.\n", "n")
    assert named.body_text().startswith("Senator Ana Ruiz (D) said")


@pytest.mark.parametrize(
    "sentence",
    [
        "By 2030 that figure is expected to surge to 31.8 million people.",
        "By the end of the day, crowds had gathered outside the court building.",
    ],
)
def test_a_sentence_that_opens_with_by_is_article_text_not_a_byline(sentence: str) -> None:
    article = article_from_text(sentence, "a")
    assert article.byline is None and article.body_text().strip() == sentence


def test_a_paragraph_that_opens_with_a_hash_is_text_not_a_heading() -> None:
    text = (
        "# 64 was the price of the cheapest ticket for the match. Fans of both clubs left their "
        "seats empty for the first ten minutes. Supporters say they are angry at the rise."
    )
    article = article_from_text(text, "a")
    assert article.title is None and article.body_text().strip() == text


def test_metadata_cleaning() -> None:
    assert clean_byline("By Ben Silverman Games Editor") == "Ben Silverman"
    assert clean_byline("Jeffrey Gettleman; JEFFREY GETTLEMAN") == "Jeffrey Gettleman"
    assert clean_byline("Joshua Sokol May 20, 2019") == "Joshua Sokol"
    assert clean_byline("Theresa May") == "Theresa May"
    assert clean_byline("Username") is None
    assert clean_byline("https://www.example.com/profile/someone") is None
    assert clean_title("A headline here | Jane Roe", byline="Jane Roe") == "A headline here"
    assert clean_title("A headline here - Ledger", outlet="Ledger") == "A headline here"
    assert clean_title("Who won - and who lost", outlet="Ledger") == "Who won - and who lost"
    assert iso_date("2016-07-29T16:42:34-04:00") == "2016-07-29"
    assert iso_date("20170113") == "2017-01-13"
    assert iso_date("yesterday") is None
    assert outlet_for_host("money.cnn.com") == "CNN"
    assert readable_site_name("http://www.tmz.com") == "TMZ"
    assert readable_site_name("Some Local Paper") == "Some Local Paper"


def test_language_detection() -> None:
    french = (
        "Le gouvernement a annoncé mardi une réforme des retraites qui repousse l'âge légal de "
        "départ, provoquant la colère des syndicats dans plusieurs grandes villes du pays."
    )
    assert detect_language(french).code == "fr"
    assert detect_language(french).name == "French"
    english = (
        "The council voted on Wednesday to build a new tram line to the airport, officials said."
    )
    assert detect_language(english).code == "en"
    assert detect_language("Officials said.").code is None  # too short to tell


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_API_KEY": ""}
    return subprocess.run(
        [sys.executable, "-m", "factcheck.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_extract_command_shows_what_was_read() -> None:
    done = run_cli("extract", str(PAGES / "wire_story.html"), "--furniture")
    assert done.returncode == 0, done.stderr
    assert "title: Port strike halts grain exports" in done.stdout
    assert "outlet: Reuters" in done.stdout
    assert "language: English (en)" in done.stdout
    assert "[advert] Advertisement" in done.stdout
    data = json.loads(run_cli("extract", str(PAGES / "japanese.html"), "-f", "json").stdout)
    assert data["language"] == "ja" and len(data["body"]) == 3
    missing = run_cli("extract", "no-such-file.txt")
    assert missing.returncode == 2 and missing.stderr.startswith(
        "error: no-such-file.txt: no such file"
    )
