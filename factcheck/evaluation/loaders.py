"""Readers for the benchmark formats and our own cluster JSONL, all yielding one kind of Example.

Formats (detected from the content, not the file name):
- SummEdits: a JSON list of {"id", "doc", "summary", "label" (1 consistent, 0 not), "split"}.
- QAGS: JSONL of {"article", "summary_sentences": [{"sentence", "responses": [{"response": yes|no}]}]};
  one example per summary sentence, labelled by the majority of the crowd answers.
- FEVER: JSONL of {"id", "claim", "evidence", "label": SUPPORTS|REFUTES|NOT ENOUGH INFO}.
- NeuS: JSONL of {"id", "split", "articles": [{"id", "text"}], "reference_summary"}; a story covered by
  several outlets and the neutral summary editors wrote (scored as a summary, not by labels).
- cluster (ours): JSONL of {"id", "articles": [{"id", "text"}], "spans": [{"source", "start", "end",
  "status": agreement|discrepancy|unsupported, "quote"?}]}; gold statuses for quoted spans.
Binary datasets are scored as "supported" vs "not supported".
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.ingest import sha256_text

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
BINARY_LABELS = (SUPPORTED, NOT_SUPPORTED)
CLUSTER_LABELS = ("agreement", "discrepancy", "unsupported")
FEVER_LABELS = {"SUPPORTS": SUPPORTED, "REFUTES": NOT_SUPPORTED, "NOT ENOUGH INFO": NOT_SUPPORTED}


@dataclass(frozen=True)
class GoldSpan:
    """A quoted span of one cluster article and the status a careful reader gives it."""

    source: str
    start: int
    end: int
    status: str


@dataclass(frozen=True)
class Example:
    """One scored unit: a (document, claim) pair with a binary label, or a whole cluster."""

    id: str
    split: str | None = None
    document: str = ""
    claim: str = ""
    label: str = ""
    articles: tuple[tuple[str, str], ...] = ()  # (id, text) of each cluster article
    spans: tuple[GoldSpan, ...] = field(default_factory=tuple)
    reference: str = ""  # an editor's neutral summary of the articles (summary datasets)

    @property
    def is_cluster(self) -> bool:
        return bool(self.articles)


@dataclass
class Dataset:
    """A loaded dataset: its name, format, label set, examples, and the lines that were skipped."""

    name: str
    format: str
    labels: tuple[str, ...]
    examples: list[Example]
    skipped: list[str] = field(default_factory=list)
    digest: str = ""  # sha256 of the file, so cached results never outlive an edit of the data


class BadRow(ValueError):
    """A row that does not fit its format; the message says what is wrong."""


def read_data_file(path: Path, kind: str, expected: str) -> str:
    """A dataset or cluster file's text; missing, unreadable or empty files are one-line errors."""
    if not path.is_file():
        raise FactcheckError(f"{path}: no such {kind} file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactcheckError(f"{path}: cannot read as UTF-8 text ({exc})") from None
    if not text.strip():
        raise FactcheckError(f"{path}: is empty{expected}")
    return text


def numbered_rows(text: str, path: Path) -> list[tuple[str, Any]]:
    """The rows of a JSON list ("item N") or of JSONL ("line N"); a JSONL line that is not JSON
    becomes a BadRow in its place, so the caller can name it or skip it."""
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FactcheckError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
        return [(f"item {i + 1}", row) for i, row in enumerate(items)]
    rows: list[tuple[str, Any]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((f"line {lineno}", json.loads(line)))
        except json.JSONDecodeError as exc:
            rows.append((f"line {lineno}", BadRow(f"invalid JSON ({exc.msg})")))
    return rows


def load_dataset(path: str | Path, *, skip_bad: bool = False) -> Dataset:
    """Read a dataset file; a malformed row stops the load (its line is named) unless skip_bad."""
    path = Path(path)
    text = read_data_file(path, "dataset", "")
    name = path.name.split(".")[0]
    numbered = numbered_rows(text, path)
    kind = _detect(numbered, path)
    reader, labels = READERS[kind]
    examples: list[Example] = []
    skipped: list[str] = []
    for where, row in numbered:
        try:
            if isinstance(row, BadRow):
                raise row
            if not isinstance(row, dict):
                raise BadRow("not a JSON object")
            examples.extend(reader(row, where))
        except BadRow as exc:
            message = f"{path}: {where}: {exc}"
            if not skip_bad:
                raise FactcheckError(
                    message + " (pass --skip-bad to skip malformed rows)"
                ) from None
            skipped.append(message)
    ids = Counter(e.id for e in examples)
    if dupes := [i for i, n in ids.items() if n > 1]:
        raise FactcheckError(f"{path}: duplicate example id {dupes[0]!r}")
    return Dataset(name, kind, labels, examples, skipped, sha256_text(text))


def _detect(rows: list[tuple[str, Any]], path: Path) -> str:
    for _, row in rows:
        if not isinstance(row, dict):
            continue
        if "articles" in row and "reference_summary" in row:
            return "neus"
        if "articles" in row:
            return "cluster"
        if "summary_sentences" in row:
            return "qags"
        if "doc" in row and "summary" in row:
            return "summedits"
        if "claim" in row and "evidence" in row:
            return "fever"
    raise FactcheckError(
        f"{path}: unknown dataset format; expected SummEdits, QAGS, FEVER or factcheck cluster rows"
    )


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadRow(f"missing or empty {key!r}")
    return value


def _id(row: dict, where: str) -> str:
    value = row.get("id")
    return str(value) if value is not None else where.split()[-1]


def read_summedits(row: dict, where: str) -> list[Example]:
    label = row.get("label")
    if label not in (0, 1):
        raise BadRow(f"label must be 0 or 1, not {label!r}")
    return [
        Example(
            id=_id(row, where),
            split=row.get("split"),
            document=_text(row, "doc"),
            claim=_text(row, "summary"),
            label=SUPPORTED if label == 1 else NOT_SUPPORTED,
        )
    ]


def read_qags(row: dict, where: str) -> list[Example]:
    article = _text(row, "article")
    sentences = row.get("summary_sentences")
    if not isinstance(sentences, list) or not sentences:
        raise BadRow("missing or empty 'summary_sentences'")
    out = []
    for i, item in enumerate(sentences):
        if not isinstance(item, dict):
            raise BadRow(f"summary sentence {i + 1} is not an object")
        answers = [r.get("response") for r in item.get("responses") or [] if isinstance(r, dict)]
        if not answers or any(a not in ("yes", "no") for a in answers):
            raise BadRow(f"summary sentence {i + 1}: responses must be 'yes' or 'no'")
        yes = answers.count("yes")
        out.append(
            Example(
                id=f"{_id(row, where)}-{i}",
                document=article,
                claim=_text(item, "sentence"),
                label=SUPPORTED if yes * 2 > len(answers) else NOT_SUPPORTED,
            )
        )
    return out


def read_fever(row: dict, where: str) -> list[Example]:
    label = row.get("label")
    if label not in FEVER_LABELS:
        raise BadRow(f"label must be one of {', '.join(FEVER_LABELS)}, not {label!r}")
    return [
        Example(
            id=_id(row, where),
            split=row.get("split"),
            document=_text(row, "evidence"),
            claim=_text(row, "claim"),
            label=FEVER_LABELS[label],
        )
    ]


def cluster_articles(row: dict, *, allow_empty: bool = False) -> dict[str, str]:
    """A cluster row's articles, id -> text, in order; `allow_empty` leaves an empty text for the
    pipeline to refuse (batch runs report it as that cluster's error)."""
    articles = row.get("articles")
    if not isinstance(articles, list) or len(articles) < 2:
        raise BadRow("'articles' must list at least two articles")
    texts: dict[str, str] = {}
    for i, article in enumerate(articles):
        if not isinstance(article, dict):
            raise BadRow(f"article {i + 1} is not an object")
        aid = str(article.get("id") or f"source-{i + 1}")
        if aid in texts:
            raise BadRow(f"article id {aid!r} appears twice")
        if allow_empty:
            if not isinstance(article.get("text"), str):
                raise BadRow(f"article {aid!r} has no 'text' string")
            texts[aid] = article["text"]
        else:
            texts[aid] = _text(article, "text")
    return texts


def read_cluster(row: dict, where: str) -> list[Example]:
    texts = cluster_articles(row)
    spans = row.get("spans")
    if not isinstance(spans, list) or not spans:
        raise BadRow("missing or empty 'spans'")
    gold = []
    for i, span in enumerate(spans):
        if not isinstance(span, dict):
            raise BadRow(f"span {i + 1} is not an object")
        source, start, end, status = (span.get(k) for k in ("source", "start", "end", "status"))
        if source not in texts:
            raise BadRow(f"span {i + 1}: unknown source {source!r}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            raise BadRow(f"span {i + 1}: start and end must be offsets with start < end")
        if end > len(texts[source]):
            raise BadRow(f"span {i + 1}: end {end} is past the end of {source}")
        if status not in CLUSTER_LABELS:
            raise BadRow(f"span {i + 1}: status must be one of {', '.join(CLUSTER_LABELS)}")
        if "quote" in span and texts[source][start:end] != span["quote"]:
            raise BadRow(f"span {i + 1}: quote does not match {source}[{start}:{end}]")
        gold.append(GoldSpan(source, start, end, status))
    return [
        Example(
            id=_id(row, where),
            split=row.get("split"),
            articles=tuple(texts.items()),
            spans=tuple(gold),
        )
    ]


def read_neus(row: dict, where: str) -> list[Example]:
    articles = row.get("articles")
    if not isinstance(articles, list) or len(articles) < 2:
        raise BadRow("'articles' must list at least two articles")
    pairs = []
    for article in articles:
        if not isinstance(article, dict) or not isinstance(article.get("text"), str):
            raise BadRow("each article needs an 'id' and a 'text'")
        pairs.append((str(article.get("id") or len(pairs) + 1), article["text"]))
    return [
        Example(
            id=_id(row, where),
            split=row.get("split"),
            articles=tuple(pairs),
            reference=_text(row, "reference_summary"),
        )
    ]


READERS = {
    "summedits": (read_summedits, BINARY_LABELS),
    "qags": (read_qags, BINARY_LABELS),
    "fever": (read_fever, BINARY_LABELS),
    "cluster": (read_cluster, CLUSTER_LABELS),
    "neus": (read_neus, ()),
}
