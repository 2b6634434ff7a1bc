"""The clusters of a batch: eval/README.md's cluster JSONL, gold spans optional.

One JSON object per line: {"id", "articles": [{"id", "text"}, ...], "spans"?: [...]} (a JSON list
of such objects is read too; NeuS rows, with a `reference_summary`, are clusters as well). A row
that is not a cluster (bad JSON, fewer than two articles, malformed spans, a repeated id) does not
stop the batch: it becomes a cluster with a `problem`, reported as an error row without being
checked. Only an unreadable or empty file stops the batch before any work.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.evaluation.loaders import (
    BadRow,
    GoldSpan,
    cluster_articles,
    numbered_rows,
    read_cluster,
    read_data_file,
)

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")  # ids used as file names unchanged
RESERVED = "_"  # the batch's own files (_summary.json, _journal.jsonl) start with it


@dataclass(frozen=True)
class Cluster:
    """One story: its articles as (id, text) pairs, gold spans if any, and where it was read."""

    id: str
    where: str  # "line 7"
    articles: tuple[tuple[str, str], ...] = ()
    spans: tuple[GoldSpan, ...] = ()
    problem: str | None = None  # a malformed row: an error row, never checked
    stem: str = ""  # the file name of its reports, without the suffix


def file_stem(cluster_id: str) -> str:
    """The cluster id itself when it is a safe file name, else a slug of it plus a digest."""
    if SAFE_ID.fullmatch(cluster_id) and cluster_id not in (".", ".."):
        return cluster_id
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", cluster_id).strip("-._")[:80] or "cluster"
    return f"{slug}-{hashlib.sha256(cluster_id.encode()).hexdigest()[:8]}"


def read_clusters(path: str | Path) -> list[Cluster]:
    """Every row of the file as a Cluster, in file order; malformed rows carry their problem."""
    path = Path(path)
    text = read_data_file(path, "cluster", "; expected one cluster per line (eval/README.md)")
    rows = numbered_rows(text, path)
    clusters: list[Cluster] = []
    first: dict[str, str] = {}  # id -> where it was first seen
    stems: dict[str, str] = {}
    for where, row in rows:
        cluster = _cluster(row, where)
        if cluster.id in first:
            cluster = _broken(
                f"{cluster.id}@{where.replace(' ', '')}",
                where,
                f"cluster id {cluster.id!r} already used on {first[cluster.id]}",
            )
        first.setdefault(cluster.id, where)
        if cluster.stem.casefold() in stems:
            cluster = _broken(
                f"{cluster.id}@{where.replace(' ', '')}",
                where,
                f"its report file name {cluster.stem!r} is taken by the cluster on "
                f"{stems[cluster.stem.casefold()]}",
            )
        stems.setdefault(cluster.stem.casefold(), where)
        clusters.append(cluster)
    return clusters


def _broken(cluster_id: str, where: str, problem: str) -> Cluster:
    return Cluster(cluster_id, where, problem=f"{where}: {problem}", stem=file_stem(cluster_id))


def _cluster(row: Any, where: str) -> Cluster:
    fallback = where.replace(" ", "-")
    cluster_id = str(row["id"]) if isinstance(row, dict) and row.get("id") is not None else fallback
    try:
        if isinstance(row, BadRow):
            raise row
        if not isinstance(row, dict):
            raise BadRow("not a JSON object")
        if row.get("spans") is not None:  # gold spans: the evaluation's own checks
            example = read_cluster(row, where)[0]
            articles, spans = example.articles, example.spans
        else:
            articles, spans = tuple(cluster_articles(row, allow_empty=True).items()), ()
    except BadRow as exc:
        return _broken(cluster_id, where, str(exc))
    return Cluster(cluster_id, where, articles, spans, stem=file_stem(cluster_id))
