"""`factcheck batch`: check every cluster of a JSONL file, one report per cluster, resumable.

The driver reads the clusters, skips those already done (their JSON exists and the journal records
the same inputs digest), hands the rest to an executor (local processes or Ray actors), and writes
each finished cluster's files atomically as it arrives, then the run's summary (JSON + Markdown).
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck.batch.clusters import Cluster, read_clusters
from factcheck.batch.executors import cpu_count, make_executor
from factcheck.batch.worker import (
    ClusterResult,
    ClusterTask,
    error_result,
    format_suffix,
    json_name,
)
from factcheck.errors import FactcheckError
from factcheck.files import write_atomically

JOURNAL = "_journal.jsonl"
SUMMARY = "_summary"  # .json and .md
LOCK = "_batch.lock"
COLUMNS = (
    "cluster",
    "sources",
    "claims",
    "agreements",
    "discrepancies",
    "unsupported",
    "seconds",
    "status",
)

OnProgress = Callable[[dict[str, Any] | None, int, int], None]  # None: the resumed ones, first


@dataclass
class BatchOptions:
    """What `factcheck batch` was asked to do."""

    out: Path
    formats: tuple[str, ...] = ()
    engine: str | None = None
    model: str | None = None
    base_url: str | None = None
    embeddings: str | None = None
    summary_words: int | None = None
    executor: str = "local"
    workers: int | None = None
    ray_address: str | None = None
    chroma_host: str | None = None
    chroma_port: int = 8000
    store: Path | None = None  # root of the per-worker embedded stores
    fresh: bool = False


@dataclass
class BatchRun:
    """A finished batch: one row per cluster in file order, and what the run took."""

    input: str
    out: Path
    rows: list[dict[str, Any]]
    executor: str
    workers: int
    engine: str | None
    seconds: float  # wall time of the clusters computed in this run
    computed: int
    resumed: int
    workers_seen: list[dict[str, Any]] = field(default_factory=list)
    gold: dict[str, Any] | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r["status"] != "ok")

    @property
    def clusters_per_minute(self) -> float | None:
        return (
            round(60 * self.computed / self.seconds, 2) if self.computed and self.seconds else None
        )

    def to_dict(self) -> dict[str, Any]:
        from factcheck.version import code_version

        return {
            "input": self.input,
            "engine": self.engine,
            "executor": self.executor,
            "workers": self.workers,
            "clusters": len(self.rows),
            "ok": len(self.rows) - self.errors,
            "errors": self.errors,
            "computed": self.computed,
            "resumed": self.resumed,
            "seconds": self.seconds,
            "clusters_per_minute": self.clusters_per_minute,
            "workers_seen": self.workers_seen,
            "gold": self.gold,
            "code_version": code_version(),
            "rows": self.rows,
        }


def run_batch(
    path: str | Path, options: BatchOptions, on_progress: OnProgress | None = None
) -> BatchRun:
    """Check every cluster not already done; a failing cluster is an error row, the rest go on."""
    from filelock import FileLock, Timeout

    clusters = read_clusters(path)
    formats = check_formats(options.formats)
    engine_options = check_options(options)
    out = prepare_out(options.out)
    executor = make_executor(options.executor, options.workers, options.ray_address)
    if options.chroma_host:
        check_server(options.chroma_host, options.chroma_port)
    lock = FileLock(out / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise FactcheckError(
            f"another factcheck batch is writing to {out}; wait for it or choose another --out"
        ) from None
    try:
        return _run(
            Path(path), clusters, formats, engine_options, out, executor, options, on_progress
        )
    finally:
        lock.release()


def _run(
    path: Path,
    clusters: list[Cluster],
    formats: dict[str, str],
    engine_options: dict[str, Any],
    out: Path,
    executor: Any,
    options: BatchOptions,
    on_progress: OnProgress | None,
) -> BatchRun:
    journal = Journal(out / JOURNAL)
    if options.fresh:
        journal.clear()
    done = journal.load()
    rows: dict[int, dict[str, Any]] = {}
    digests = {c.id: inputs_digest(c, engine_options) for c in clusters}
    todo: list[int] = []
    for i, cluster in enumerate(clusters):
        entry = done.get(cluster.id)
        if cluster.problem:
            result = error_result(cluster, cluster.problem)
            journal.add(result, digests[cluster.id])
            rows[i] = {**result.row(), "resumed": False}
        elif entry and is_done(entry, cluster, digests[cluster.id], formats, out):
            rows[i] = {**entry["row"], "resumed": True}
        else:
            todo.append(i)
    resumed = sum(1 for r in rows.values() if r["resumed"])
    if on_progress:
        on_progress(None, len(rows), len(clusters))
    workers = executor.workers or 0
    task = ClusterTask(
        engine=options.engine,
        model=options.model,
        base_url=options.base_url,
        embeddings=options.embeddings,
        summary_words=options.summary_words,
        formats=tuple(formats.items()),
        chroma_host=options.chroma_host,
        chroma_port=options.chroma_port if options.chroma_host else None,
        store_root=str(options.store.expanduser()) if options.store else None,
        threads=max(1, cpu_count() // workers) if executor.name == "local" else 1,
    )
    seen: dict[str, dict[str, Any]] = {}
    engine = None
    started = time.perf_counter()
    if todo:
        for j, result in executor.map(task, [clusters[i] for i in todo]):
            i = todo[j]
            write_result(out, result)
            journal.add(result, digests[result.id])
            rows[i] = {**result.row(), "resumed": False}
            engine = engine or result.engine
            if result.worker:
                worker = seen.setdefault(result.worker, {"worker": result.worker, "clusters": 0})
                worker["clusters"] += 1
                worker["peak_rss_mb"] = max(worker.get("peak_rss_mb") or 0, result.peak_rss_mb or 0)
            if on_progress:
                on_progress(rows[i], len(rows), len(clusters))
    seconds = round(time.perf_counter() - started, 2)
    ordered = [rows[i] for i in range(len(clusters))]
    run = BatchRun(
        input=path.name,
        out=out,
        rows=ordered,
        executor=executor.name,
        workers=executor.workers or workers,
        engine=engine or next((e["engine"] for e in done.values() if e.get("engine")), None),
        seconds=seconds,
        computed=len(todo),
        resumed=resumed,
        workers_seen=sorted(seen.values(), key=lambda w: w["worker"]),
        gold=gold_scores(clusters, ordered, out),
    )
    run.files = write_summary(run)
    return run


def check_formats(names: tuple[str, ...]) -> dict[str, str]:
    """The extra formats asked for (the JSON report is always written), with their file suffixes."""
    from factcheck.render import renderers

    registry = renderers()
    chosen: dict[str, str] = {}
    for name in names:
        renderer = registry.get(name)  # an unknown name: one line listing the formats
        if renderer.name != "json":
            chosen[renderer.name] = format_suffix(renderer)
    return chosen


def check_options(options: BatchOptions) -> dict[str, Any]:
    """Refuse an unknown engine or embeddings before any work; the options that decide a report."""
    from factcheck.api import report_options
    from factcheck.embeddings import embeddings_choice
    from factcheck.engines import choose_engine_name
    from factcheck.engines.registry import registry

    registry().spec(choose_engine_name(options.engine))
    embeddings_choice(options.embeddings or os.environ.get("FACTCHECK_EMBEDDINGS"))
    return report_options(
        options.engine, options.model, options.base_url, options.summary_words, options.embeddings
    )


def prepare_out(out: Path) -> Path:
    """The output folder, created if missing; refused if it is a file or cannot be written."""
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise FactcheckError(f"--out {out}: is a file; give a folder for the reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FactcheckError(
            f"--out {out}: cannot create the folder ({exc.strerror or exc})"
        ) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise FactcheckError(f"--out {out}: the folder is not writable; choose another")
    return out


def check_server(host: str, port: int) -> None:
    """A Chroma server that does not answer is one line before any worker starts."""
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise FactcheckError(
            f"cannot reach the Chroma server at {host}:{port} ({exc.strerror or exc}); start it "
            "(chroma run --host HOST --port PORT) or leave out --chroma-host"
        ) from None


def inputs_digest(cluster: Cluster, options: dict[str, Any]) -> str:
    """What a cluster's report depends on: its articles, the options, the code and the plugins."""
    from factcheck.ingest import sha256_text
    from factcheck.report_cache import inputs_key

    return inputs_key([[aid, sha256_text(text)] for aid, text in cluster.articles], options)


def expected_files(cluster: Cluster, formats: dict[str, str]) -> list[str]:
    return [json_name(cluster.stem)] + [f"{cluster.stem}{suffix}" for suffix in formats.values()]


def is_done(
    entry: dict[str, Any],
    cluster: Cluster,
    digest: str,
    formats: dict[str, str],
    out: Path,
) -> bool:
    """Done before: same inputs, it worked, and every file asked for is there."""
    return (
        entry.get("digest") == digest
        and entry.get("row", {}).get("status") == "ok"
        and all((out / name).is_file() for name in expected_files(cluster, formats))
    )


def write_result(out: Path, result: ClusterResult) -> None:
    """The other formats first and the JSON report last: the JSON marks the cluster as done."""
    names = sorted(result.files, key=lambda n: n == json_name(result.stem))
    for name in names:
        write_atomically(out / name, result.files[name])


class Journal:
    """One line per finished cluster (its row, inputs digest, engine), appended as each arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, dict[str, Any]]:
        """The latest entry of every cluster; a line cut short by an interruption is ignored."""
        entries: dict[str, dict[str, Any]] = {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return entries
        for line in text.splitlines():
            try:
                entry = json.loads(line)
                entries[entry["id"]] = entry
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
        return entries

    def add(self, result: ClusterResult, digest: str) -> None:
        entry = {
            "id": result.id,
            "digest": digest,
            "engine": result.engine,
            "files": sorted(result.files),
            "row": result.row(),
            "worker": result.worker,
        }
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def gold_scores(
    clusters: list[Cluster], rows: list[dict[str, Any]], out: Path
) -> dict[str, Any] | None:
    """With gold spans: each span takes the status of the report claim of its source that overlaps
    it most (`missed` if none, `error` if the cluster failed), scored as `factcheck eval` does."""
    from factcheck.evaluation.examples import FAILED, predicted_status
    from factcheck.evaluation.loaders import CLUSTER_LABELS
    from factcheck.evaluation.metrics import score
    from factcheck.models import Report

    pairs: list[tuple[str, str]] = []
    for cluster, row in zip(clusters, rows, strict=True):
        if not cluster.spans:
            continue
        if row["status"] != "ok":
            pairs += [(span.status, FAILED) for span in cluster.spans]
            continue
        try:
            report = Report.model_validate_json(
                (out / json_name(cluster.stem)).read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            pairs += [(span.status, FAILED) for span in cluster.spans]
            continue
        pairs += [(span.status, predicted_status(span, report.claims)) for span in cluster.spans]
    if not pairs:
        return None
    scores = score(pairs, CLUSTER_LABELS)
    return {
        "spans": scores.n,
        "balanced_accuracy": round(scores.balanced_accuracy, 4),
        "accuracy": round(scores.accuracy, 4),
        "confusion": scores.confusion,
    }


def _cell(value: Any) -> str:
    from factcheck.redact import printable

    return printable(str(value)).replace("|", "\\|").replace("\n", " ")


def status_cell(row: dict[str, Any]) -> str:
    if row["status"] == "ok":
        return "ok (resumed)" if row.get("resumed") else "ok"
    return f"error: {row.get('error') or ''}"


def headline(run: BatchRun) -> str:
    rate = f" · {run.clusters_per_minute:g} clusters/min" if run.clusters_per_minute else ""
    return (
        f"engine `{run.engine or '?'}` · executor {run.executor}, {run.workers} worker{'s' if run.workers != 1 else ''} · "
        f"{len(run.rows)} clusters: {len(run.rows) - run.errors} ok, {run.errors} errors "
        f"({run.resumed} resumed, {run.computed} computed in {run.seconds:g} s{rate})"
    )


def to_markdown(run: BatchRun) -> str:
    lines = [
        f"# Batch run: {_cell(run.input)}",
        "",
        _cell(headline(run)),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for row in run.rows:
        cells = [row["id"], *(row[c] for c in COLUMNS[1:-1]), status_cell(row)]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if run.gold:
        lines += [
            "",
            f"Gold spans: {run.gold['spans']}, balanced accuracy "
            f"{100 * run.gold['balanced_accuracy']:.1f} (accuracy {100 * run.gold['accuracy']:.1f}).",
        ]
    if run.workers_seen:
        peaks = ", ".join(f"{w['peak_rss_mb']:g}" for w in run.workers_seen if w.get("peak_rss_mb"))
        if peaks:
            lines += ["", f"Peak memory per worker (MiB): {peaks}."]
    return "\n".join(lines) + "\n"


def write_summary(run: BatchRun) -> list[Path]:
    as_json, as_md = run.out / f"{SUMMARY}.json", run.out / f"{SUMMARY}.md"
    write_atomically(as_json, json.dumps(run.to_dict(), indent=1) + "\n")
    write_atomically(as_md, to_markdown(run))
    return [as_json, as_md]


def print_summary(run: BatchRun, console: Any, limit: int = 50) -> None:
    """The summary table on the terminal (its first `limit` rows; _summary.md has them all)."""
    from rich.markup import escape
    from rich.table import Table

    from factcheck.redact import shown

    table = Table("cluster", "sources", "claims", "agree", "differ", "unsupp.", "s", "status")
    for row in run.rows[:limit]:
        numbers = (row[c] for c in COLUMNS[1:-1])
        table.add_row(*(escape(shown(str(v))) for v in (row["id"], *numbers, status_cell(row))))
    console.print(table)
    if len(run.rows) > limit:
        console.print(f"… and {len(run.rows) - limit} more rows in {SUMMARY}.md", highlight=False)
    console.print(escape(shown(headline(run))), highlight=False, soft_wrap=True)
    if run.gold:
        console.print(
            f"gold spans: {run.gold['spans']}, balanced accuracy "
            f"{100 * run.gold['balanced_accuracy']:.1f}",
            highlight=False,
        )
