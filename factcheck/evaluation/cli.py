"""What `factcheck eval` does, kept out of cli.py: load every dataset first, run, print, save."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from factcheck.engines import make_engine
from factcheck.errors import FactcheckError
from factcheck.evaluation.cache import ResultCache, default_cache_dir, engine_key
from factcheck.evaluation.loaders import load_dataset
from factcheck.evaluation.results import (
    combined_markdown,
    run_stem,
    save,
    to_dict,
    to_markdown,
    unused_stem,
    write_jsonl,
)
from factcheck.evaluation.runner import EvalRun, effective_seed, in_split, run_eval
from factcheck.evaluation.summaries import SummaryRun, run_summary_eval
from factcheck.store import Store


def run_datasets(
    paths: list[Path],
    *,
    engine: str | None,
    model: str | None,
    base_url: str | None,
    concurrency: int,
    limit: int | None,
    split: str | None,
    seed: int | None,
    skip_bad: bool,
    format: str,
    results: Path | None,
    fresh: bool,
    cache_dir: Path | None,
    store: Path | None,
    console: Console,
    name: str | None = None,
    executor: str | None = None,
    workers: int | None = None,
    ray_address: str | None = None,
) -> list[EvalRun]:
    """Every dataset is read (and refused if malformed or its selection is empty) before any
    example is checked.

    `executor` (local: processes, ray: a Ray cluster; default FACTCHECK_EXECUTOR) checks examples
    with factcheck.batch's executors and `workers` of them (FACTCHECK_WORKERS) instead of threads.
    """
    datasets = [load_dataset(p, skip_bad=skip_bad) for p in paths]
    if name and len(datasets) > 1:
        raise FactcheckError("--name names the results of one dataset; give one dataset with it")
    for dataset in datasets:
        for message in dataset.skipped:
            console.print(f"[yellow]skipped:[/] {escape(message)}", highlight=False, soft_wrap=True)
        chosen = in_split(dataset.examples, split, dataset.name)
        if limit is not None and limit < len(chosen):
            used = effective_seed(len(chosen), limit, seed)
            console.print(
                f"note: {dataset.name}: checking {limit} of {len(chosen)} examples, a random sample "
                f"stratified by label (seed {used}; --seed N for another)",
                highlight=False,
                soft_wrap=True,
                markup=False,
            )

    def factory():
        return make_engine(engine, model=model, base_url=base_url)

    prototype = factory()
    folder = cache_dir or default_cache_dir()
    shared = Store(store or folder / "chroma")
    mapper = None
    if kind := executor or os.environ.get("FACTCHECK_EXECUTOR"):
        from factcheck.batch.worker import eval_mapper

        count = workers or int(os.environ.get("FACTCHECK_WORKERS") or 0) or None
        mapper = eval_mapper(
            kind,
            count,
            ray_address or os.environ.get("FACTCHECK_RAY_ADDRESS"),
            engine=engine,
            model=model,
            base_url=base_url,
            store_root=Path(f"{store}-workers") if store else folder / "chroma-workers",
        )
    runs = []
    for dataset in datasets:
        if dataset.format == "neus":
            run_summaries(
                dataset,
                factory,
                shared,
                concurrency,
                split,
                limit,
                seed,
                format,
                results,
                console,
                name,
            )
            continue
        cache = ResultCache(folder, dataset.name, dataset.digest, engine_key(prototype))
        if fresh:
            cache.clear()
        with progress_bar(dataset.name, console) as (bar, task):
            run = run_eval(
                dataset,
                factory,
                shared,
                cache=cache,
                concurrency=concurrency,
                split=split,
                limit=limit,
                seed=seed,
                on_result=lambda _o, done, total, t=task: bar.update(
                    t, completed=done, total=total
                ),
                mapper=mapper,
            )
        runs.append(run)
        if format == "json":
            sys.stdout.write(json.dumps(to_dict(run)) + "\n")
        elif format == "markdown":
            sys.stdout.write(to_markdown(run) + "\n")
        else:
            print_run(run, Console())
        if results is not None:
            written = save(run, results, name=name)
            console.print(escape(f"wrote {', '.join(str(p) for p in written)}"), highlight=False)
    if len(runs) > 1:
        if format != "json":  # with --format json, stdout holds only one JSON object per dataset
            sys.stdout.write("\n" + combined_markdown(runs))
        if results is not None:
            stem = unused_stem(results, run_stem("combined", runs[0].engine), (".md",))
            (results / f"{stem}.md").write_text(combined_markdown(runs), encoding="utf-8")
            console.print(escape(f"wrote {results / stem}.md"), highlight=False)
    return runs


def check_fail_under(runs: list[EvalRun], fail_under: float | None) -> list[str]:
    """The datasets whose balanced accuracy (in percent) is below `fail_under`, described."""
    if fail_under is None:
        return []
    return [
        f"{run.dataset} {100 * run.scores.balanced_accuracy:.1f}"
        for run in runs
        if 100 * run.scores.balanced_accuracy < fail_under
    ]


@contextmanager
def progress_bar(label: str, console: Console) -> Iterator[tuple[Progress, TaskID]]:
    """A transient bar on the console (stderr) while examples are checked; none off a terminal."""
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        yield bar, bar.add_task(label, total=None)


def run_summaries(
    dataset, factory, store, concurrency, split, limit, seed, format, results, console, name=None
) -> SummaryRun:
    """A summary dataset (NeuS): the engine's joint summaries and the lead baseline, scored."""
    with progress_bar(f"{dataset.name} summaries", console) as (bar, task):
        run = run_summary_eval(
            dataset,
            factory,
            store,
            concurrency=concurrency,
            split=split,
            limit=limit,
            seed=seed,
            on_result=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if format == "json":
        sys.stdout.write(json.dumps(run.to_dict()) + "\n")
    else:
        sys.stdout.write(run.to_markdown())
    if results is not None:
        results.mkdir(parents=True, exist_ok=True)
        sample_seed = effective_seed(len(in_split(dataset.examples, split)), limit, seed)
        stem = name or unused_stem(
            results,
            run_stem(
                run.dataset,
                run.engine,
                split=run.split,
                limit=limit,
                seed=sample_seed,
                kind="summaries",
            ),
            (".json", ".md", ".examples.jsonl"),
        )
        (results / f"{stem}.json").write_text(
            json.dumps({**run.to_dict(), "rows": run.score_rows()}, indent=1) + "\n",
            encoding="utf-8",
        )
        (results / f"{stem}.md").write_text(run.to_markdown(), encoding="utf-8")
        write_jsonl(results / f"{stem}.examples.jsonl", run.rows)
        console.print(
            escape(f"wrote {results / stem}.json, .md and .examples.jsonl"), highlight=False
        )
    return run


def print_run(run: EvalRun, console: Console) -> None:
    s = run.scores
    lat = run.latency
    where = f", split {run.split}" if run.split else ""
    console.print(
        f"[bold]{escape(run.dataset)}[/] — engine {escape(run.engine)}{escape(where)}: n = {s.n}, "
        f"balanced accuracy [bold]{100 * s.balanced_accuracy:.1f}[/]"
        f" (accuracy {100 * s.accuracy:.1f}); {run.seconds:.1f} s"
        f" ({run.computed} checked, {run.cached} from cache)",
        highlight=False,
    )
    console.print(
        f"latency per example: mean {lat['mean']:.3f} s, p50 {lat['p50']:.3f} s, p95 {lat['p95']:.3f} s;"
        f" LLM calls {run.llm_calls}, tokens {run.tokens}",
        highlight=False,
    )
    labels = Table("label", "precision", "recall", "F1", "support")
    for label, ls in s.per_label.items():
        labels.add_row(
            label, f"{ls.precision:.3f}", f"{ls.recall:.3f}", f"{ls.f1:.3f}", str(ls.support)
        )
    console.print(labels)
    confusion = Table("gold \\ predicted", *s.predicted_labels)
    for gold, row in s.confusion.items():
        confusion.add_row(gold, *(str(row[p]) for p in s.predicted_labels))
    console.print(confusion)
