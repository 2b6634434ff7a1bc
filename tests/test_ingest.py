"""Ingest: metadata, page furniture kept out of the body, offsets into the text as read, HTML and URLs."""

from __future__ import annotations

from pathlib import Path

from factcheck.chunking import chunks, sentences
from factcheck.engines.claim_split import extract_claims
from factcheck.ingest import article_from_text, load_article
from tests.helpers import serve

HTML_PAGE = """<!doctype html><html><head><title>Dam fails after storm | River Times</title>
<meta property="og:site_name" content="River Times"><meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content="2025-03-04"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Dam fails after storm</h1>
<p>A dam on the Ebro river failed on Tuesday after three days of heavy rain, officials said.</p>
<p>Rescue teams evacuated 2,000 residents from the villages below the dam before the water arrived.</p>
<p>The regional government said the dam had been inspected in 2023 and found to be sound.</p>
</article>
<div class="share">Share: Facebook Twitter</div>
<section id="comments"><h3>Leave a Reply</h3><p>Great article, thanks!</p></section>
</body></html>"""


def test_example_b_metadata_and_comment_block_are_not_body(example_paths: list[Path]) -> None:
    article = load_article(example_paths[1])
    assert article.title.startswith("U.S. Envoy Steve Witkoff Heads to Israel")
    assert article.byline == "Daniel Brooks"
    assert article.date == "--02-02" and article.date_partial  # "JERUSALEM, Feb 2 –", no year
    body = article.body_text()
    for furniture in ("Share:", "This Post Has 0 Comments", "No comments yet", "Leave a Reply"):
        assert furniture in article.text
        assert furniture not in body
    assert "Reporting by Maayan Lubell" not in body
    assert body.startswith("U.S. President Donald Trump")  # the dateline is not a claim either
    claims = extract_claims(article)
    assert claims and not any("comment" in c.quote.lower() for c in claims)


def test_furniture_anywhere_in_plain_text_is_dropped() -> None:
    text = (
        "Officials confirmed the bridge will reopen on Monday after repairs.\n\n"
        "Share this article\n\nRead more: Bridge closures across the region\n\n"
        "Traffic had been diverted for six weeks.\n\n3 Comments\n\nJohn: I drive there daily!\n"
    )
    article = article_from_text(text, "bridge")
    body = article.body_text()
    assert "reopen on Monday" in body and "six weeks" in body
    assert "Share" not in body and "Read more" not in body and "John" not in body


def test_offsets_point_into_the_text_as_read(example_paths: list[Path]) -> None:
    for path in example_paths:
        article = load_article(path)
        assert article.text == path.read_text(encoding="utf-8")
        for sentence in sentences(article) + chunks(article):
            assert article.text[sentence.start : sentence.end] == sentence.text
        for claim in extract_claims(article):
            assert article.text[claim.start : claim.end] == claim.quote


def test_html_file_extracts_article_text_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "dam.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    article = load_article(page)
    assert article.id == "dam"
    assert article.outlet == "River Times"
    assert article.byline == "Ana Ruiz"
    assert "evacuated 2,000 residents" in article.body_text()
    assert "Great article" not in article.text
    assert "Home" not in article.body_text()


def test_url_source_is_fetched_and_extracted() -> None:
    with serve(
        {"/news/dam-fails.html": (200, "text/html; charset=utf-8", HTML_PAGE.encode())}
    ) as base:
        article = load_article(f"{base}/news/dam-fails.html")
    assert article.id == "dam-fails"
    assert article.path_or_url.endswith("/news/dam-fails.html")
    assert "failed on Tuesday" in article.body_text()


def test_markdown_title_and_stdin_style_raw_text() -> None:
    article = article_from_text(
        "# Storm hits coast\n\nThe storm made landfall at dawn, officials said.\n", "md"
    )
    assert article.title == "Storm hits coast"
    assert article.body_text() == "The storm made landfall at dawn, officials said."


def test_a_dateline_with_its_country_is_not_body() -> None:
    for dateline, date in (
        ("TEHRAN, Iran (AP) — ", None),
        ("KYIV, Ukraine, March 3 (Reuters) - ", "--03-03"),
        ("BEIRUT, Lebanon — ", None),
        ("(Reuters) - ", None),  # the agency alone
        ("(CNN) -- ", None),
        ("WASHINGTON, D.C. -- ", None),
    ):
        article = article_from_text(
            f"Iran denies downing jet\n\n{dateline}Iran on Friday denied the allegations.", "a"
        )
        assert article.body_text().startswith("Iran on Friday denied"), dateline
        assert article.date == date
    # a list of names is no dateline
    article = article_from_text("Talks\n\nSmith, Jones (left) and Ruiz met on Monday.", "a")
    assert article.body_text().startswith("Smith, Jones")
