"""How well factcheck reads real news pages: paragraphs kept, furniture leaked, metadata, language.

Reads each folder's saved page (`source.html`) with factcheck's ingest, exactly as
`factcheck compare page.html ...` would, and measures against the folder's expected article text
(Readability's extraction, `expected.txt`) and metadata:

- kept: the share of expected paragraphs found in the body factcheck keeps (by count and by
  characters); a paragraph counts as kept when its normalised text is in the body, or a fuzzy
  partial match scores at least 90;
- leaked: body paragraphs of factcheck's that are not in the expected text at all (page furniture:
  share widgets, credits, promos, navigation, other stories) — listed in the Markdown for review;
- metadata: title, byline, outlet and publication date against a truth table. The table starts
  from `expected-metadata.json` and is corrected where that file is wrong or empty after reading
  the page (see TRUTH below: each correction says what the page shows); fields without a known
  truth are not scored;
- language: the detected language against the page's language.

    python eval/ingest_realpages.py ../shared/realpages [--name NAME]

Writes eval/results/NAME.json and NAME.md (default name: ingest_realpages).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz

from factcheck.errors import FactcheckError
from factcheck.ingest import load_article
from factcheck.reading.language import detect_language

RESULTS = Path(__file__).resolve().parent / "results"

# Truth where expected-metadata.json is wrong, partial or empty, judged from the saved page.
# None: not scored (the page does not say, or it is an index page rather than an article).
TRUTH: dict[str, dict[str, str | list[str] | None]] = {
    "ars-1": {"date": "2015-04-16"},  # <time datetime="2015-04-16T20:02:01+00:00">
    "bbc-1": {"byline": None},  # "BBC News" is the outlet; the page names no author
    "breitbart": {
        "title": "'Neutral' Snopes Fact-Checker David Emery: 'Are There Any Un-Angry Trump Supporters?'",
        "byline": "Lucas Nolan",  # expected glues the date and the comment count to the name
    },
    "buzzfeed-1": {"byline": "Mark Di Stefano"},  # <meta name="author">
    "citylab-1": {  # the page's <h1> and its <title>/og:title differ: both are its headline
        "title": [
            "The Modern Ambitions Behind Neon",
            "Why Neon Is the Ultimate Symbol of the 20th Century",
        ],
        "date": "2019-04-30",  # datePublished meta
    },
    "cnet": {"date": "2017-01-18"},  # itemprop datePublished 2017-01-18T23:00:00-0800
    "cnn": {"outlet": "CNN", "date": "2016-02-01"},  # CNNMoney is CNN's business site
    "folha": {"byline": None},  # expected's "Bruno (Henrique Zecchin) Rodrigues" is not on the page
    "guardian-1": {
        "title": "'What is the sea telling us?': Māori tribes fearful over whale strandings"
    },
    "heise": {"byline": None, "outlet": "heise online"},  # "Mac & i" is a heise section
    "herald-sun-1": {
        "byline": "Laurie Oakes",  # the story's byline; expected took a sidebar item's
        "outlet": "Herald Sun",
        "date": "2015-03-13",  # article:publicationdate
    },
    "la-nacion": {"outlet": "La Nación"},
    "lemonde-1": {"byline": "Martin Untersinger", "outlet": "Le Monde", "date": "2015-05-04"},
    "liberation-1": {"byline": None, "outlet": "Libération"},  # expected's is a sidebar item's
    "medicalnewstoday": {"byline": "Ana Sandoiu", "date": "2017-07-27"},
    "nytimes-1": {"outlet": "The New York Times", "date": "2017-01-13"},
    "nytimes-2": {"outlet": "The New York Times", "date": "2016-07-29"},  # datePublished
    "nytimes-3": {"outlet": "The New York Times", "date": "2019-02-21"},
    "nytimes-4": {"outlet": "The New York Times", "date": "2018-09-25"},
    "nytimes-5": {"title": None, "byline": None, "outlet": "The New York Times"},  # index page
    "quanta-1": {"byline": "Joshua Sokol", "date": "2019-05-20"},
    "salon-1": {
        "byline": "Richard (R.J.) Eskow",  # expected took a sidebar item's byline
        "outlet": "Salon",
        "date": "2015-02-01",  # data-tlt-epoch-time 1422791820
    },
    "seattletimes-1": {"byline": "Benjamin Romano"},  # expected took the date line
    "telegraph": {"byline": None, "date": "2017-11-16"},
    "theverge": {  # <title> and og:title differ: both are the page's headline
        "title": [
            "Apple’s Vision Pro hands-on: the Retina display moment for headsets",
            "Apple’s Vision Pro is the Retina display moment for headsets",
        ]
    },
    "tmz-1": {"outlet": "TMZ", "date": "2015-02-26"},
    "wapo-1": {"byline": "Erin Cunningham", "outlet": "The Washington Post", "date": "2015-03-18"},
    "wapo-2": {"byline": "Steven Mufson", "outlet": "The Washington Post", "date": "2015-03-18"},
    "webmd-1": {"byline": "Brenda Goodman", "outlet": "WebMD"},
    "yahoo-1": {"outlet": "Yahoo", "date": "2016-10-13"},
    "yahoo-2": {"title": None, "byline": None, "outlet": "Yahoo"},  # a news front page
    "yahoo-3": {"byline": "Gillian Mohney", "date": "2015-03-11"},  # datePublished 19:46Z, 3:46 PM
    "yahoo-4": {
        "title": "トレンドマイクロ、公衆無線LANを安全に使うためのアプリ「フリーWi-Fiプロテクション」",
        "byline": None,
        "date": "2017-03-09",
    },
}
LANGUAGE = {  # the article's language (nytimes-5 is NYT en Español; yahoo-4 is Japanese)
    "folha": "pt",
    "heise": "de",
    "la-nacion": "es",
    "lemonde-1": "fr",
    "liberation-1": "fr",
    "nytimes-5": "es",
    "yahoo-4": "ja",
}
FIELDS = ("title", "byline", "outlet", "date")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+", "", text)  # a list item's marker is not its text
    text = re.sub(r"[‘’`´]", "'", text)
    text = re.sub(r"[“”„«»]", '"', text)
    text = re.sub(r"[‐‑‒–—]", "-", text)
    return " ".join(text.split()).casefold()


def truth(folder: Path) -> dict[str, str | None]:
    meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    base = {
        "title": meta.get("title"),
        "byline": meta.get("byline"),
        "outlet": meta.get("siteName"),
        "date": (meta.get("publishedTime") or "")[:10] or None,
    }
    return base | TRUTH.get(folder.name, {})


def field_right(field: str, got: str | None, want: str | list[str]) -> bool:
    if not got:
        return False
    if isinstance(want, list):
        return any(field_right(field, got, w) for w in want)
    g, w = normalise(got), normalise(want)
    if field == "byline":  # the name, whatever the prefix, a nickname or the extra authors
        strip = lambda s: " ".join(re.sub(r"^(by|par|por)\s+|\([^)]*\)|[.]", " ", s).split())  # noqa: E731
        return strip(w) in strip(g)
    if field == "outlet":  # "the Guardian" = "The Guardian", "HeraldSun" = "Herald Sun"
        squash = lambda s: re.sub(r"^the|\.(com|fr|co\.uk)$|[^\w]", "", s)  # noqa: E731
        return squash(g) == squash(w)
    if field == "date":
        return g[:10] == w[:10]
    return g == w


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def prose(paragraph: str) -> bool:
    """A paragraph of running text (8 words or more; 20 characters of CJK), not a label or caption
    credit: what a reader would call the article. Captions that are sentences count too."""
    cjk = sum(1 for ch in paragraph if "\u3040" <= ch <= "\u9fff")
    return len(paragraph.split()) >= 8 or cjk >= 20


def clip(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def found(needle: str, haystack: str) -> bool:
    if needle in haystack:
        return True
    return len(needle) >= 20 and fuzz.partial_ratio(needle, haystack) >= 90


def measure(folder: Path) -> dict:
    expected = paragraphs((folder / "expected.txt").read_text(encoding="utf-8"))
    want = truth(folder)
    started = time.perf_counter()
    try:
        article = load_article(folder / "source.html")
    except FactcheckError as exc:
        return {"page": folder.name, "error": str(exc), "expected_paragraphs": len(expected)}
    seconds = time.perf_counter() - started
    body = [article.text[s.start : s.end] for s in article.body]
    body_norm = normalise(" ".join(body))
    expected_norm = normalise(" ".join(expected))
    kept = [p for p in expected if found(normalise(p), body_norm)]
    leaked = [b for b in body if not found(normalise(b), expected_norm)]
    got = {f: getattr(article, f) for f in FIELDS}
    fields = {
        f: {"got": got[f], "want": want[f], "right": field_right(f, got[f], want[f])}
        for f in FIELDS
        if want.get(f)
    }
    language = detect_language(article.body_text())
    return {
        "page": folder.name,
        "expected_prose": sum(1 for p in expected if prose(p)),
        "kept_prose": sum(1 for p in kept if prose(p)),
        "expected_paragraphs": len(expected),
        "kept_paragraphs": len(kept),
        "expected_chars": sum(len(p) for p in expected),
        "kept_chars": sum(len(p) for p in kept),
        "body_paragraphs": len(body),
        "leaked": [clip(b) for b in leaked],  # the start only: the pages stay outside the project
        "missed": [clip(p) for p in expected if p not in kept],
        "fields": fields,
        "language": {"got": language.code, "want": LANGUAGE.get(folder.name, "en")},
        "seconds": round(seconds, 3),
    }


def summarise(rows: list[dict]) -> dict:
    ok = [r for r in rows if "error" not in r]
    total = {
        "pages": len(rows),
        "errors": [r["page"] for r in rows if "error" in r],
        "paragraphs_kept": round(
            sum(r["kept_paragraphs"] for r in ok)
            / max(1, sum(r["expected_paragraphs"] for r in rows)),
            3,
        ),
        "prose_paragraphs_kept": round(
            sum(r["kept_prose"] for r in ok)
            / max(1, sum(r.get("expected_prose", 0) for r in rows)),
            3,
        ),
        "chars_kept": round(
            sum(r["kept_chars"] for r in ok) / max(1, sum(r.get("expected_chars", 0) for r in ok)),
            3,
        ),
        "leaked_lines": sum(len(r["leaked"]) for r in ok),
        "body_paragraphs": sum(r["body_paragraphs"] for r in ok),
        "pages_without_leaks": sum(1 for r in ok if not r["leaked"]),
        "language_right": sum(1 for r in ok if r["language"]["got"] == r["language"]["want"]),
        "seconds_per_page": round(sum(r["seconds"] for r in ok) / max(1, len(ok)), 3),
    }
    for f in FIELDS:
        scored = [r["fields"][f]["right"] for r in ok if f in r["fields"]]
        total[f] = {"right": sum(scored), "scored": len(scored)}
    return total


def markdown(total: dict, rows: list[dict]) -> str:
    out = [
        "# Reading real news pages",
        "",
        "`python eval/ingest_realpages.py PAGES` — saved pages read by factcheck's ingest, "
        "against the expected article text and metadata.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| pages | {total['pages']} (errors: {', '.join(total['errors']) or 'none'}) |",
        f"| expected paragraphs kept | {total['paragraphs_kept']:.1%} |",
        f"| expected prose paragraphs (8+ words) kept | {total['prose_paragraphs_kept']:.1%} |",
        f"| expected characters kept | {total['chars_kept']:.1%} |",
        f"| body paragraphs not in the expected text (leaked) | {total['leaked_lines']} of "
        f"{total['body_paragraphs']} |",
        f"| pages without a leaked paragraph | {total['pages_without_leaks']} |",
    ]
    for f in FIELDS:
        out.append(f"| {f} right | {total[f]['right']} of {total[f]['scored']} |")
    out += [
        f"| language right | {total['language_right']} of {total['pages'] - len(total['errors'])} |",
        f"| seconds per page | {total['seconds_per_page']} |",
        "",
        "## Per page",
        "",
        "| page | kept (prose) | leaked | wrong metadata | language |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            out.append(f"| {r['page']} | error: {r['error']} | | | |")
            continue
        wrong = ", ".join(f for f, v in r["fields"].items() if not v["right"])
        lang = r["language"]
        out.append(
            f"| {r['page']} | {r['kept_paragraphs']}/{r['expected_paragraphs']} "
            f"({r['kept_prose']}/{r['expected_prose']} prose) | {len(r['leaked'])} "
            f"| {wrong.replace('|', '/')} | {lang['got']}{'' if lang['got'] == lang['want'] else ' ✗'} |"
        )
    return "\n".join(out) + "\n"


def review(rows: list[dict]) -> str:
    """The leaked and missed paragraphs' starts, printed for review, never written to a file:
    the pages' text stays outside the project."""
    out = []
    for kind in ("leaked", "missed"):
        out.append(f"{kind}:")
        out += [f"  {r['page']}: {line}" for r in rows for line in r.get(kind, [])]
    return "\n".join(out)


def counts_only(row: dict) -> dict:
    """A page's row as saved: numbers and right/wrong only, no text of the page."""
    saved = {k: v for k, v in row.items() if k not in ("leaked", "missed", "fields", "language")}
    saved["leaked"] = len(row.get("leaked", []))
    saved["missed"] = len(row.get("missed", []))
    saved["fields"] = {name: field["right"] for name, field in row.get("fields", {}).items()}
    if "language" in row:
        saved["language_right"] = row["language"]["got"] == row["language"]["want"]
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "pages", type=Path, help="folder of page folders (source.html, expected.txt)"
    )
    parser.add_argument("--name", default="ingest_realpages", help="file name stem of the results")
    args = parser.parse_args()
    folders = sorted(p for p in args.pages.iterdir() if (p / "source.html").is_file())
    if not folders:
        sys.exit(f"error: no page folders with source.html in {args.pages}")
    rows = [measure(folder) for folder in folders]
    total = summarise(rows)
    RESULTS.mkdir(exist_ok=True)
    saved = [counts_only(r) for r in rows]
    (RESULTS / f"{args.name}.json").write_text(
        json.dumps({"total": total, "pages": saved}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (RESULTS / f"{args.name}.md").write_text(markdown(total, rows), encoding="utf-8")
    print(review(rows))
    print(json.dumps(total, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
