"""Files, URLs, stdin and raw text -> Article: decoding checks, metadata, and the body without page furniture."""

from __future__ import annotations

import hashlib
import re
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from factcheck.errors import FactcheckError
from factcheck.limits import MAX_CHARS, MAX_SOURCE_BYTES
from factcheck.models import Article, Dropped, Span
from factcheck.reading.dates import parse_date
from factcheck.reading.furniture import (
    bare,
    bracketed_link,
    credit_line,
    line_kind,
    tail_kind,
    timestamp_prefix,
    trailing_credit,
)
from factcheck.reading.language import is_cjk

if TYPE_CHECKING:
    from factcheck.fetch import Page

BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x7fELF": "executable",
}
# Byte-order marks, longest first: UTF-32's little-endian mark starts like UTF-16's.
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

HEADING_WORDS = 25  # a title longer than this is a paragraph, whatever it starts with
BYLINE = re.compile(r"^\s*by\s+(?P<name>[^|,\n]{3,80}?)\s*(?:[|,]\s*(?P<role>.*))?$", re.IGNORECASE)
# a dateline's region or country after its city ("TEHRAN, Iran (AP) —", "KYIV, Ukraine, March 3")
_DATELINE_REGION = (
    r"(?:,\s*[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,2}"
    r"(?=\s*(?:[–—]|--|\(|,\s*[A-Z][a-z]{2,8}\.?\s+\d)))?"
)
DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}?" + _DATELINE_REGION + ")"
    r"(?:,\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?))?"
    r"\s*(?:[–—:]|\s--?|\(\w+\)\s*(?:[–—]|--?)|\(\w+\)(?=[A-Z]))"  # "Washington (CNN)Secretary"
    r"|\([A-Z]\w+\)\s*(?:[–—]|--?))\s*"  # the agency alone: "(Reuters) -", "(CNN) --"
)
LIST_MARKER = re.compile(r"[-*+•·▪–]\s+|\d{1,3}[.)]\s+(?=\D)")
# An embedded post's text: a picture or short link, a hashtag or a handle (the line after it
# names the account: "— Name (@handle) December 29, 2014").
EMBEDDED_POST = re.compile(r"pic\.twitter\.com/|https?://t\.co/|(^|\s)[#@]\w+\S*\s*$")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
TERMINAL = tuple('.!?"”’)…:。！？」』）')
# WHATWG MIME sniffing's HTML signatures: the tags a web page can start with.
HTML_START = re.compile(
    r"<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|meta"
    r"|link|article|main|section|header|nav)[\s/>]"
)
HTML_TAG_NEAR_START = re.compile(r"(?:^|\n)[ \t]*<(!doctype\s+html|html|head|body)[\s>]")
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slugify(value: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug[:limit].strip("-") or "source"


def url_id(url: str) -> str:
    """A readable id for a URL: the last path segment, or the host."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    tail = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1]) if segments else ""
    return slugify(tail or parts.hostname or url)


def too_large(where: str, limit: int = MAX_SOURCE_BYTES) -> FactcheckError:
    return FactcheckError(
        f"{where}: is larger than {limit // 1_000_000} MB; factcheck compares single articles. "
        "Pass one article, not a whole archive or a stream"
    )


def read_limited(handle: BinaryIO, where: str, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """At most `limit` bytes from any readable (file, device, FIFO, stdin); more is an error.

    The size of a device or a pipe is unknown in advance, so the read itself is what is bounded.
    """
    chunks, size = [], 0
    while size <= limit:
        chunk = handle.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise too_large(where, limit)
    return b"".join(chunks)


def decode(data: bytes, where: str, charset: str | None = None) -> str:
    """Bytes -> text, refusing binary files and text that is not in the declared encoding.

    A byte-order mark names the encoding (UTF-32 and UTF-16 text is full of NUL bytes, so it is
    looked for before the binary check); without one, UTF-8 unless the server declared a charset.
    """
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(bom_encoding)
            except UnicodeDecodeError as exc:
                raise FactcheckError(
                    f"{where}: starts with a {bom_encoding.upper()} byte-order mark but is not "
                    f"valid {bom_encoding.upper()} text (at byte {exc.start + len(bom)})"
                ) from None
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise FactcheckError(
                f"{where}: is a {kind} file, not text; factcheck reads plain text, Markdown or HTML"
            )
    if b"\x00" in data[:8192]:
        raise FactcheckError(
            f"{where}: looks like a binary file; factcheck reads plain text, Markdown or HTML"
        )
    encoding = charset or "utf-8-sig"
    try:
        return data.decode(encoding)
    except LookupError:
        return data.decode("utf-8-sig", errors="replace")
    except UnicodeDecodeError as exc:
        raise FactcheckError(
            f"{where}: is not valid {encoding.removesuffix('-sig').upper()} text (byte "
            f"0x{data[exc.start]:02x} at offset {exc.start}); convert it first, for example "
            f"`iconv -f latin1 -t utf-8 FILE > FILE.utf8`"
        ) from None


def looks_like_html(text: str, name: str = "") -> bool:
    """Whether text is a web page, by its content (stdin, files without a suffix, URLs served as
    text/plain): WHATWG's MIME sniffing (the first tag, after comments and an XML declaration, is
    an HTML one), an <html>/<head>/<body> tag near the start, or mostly markup. A page named
    .html is one if it has any tag; plain text that mentions a tag ("the <b> tag") is not."""
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    while head.startswith(("<!--", "<?xml")):  # comments and an XML declaration come first
        close = head.find("-->" if head.startswith("<!--") else "?>")
        if close < 0:
            break
        head = head[close + 3 :].lstrip()
    if HTML_START.match(head) or HTML_TAG_NEAR_START.search(head[:1024]):
        return True
    tags = HTML_TAG.findall(text[:20_000])
    if name.lower().endswith((".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")):
        return bool(tags)
    sample = text[:20_000]
    return len(tags) >= 10 and sum(map(len, tags)) >= 0.2 * len(sample.strip() or "x")


def article_from_text(
    text: str,
    source_id: str = "text",
    *,
    path_or_url: str | None = None,
    where: str | None = None,
    title: str | None = None,
    byline: str | None = None,
    markdown: bool | None = None,
) -> Article:
    """Build an Article from plain or Markdown text: metadata lines found, furniture left out of the body.

    `title` and `byline`, when known from elsewhere (a page's metadata), are the article's, and
    lines that repeat them are left out of the body. Markdown (`markdown=True`, or None and the
    text has Markdown's markup) is read as what a reader sees: the article's `text` is the text
    without markup (factcheck.reading.markdown), its first heading the title.
    """
    where = where or source_id
    if len(text) > MAX_CHARS:
        raise FactcheckError(
            f"{where}: is {len(text):,} characters; factcheck compares single articles of up "
            f"to {MAX_CHARS:,} characters. Pass one article, not a whole archive"
        )
    if not text.strip():
        raise FactcheckError(f"{where}: is empty; nothing to compare")
    form, heading, layout = "text", None, None
    if markdown or (markdown is None and _looks_like_markdown(text)):
        from factcheck.reading.markdown import render

        rendered = render(text)
        found = _read_layout(
            rendered.text,
            known_title=title or rendered.title,
            known_byline=byline,
            marked=rendered.marked,
        )
        if found.body or markdown:  # else it only looked like Markdown: read it as text
            form, text, heading, layout = "markdown", rendered.text, rendered.title, found
    if layout is None:
        layout = _read_layout(text, known_title=title, known_byline=byline)
    if not layout.body:
        raise FactcheckError(f"{where}: no article text found (only headings or page furniture)")
    authors = _authors(byline) if byline else _authors(layout.byline)
    date = layout.date
    if date and date.startswith("--"):  # a dateline without its year: the year of another date
        from factcheck.reading.dates import full_dates, with_year

        date = with_year(date, full_dates(text)) or date
    return Article(
        id=source_id,
        text=text,
        title=title or heading or layout.title,
        outlet=None,
        byline=", ".join(authors) or None,
        date=date,
        path_or_url=path_or_url,
        sha256=sha256_text(text),
        body=layout.body,
        dropped=layout.dropped,
        authors=authors,
        date_partial=bool(date and date.startswith("--")),
        format=form,
    )


def _names_someone(byline: re.Match, line: str) -> bool:
    """A "By …" line that names its writers ("By Jane Doe | Reuters"), not a sentence that opens
    with "by" ("By 2030 the figure is expected to double.", "By the end of the day, …")."""
    name = byline.group("name").lstrip()
    sentence = line.rstrip().endswith((".", "!", "?")) and _words(line) > 6
    return len(line) < 120 and name[:1].isupper() and not sentence


def _looks_like_markdown(text: str) -> bool:
    from factcheck.reading.markdown import looks_like_markdown

    return looks_like_markdown(text)


def _authors(byline: str | None) -> list[str]:
    """The person names of a byline ("By JANE DOE and John Roe, Reuters" -> two names)."""
    if not byline:
        return []
    from factcheck.reading.metadata import byline_names

    return byline_names(byline)


def article_from_html(
    html: str, source_id: str, *, path_or_url: str | None = None, url: str | None = None
) -> Article:
    """Extract the article from a web page with trafilatura; the extracted text is the text as read.

    Title, byline, outlet and date come from the page's structured data and meta tags first
    (factcheck.reading.metadata), trafilatura's guesses second, lines of the text last.
    """
    import trafilatura  # imported here: plain-text sources and user errors do not pay for it

    from factcheck.reading.metadata import page_metadata

    where = path_or_url or source_id
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise FactcheckError(
            f"{where}: no article text could be extracted from this page; save the article "
            "text to a file and pass that"
        )
    meta = page_metadata(html, document, url)
    article = article_from_text(
        text,
        source_id,
        path_or_url=path_or_url,
        where=where,
        title=meta.title,
        byline=meta.byline,
        markdown=False,
    )
    date = meta.date or article.date
    return article.model_copy(
        update={
            "outlet": meta.outlet or article.outlet,
            "date": date,
            "date_partial": bool(date and date.startswith("--")),
            "format": "html",
        }
    )


def load_article(source: str | Path, source_id: str | None = None) -> Article:
    """Read one source: a file path, an http(s) URL, or '-' for stdin."""
    source = str(source)
    if source == "-":
        data = read_limited(sys.stdin.buffer, "stdin")
        text = decode(data, "stdin")
        if looks_like_html(text):  # `curl URL | factcheck compare - b.html`
            return article_from_html(text, source_id or "stdin", path_or_url="-")
        return article_from_text(text, source_id or "stdin", path_or_url="-", where="stdin")
    if source.startswith(("http://", "https://")):
        from factcheck.fetch import fetch_url

        return article_from_page(fetch_url(source), source_id or url_id(source), source)
    path = Path(source)
    if not path.exists():
        raise FactcheckError(f"{source}: no such file; check the path")
    if path.is_dir():
        raise FactcheckError(f"{source}: is a directory; pass the article files inside it")
    try:
        mode = path.stat().st_mode
        if stat.S_ISREG(mode) and path.stat().st_size > MAX_SOURCE_BYTES:
            raise too_large(source)
        with path.open("rb") as handle:
            data = read_limited(handle, source)
    except OSError as exc:
        raise FactcheckError(f"{source}: cannot read ({exc.strerror or exc})") from None
    text = decode(data, source)
    sid = source_id or (re.sub(r"[^\w.-]+", "-", path.stem).strip("-") or "source")
    if looks_like_html(text, path.name):  # by content: a saved page without .html is one too
        return article_from_html(text, sid, path_or_url=source)
    markdown = True if path.suffix.lower() in MARKDOWN_SUFFIXES else None
    return article_from_text(text, sid, path_or_url=source, where=source, markdown=markdown)


def article_from_page(page: Page, source_id: str, original_url: str) -> Article:
    text = decode(page.body, original_url, page.charset)
    if page.content_type in ("text/plain", "text/markdown") and not looks_like_html(text):
        from factcheck.reading.outlets import host_of, outlet_for_host

        article = article_from_text(
            text,
            source_id,
            path_or_url=original_url,
            where=original_url,
            markdown=True if page.content_type == "text/markdown" else None,
        )
        outlet = outlet_for_host(host_of(page.url or original_url))
        return article.model_copy(update={"outlet": outlet}) if outlet else article
    return article_from_html(text, source_id, path_or_url=original_url, url=page.url)


def load_articles(sources: Sequence[str | Path | Article]) -> list[Article]:
    """Read every source, give each a unique id, and refuse fewer than two or the same article twice."""
    articles = [s if isinstance(s, Article) else load_article(s) for s in sources]
    if len(articles) < 2:
        raise FactcheckError(
            "factcheck compares two or more sources; only one was given. Add another article "
            "about the same event"
        )
    seen: dict[str, Article] = {}
    for article in articles:
        if article.sha256 in seen:
            first = seen[article.sha256]
            raise FactcheckError(
                f"{first.path_or_url or first.id} and {article.path_or_url or article.id} are the "
                "same article (identical text); give different sources"
            )
        seen[article.sha256] = article
    return [with_language(a) for a in _unique_ids(articles)]


def with_language(article: Article) -> Article:
    """The article with its body's language detected, unless it has one (given with --lang, say).

    Called once every source has been read, so a user error never waits for the detector to load.
    """
    if article.language is not None:
        return article
    from factcheck.reading.language import detect_language

    code = detect_language(article.body_text()).code
    return article.model_copy(update={"language": code}) if code else article


def _unique_ids(articles: Iterable[Article]) -> list[Article]:
    used: dict[str, int] = {}
    unique = []
    for article in articles:
        count = used.get(article.id, 0) + 1
        used[article.id] = count
        unique.append(
            article if count == 1 else article.model_copy(update={"id": f"{article.id}-{count}"})
        )
    return unique


class _Layout:
    def __init__(self, text: str = "") -> None:
        self.text = text
        self.title: str | None = None
        self.byline: str | None = None
        self.date: str | None = None
        self.body: list[Span] = []
        self.dropped: list[Dropped] = []

    def drop(self, start: int, end: int, kind: str) -> None:
        while end > start and self.text[end - 1 : end].isspace():
            end -= 1
        if end > start:
            self.dropped.append(Dropped(start=start, end=end, kind=kind))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        spans.append((start, start + len(stripped)))
        start += len(line)
    return spans


def _words(line: str) -> int:
    """Words in a line; CJK text has no spaces between words: about one per two characters."""
    return len(line.split()) + sum(1 for ch in line if is_cjk(ch)) // 2


def _is_heading(line: str, prev_blank: bool, next_blank: bool, max_words: int = 12) -> bool:
    return (
        prev_blank
        and next_blank
        and 0 < _words(line) <= max_words
        and len(line) < 200
        and not line.rstrip().endswith(TERMINAL)
    )


def _same(a: str, b: str) -> bool:
    """Equal up to case, quotes and spacing: a headline or byline repeated in the text."""
    return _squash(a) == _squash(b)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _repeats_title(line: str, title: str | None) -> bool:
    """The headline again, whole or a part of it after a colon ("Zimbabwe coup: ...")."""
    if not title:
        return False
    squashed, whole = _squash(line), _squash(title)
    return bool(squashed) and (squashed == whole or (_words(line) >= 4 and squashed in whole))


def _read_layout(
    text: str,
    known_title: str | None = None,
    known_byline: str | None = None,
    marked: dict[int, str] | None = None,
) -> _Layout:
    """Find title, byline, dateline and the body paragraphs of a plain-text or Markdown article.

    Everything left out of the body is recorded with its kind (`Article.dropped`): whole lines
    (furniture, headings, bylines, credits, embedded posts) and parts of a paragraph (a dateline,
    a list item's marker, a closing credit in parentheses, a live blog's time stamp). A page
    tail (comments, related stories) only starts once the body has: before it, such a heading is
    one line. `marked` gives lines already known (a Markdown heading or code block) their kind.
    """
    layout = _Layout(text)
    marked = marked or {}
    lines = _lines(text)
    contents = [text[s:e] for s, e in lines]
    blank = [not c.strip() for c in contents]
    first_content = True
    tail: str | None = None
    links_follow = False  # after a bare "Read more:", the headlines it lists
    for i, (start, end) in enumerate(lines):
        line = contents[i]
        if blank[i]:
            continue
        stripped = line.strip()
        prev_blank = i == 0 or blank[i - 1]
        next_blank = i + 1 >= len(lines) or blank[i + 1]
        if kind := marked.get(start):
            if kind == "headline":
                layout.title = layout.title or stripped
                first_content = False
            layout.drop(start, end, kind)
            continue
        if tail is None and layout.body and (kind := tail_kind(stripped)):
            tail = kind
        if tail is not None:
            layout.drop(start, end, tail)
            continue
        if links_follow and _words(stripped) <= 20 and not stripped.rstrip(":").endswith(TERMINAL):
            layout.drop(start, end, "related")
            continue
        links_follow = False
        if kind := line_kind(stripped):
            if kind in ("date", "byline") and layout.date is None and not layout.body:
                layout.date = parse_date(stripped)
            if kind == "related" and bare(stripped).endswith(":"):
                links_follow = True
            if kind == "social":
                _drop_quoted_post(layout, text)
            layout.drop(start, end, kind)
            continue
        if tail_kind(stripped):  # a "Related stories" heading before the article: one line
            layout.drop(start, end, "related")
            continue
        if bracketed_link(stripped):
            layout.drop(start, end, "related")
            continue
        if credit := credit_line(stripped):
            names = credit.groupdict().get("names")
            layout.byline = layout.byline or (names.strip() if names else None)
            layout.drop(start, end, "credit")
            continue
        if stripped.startswith("#") and _words(stripped) <= HEADING_WORDS:  # not "# 64 a ticket…"
            if layout.title is None:
                layout.title = stripped.lstrip("#").strip()
            layout.drop(start, end, "headline")
            continue
        if _repeats_title(stripped, known_title or layout.title):
            layout.drop(start, end, "headline")
            continue
        if known_byline and _same(bare(stripped), known_byline):
            layout.drop(start, end, "byline")
            continue
        if (byline := BYLINE.match(bare(stripped))) and _names_someone(byline, stripped):
            if not layout.body:
                layout.byline = layout.byline or byline.group("name").strip()
            if not layout.body or _words(stripped) <= 6:  # another story's byline further down
                layout.drop(start, end, "byline")
                continue
        stamp = timestamp_prefix(stripped)
        if stamp and _is_heading(stripped[stamp:], True, True, max_words=15):
            layout.drop(start, end, "timestamp")  # a live blog's list of timed headlines
            continue
        if first_content and _is_heading(stripped, prev_blank, next_blank, max_words=HEADING_WORDS):
            layout.title = layout.title or stripped
            first_content = False
            layout.drop(start, end, "headline")
            continue
        first_content = False
        if _is_heading(stripped, prev_blank, next_blank):
            layout.drop(start, end, "heading")
            continue
        _add_paragraph(layout, line, start, end)
    return layout


def _add_paragraph(layout: _Layout, line: str, start: int, end: int) -> None:
    """A body paragraph, without what opens or closes it that is not article: its list marker,
    a live blog's time stamp, the dateline of the first paragraph, a credit in parentheses."""
    offset = len(line) - len(line.lstrip())
    if marker := LIST_MARKER.match(line, offset):
        offset = marker.end()
    if stamp := timestamp_prefix(line[offset:]):
        layout.drop(start + offset, start + offset + stamp, "timestamp")
        offset += stamp
    if not layout.body and (dateline := DATELINE.match(line[offset:])):
        layout.date = layout.date or parse_date(dateline.group("date"))
        layout.drop(start + offset, start + offset + dateline.end(), "dateline")
        offset += dateline.end()
    stop = len(line.rstrip())
    if (credit := trailing_credit(line[offset:stop])) is not None:
        cut = offset + credit
        if (found := credit_line(line[cut:stop])) and (names := found.groupdict().get("names")):
            layout.byline = layout.byline or names.strip()
        layout.drop(start + cut, start + stop, "credit")
        stop = len(line[:cut].rstrip())
    if stop > offset and any(ch.isalnum() for ch in line[offset:stop]):
        layout.body.append(Span(start=start + offset, end=start + stop))


def _drop_quoted_post(layout: _Layout, text: str) -> None:
    """An embedded post's text, the paragraph before its "— Name (@handle) date" line."""
    if not layout.body:
        return
    last = layout.body[-1]
    if EMBEDDED_POST.search(text[last.start : last.end]):
        layout.body.pop()
        layout.drop(last.start, last.end, "social")
