"""What a batch worker does with one cluster, and how it builds its engine and store once.

Runs inside worker processes (local) or Ray actors (on any node): it returns the report's files as
text and the driver writes them, so the output folder need only exist where the driver runs.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck.batch.clusters import Cluster
from factcheck.batch.executors import claim_slot, peak_rss_mb
from factcheck.errors import FactcheckError

# Test-only fault injection: a worker that starts the cluster named in FACTCHECK_BATCH_TEST_KILL
# kills itself (SIGKILL) the first time, i.e. while the file FACTCHECK_BATCH_TEST_KILL_MARKER
# does not exist yet (it creates it first). Used by the tests to show that nothing is lost.
KILL_ENV = "FACTCHECK_BATCH_TEST_KILL"
KILL_MARKER_ENV = "FACTCHECK_BATCH_TEST_KILL_MARKER"


def json_name(stem: str) -> str:
    return f"{stem}.json"


def format_suffix(renderer: Any) -> str:
    """The file suffix of a format: its own (.md, .html, .txt), else `.<name>.json` or
    `.<name>.txt` by its media type; never `.json`, which is the report's."""
    suffix = next((s for s in renderer.suffixes if s.lower() != ".json"), None)
    if suffix:
        return suffix
    kind = ".json" if renderer.media_type == "application/json" else ".txt"
    return f".{renderer.name}{kind}"


@dataclass
class ClusterResult:
    """One cluster's outcome: a row of the summary, and its files (name -> text) when it worked."""

    id: str
    stem: str
    status: str  # "ok" or "error"
    error: str | None = None
    sources: int = 0
    claims: int = 0
    agreements: int = 0
    discrepancies: int = 0
    unsupported: int = 0
    seconds: float = 0.0
    engine: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    worker: str | None = None  # host:pid of the worker that did it
    peak_rss_mb: float | None = None  # that worker's peak memory so far

    def row(self) -> dict[str, Any]:
        """The summary's row (no file contents)."""
        return {
            "id": self.id,
            "sources": self.sources,
            "claims": self.claims,
            "agreements": self.agreements,
            "discrepancies": self.discrepancies,
            "unsupported": self.unsupported,
            "seconds": self.seconds,
            "status": self.status,
            "error": self.error,
        }


def error_result(cluster: Cluster, message: str, seconds: float = 0.0) -> ClusterResult:
    """An error row: one line, secrets redacted."""
    from factcheck.redact import shown

    line = (message.strip().splitlines() or ["failed"])[0][:500]
    return ClusterResult(
        id=cluster.id,
        stem=cluster.stem,
        status="error",
        error=shown(line),
        sources=len(cluster.articles),
        seconds=round(seconds, 2),
    )


@dataclass
class WorkerState:
    engine: Any
    store: Any


@dataclass(frozen=True)
class ClusterTask:
    """Settings every worker needs to check clusters the same way (picklable, sent to workers)."""

    engine: str | None = None
    model: str | None = None
    base_url: str | None = None
    embeddings: str | None = None
    summary_words: int | None = None
    formats: tuple[tuple[str, str], ...] = ()  # (name, file suffix) besides the JSON report
    chroma_host: str | None = None
    chroma_port: int | None = None
    store_root: str | None = None  # per-worker embedded stores go in store_root/worker-K
    threads: int | None = None  # onnxruntime threads of the entailment model, per worker

    def open(self) -> WorkerState:
        """Build the engine (models loaded once per worker) and this worker's store."""
        return WorkerState(
            build_engine(self.engine, self.model, self.base_url, self.summary_words, self.threads),
            open_store(self.embeddings, self.chroma_host, self.chroma_port, self.store_root),
        )

    def run(self, state: WorkerState, cluster: Cluster) -> ClusterResult:
        started = time.perf_counter()
        maybe_die(cluster.id)
        try:
            result = self._check(state, cluster)
        except FactcheckError as exc:
            result = error_result(cluster, str(exc))
        except Exception as exc:  # one cluster's surprise must not end the batch
            result = error_result(cluster, f"unexpected {type(exc).__name__}: {exc}")
        result.seconds = round(time.perf_counter() - started, 2)
        result.worker = f"{socket.gethostname()}:{os.getpid()}"
        result.peak_rss_mb = peak_rss_mb()
        return result

    def failed(self, cluster: Cluster, message: str) -> ClusterResult:
        return error_result(cluster, message)

    def _check(self, state: WorkerState, cluster: Cluster) -> ClusterResult:
        from factcheck.api import compare_with_articles
        from factcheck.ingest import article_from_text
        from factcheck.render import RenderOptions, renderers
        from factcheck.render.json import render_json

        if cluster.problem:
            raise FactcheckError(cluster.problem)
        articles = [article_from_text(text, aid) for aid, text in cluster.articles]
        before = state.engine.usage
        comparison = compare_with_articles(
            articles, engine=state.engine, store=state.store, reuse=False
        )
        report = comparison.report
        after = state.engine.usage  # the engine is reused: its counters are cumulative
        stats = report.stats.model_copy(
            update={
                "llm_calls": after.llm_calls - before.llm_calls,
                "tokens": after.tokens - before.tokens,
            }
        )
        report = report.model_copy(update={"stats": stats})
        comparison = comparison._replace(report=report)
        files = {json_name(cluster.stem): render_json(report)}
        registry = renderers()
        for name, suffix in self.formats:
            files[f"{cluster.stem}{suffix}"] = registry.get(name).render(
                comparison, RenderOptions()
            )
        return ClusterResult(
            id=cluster.id,
            stem=cluster.stem,
            status="ok",
            sources=len(report.sources),
            claims=stats.claims,
            agreements=stats.agreement,
            discrepancies=stats.discrepancy,
            unsupported=stats.unsupported,
            engine=report.engine,
            files=files,
        )


def build_engine(
    name: str | None,
    model: str | None,
    base_url: str | None,
    summary_words: int | None,
    threads: int | None,
) -> Any:
    """The engine, with the entailment model's threads set to this worker's share of the CPUs."""
    from factcheck.engines import make_engine

    if threads and "FACTCHECK_THREADS" not in os.environ:
        os.environ["FACTCHECK_THREADS"] = str(threads)
    return make_engine(name, model=model, base_url=base_url, summary_words=summary_words)


def open_store(embeddings: str | None, host: str | None, port: int | None, root: str | None) -> Any:
    """The shared Chroma server when a host is given, else this worker's own embedded store."""
    import platformdirs

    from factcheck.embeddings import make_embeddings
    from factcheck.store import Store

    vectors = make_embeddings(embeddings)
    if host:
        return Store(host=host, port=port or 8000, embeddings=vectors)
    base = Path(root) if root else Path(platformdirs.user_cache_dir("factcheck")) / "batch-stores"
    return Store(claim_slot(base.expanduser()), embeddings=vectors)


def maybe_die(cluster_id: str) -> None:
    """The test-only fault injection (see KILL_ENV): a real kill of this worker, once."""
    if os.environ.get(KILL_ENV) != cluster_id:
        return
    marker = os.environ.get(KILL_MARKER_ENV)
    if not marker:
        return
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)


@dataclass(frozen=True)
class EvalTask:
    """`factcheck eval`'s examples on the batch executors: one engine and store per worker."""

    engine: str | None = None
    model: str | None = None
    base_url: str | None = None
    store_root: str | None = None
    threads: int | None = None

    def open(self) -> WorkerState:
        return WorkerState(
            build_engine(self.engine, self.model, self.base_url, None, self.threads),
            open_store(None, None, None, self.store_root),
        )

    def run(self, state: WorkerState, example: Any) -> Any:
        from factcheck.evaluation.runner import outcome_of

        return outcome_of(example, state.engine, state.store)

    def failed(self, example: Any, message: str) -> Any:
        """Scored as the pipeline refusing it: wrong, in the confusion matrix's `error` column."""
        from factcheck.evaluation.cache import Outcome
        from factcheck.evaluation.examples import FAILED

        gold = [s.status for s in example.spans] if example.is_cluster else [example.label]
        return Outcome(id=example.id, pairs=[(g, FAILED) for g in gold], seconds=0.0)


def eval_mapper(
    kind: str,
    workers: int | None,
    address: str | None,
    *,
    engine: str | None,
    model: str | None,
    base_url: str | None,
    store_root: Path,
) -> Any:
    """A run_eval mapper: the examples checked by the named executor, outcomes as they finish."""
    from factcheck.batch.executors import cpu_count, make_executor

    executor = make_executor(kind, workers, address)
    threads = max(1, cpu_count() // executor.workers) if executor.name == "local" else 1
    task = EvalTask(engine, model, base_url, str(store_root), threads)

    def mapper(examples: list[Any]) -> Any:
        for _, outcome in executor.map(task, examples):
            yield outcome

    return mapper
