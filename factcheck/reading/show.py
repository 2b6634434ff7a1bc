"""What `factcheck extract` prints: each source as read (metadata, language, body, what was dropped)."""

from __future__ import annotations

import json
from collections import Counter

from factcheck.models import Article
from factcheck.reading.language import language_name
from factcheck.redact import printable


def _claims(article: Article) -> list[dict]:
    from factcheck.engines.claim_split import extract_claims
    from factcheck.engines.local import require_english

    require_english(article)
    return [
        {"text": c.text, "quote": c.quote, "start": c.start, "end": c.end, "kind": c.kind}
        for c in extract_claims(article)
    ]


def extract_data(article: Article, *, dropped: bool, claims: bool) -> dict:
    """The article as plain data: offsets are into `text` as read (not printed)."""
    data = {
        "id": article.id,
        "path_or_url": article.path_or_url,
        "format": article.format,
        "title": article.title,
        "byline": article.byline,
        "authors": article.authors,
        "outlet": article.outlet,
        "date": article.date,
        "date_partial": article.date_partial,
        "language": article.language,
        "chars": len(article.text),
        "body": [article.text[s.start : s.end] for s in article.body],
        "left_out": dict(Counter(d.kind for d in article.dropped)),
    }
    if dropped:
        data["dropped"] = [
            {"kind": d.kind, "start": d.start, "end": d.end, "text": article.text[d.start : d.end]}
            for d in article.dropped
        ]
    if claims:
        data["claims"] = _claims(article)
    return data


def render_extract(
    articles: list[Article], format: str, *, dropped: bool = False, claims: bool = False
) -> str:
    rows = [extract_data(a, dropped=dropped, claims=claims) for a in articles]
    if format == "json":
        return json.dumps(rows if len(rows) > 1 else rows[0], ensure_ascii=False, indent=1) + "\n"
    out = []
    for row in rows:
        out.append(f"== {row['id']}" + (f" ({row['path_or_url']})" if row["path_or_url"] else ""))
        out.append(f"title: {row['title'] or '-'}")
        out.append(f"byline: {'; '.join(row['authors']) or row['byline'] or '-'}")
        out.append(f"outlet: {row['outlet'] or '-'}")
        partial = " (month and day only: no year found)" if row["date_partial"] else ""
        out.append(f"date: {row['date'] or '-'}{partial}")
        lang = row["language"]
        out.append(f"language: {language_name(lang)}" + (f" ({lang})" if lang else ""))
        left = ", ".join(f"{kind} {n}" for kind, n in sorted(row["left_out"].items()))
        out.append(
            f"body: {len(row['body'])} paragraphs, {sum(len(p) for p in row['body']):,} characters"
            + (f"; left out: {left}" if left else "")
        )
        out.append("")
        out += [p + "\n" for p in row["body"]]
        if dropped:
            out.append("-- dropped --")
            out += [f"[{d['kind']}] {' '.join(d['text'].split())}" for d in row["dropped"]]
            out.append("")
        if claims:
            out.append("-- claims --")
            out += [f"- ({c['kind']}) {c['text']}" for c in row["claims"]]
            out.append("")
    return printable("\n".join(out).rstrip("\n") + "\n")
