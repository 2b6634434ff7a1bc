"""The Python entry point: compare(sources) -> Report (compare_with_articles also returns the texts)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from factcheck.checker import Progress, _no_progress, check
from factcheck.ingest import load_articles
from factcheck.models import Article, Report
from factcheck.report_cache import ReportCache, report_key

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from factcheck.engines.base import Engine
    from factcheck.store import Store

REPORTS_FOLDER = "reports"  # inside the embedded store's folder


class Comparison(NamedTuple):
    """A report with the articles it was made from (the HTML view shows their full texts)."""

    report: Report
    articles: list[Article]


def _report_cache(
    engine: str | Engine | None,
    store: Store | str | Path | None,
    chroma_host: str | None,
    embeddings: str | Embeddings | None,
) -> ReportCache | None:
    """Reports are reused only when everything they depend on is named by value: an engine and
    embeddings given by name, and an embedded store whose folder can hold them."""
    if chroma_host or not (engine is None or isinstance(engine, str)):
        return None
    if not (embeddings is None or isinstance(embeddings, str)):
        return None
    if not (store is None or isinstance(store, str | Path)):
        return None
    from factcheck.store import default_store_path

    folder = Path(store).expanduser() if store is not None else default_store_path()
    return ReportCache(folder / REPORTS_FOLDER)


def report_options(
    engine: str | None,
    model: str | None,
    base_url: str | None,
    summary_words: int | None,
    embeddings: str | None,
) -> dict[str, object]:
    """What, besides the articles and the code, decides the report (environment defaults included)."""
    from factcheck.engines import choose_engine_name
    from factcheck.redact import redact

    base = base_url or os.environ.get("OPENAI_BASE_URL")
    return {
        "engine": choose_engine_name(engine),
        "model": model or os.environ.get("FACTCHECK_MODEL"),
        "base_url": redact(base) if base else None,
        "summary_words": summary_words,
        "embeddings": embeddings or os.environ.get("FACTCHECK_EMBEDDINGS") or "local",
    }


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
    reuse: bool = True,
    llm_timeout: float | None = None,
    llm_concurrency: int | None = None,
    llm_cache: bool = True,
) -> Comparison:
    """Like compare(), but also return the articles as read: views that show the full texts need them.

    With `reuse`, a report made earlier from the same articles, options and code is read back
    from the store's folder instead of being recomputed (`reuse=False` always recomputes).
    `llm_timeout` (seconds per call, retries included), `llm_concurrency` (calls at once) and
    `llm_cache` (read and write the answer cache) tune the LLM engine; they change no result.
    """
    started = time.perf_counter()
    articles = load_articles(sources)
    cache = _report_cache(engine, store, chroma_host, embeddings)
    key = None
    if cache is not None:
        key = report_key(
            articles, report_options(engine, model, base_url, summary_words, embeddings)
        )  # type: ignore[arg-type]
        if reuse and (cached := cache.get(key)) is not None:
            seconds = round(time.perf_counter() - started, 2)
            stats = cached.stats.model_copy(update={"seconds": seconds})
            return Comparison(cached.model_copy(update={"stats": stats}), articles)
    from factcheck.embeddings import make_embeddings
    from factcheck.engines import make_engine
    from factcheck.store import Store

    chosen = (
        engine
        if engine is not None and not isinstance(engine, str)
        else make_engine(
            engine,
            model=model,
            base_url=base_url,
            summary_words=summary_words,
            llm_timeout=llm_timeout,
            llm_concurrency=llm_concurrency,
            llm_cache=llm_cache,
        )
    )
    if store is None or isinstance(store, str | Path):
        vectors = (
            make_embeddings(embeddings)
            if embeddings is None or isinstance(embeddings, str)
            else embeddings
        )
        store = Store(store, host=chroma_host, port=chroma_port, embeddings=vectors)
    report = check(articles, chosen, store, progress)
    if cache is not None and key is not None:
        cache.put(key, report)
    return Comparison(report, articles)


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
    reuse: bool = True,
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
        reuse=reuse,
    ).report
