"""The Python entry point: compare(sources) -> Report (compare_with_articles also returns the texts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from langchain_core.embeddings import Embeddings

from factcheck.checker import Progress, _no_progress, check
from factcheck.embeddings import make_embeddings
from factcheck.engines import make_engine
from factcheck.engines.base import Engine
from factcheck.ingest import load_articles
from factcheck.models import Article, Report
from factcheck.store import Store


class Comparison(NamedTuple):
    """A report with the articles it was made from (the HTML view shows their full texts)."""

    report: Report
    articles: list[Article]


def compare_with_articles(
    sources: Sequence[str | Path | Article],
    *,
    engine: str | Engine | None = None,
    model: str | None = None,
    base_url: str | None = None,
    store: Store | str | Path | None = None,
    chroma_host: str | None = None,
    chroma_port: int | None = None,
    embeddings: str | Embeddings | None = None,
    summary_words: int | None = None,
    progress: Progress = _no_progress,
) -> Comparison:
    """Like compare(), but also return the articles as read: views that show the full texts need them."""
    articles = load_articles(sources)
    chosen = (
        engine
        if engine is not None and not isinstance(engine, str)
        else make_engine(engine, model=model, base_url=base_url, summary_words=summary_words)
    )
    if store is None or isinstance(store, str | Path):
        vectors = embeddings if isinstance(embeddings, Embeddings) else make_embeddings(embeddings)
        store = Store(store, host=chroma_host, port=chroma_port, embeddings=vectors)
    return Comparison(check(articles, chosen, store, progress), articles)


def compare(
    sources: Sequence[str | Path | Article],
    *,
    engine: str | Engine | None = None,
    model: str | None = None,
    base_url: str | None = None,
    store: Store | str | Path | None = None,
    chroma_host: str | None = None,
    chroma_port: int | None = None,
    embeddings: str | Embeddings | None = None,
    summary_words: int | None = None,
    progress: Progress = _no_progress,
) -> Report:
    """Compare two or more articles about one event (paths, URLs, or Article objects)."""
    return compare_with_articles(
        sources,
        engine=engine,
        model=model,
        base_url=base_url,
        store=store,
        chroma_host=chroma_host,
        chroma_port=chroma_port,
        embeddings=embeddings,
        summary_words=summary_words,
        progress=progress,
    ).report
