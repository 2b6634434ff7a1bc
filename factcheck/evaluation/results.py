"""An EvalRun as the contract's JSON object, a Markdown table, a terminal view, and a PNG chart."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs

from factcheck.evaluation.loaders import Example
from factcheck.evaluation.runner import EvalRun
from factcheck.ingest import slugify

EXCERPT_CHARS = 200


def default_results_dir() -> Path:
    """Where result files go unless --results says otherwise: the user's data directory."""
    return Path(platformdirs.user_data_dir("factcheck")) / "eval-results"


def to_dict(run: EvalRun) -> dict[str, Any]:
    """The evaluation-output contract's object (dataset, n, balanced_accuracy, per_label, confusion, seconds, engine) and more."""
    s = run.scores
    return {
        "dataset": run.dataset,
        "format": run.format,
        "engine": run.engine,
        "split": run.split,
        "limit": run.limit,
        "seed": run.seed,
        "n": s.n,
        "examples": len(run.outcomes),
        "balanced_accuracy": s.balanced_accuracy,
        "accuracy": s.accuracy,
        "per_label": {k: asdict(v) for k, v in s.per_label.items()},
        "confusion": s.confusion,
        "seconds": run.seconds,
        "latency": run.latency,
        "llm_calls": run.llm_calls,
        "tokens": run.tokens,
        "computed": run.computed,
        "cached": run.cached,
        "skipped": run.skipped,
        "engine_settings": run.settings,
        "code_version": run.code_version,
    }


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def example_input(example: Example) -> dict[str, Any]:
    """What was checked, shortened: the document and claim, or the cluster's articles."""
    if example.is_cluster:
        return {
            "articles": [aid for aid, _ in example.articles],
            "excerpt": _excerpt(example.articles[0][1]) if example.articles else "",
        }
    return {"document": _excerpt(example.document), "claim": _excerpt(example.claim)}


def example_rows(run: EvalRun) -> list[dict[str, Any]]:
    """One row per example: id, input excerpt, gold and predicted labels, and its claims' reasons."""
    rows = []
    for example, outcome in zip(run.examples, run.outcomes, strict=True):
        rows.append(
            {
                "id": outcome.id,
                "input": example_input(example),
                "gold": [gold for gold, _ in outcome.pairs],
                "predicted": [predicted for _, predicted in outcome.pairs],
                "correct": all(gold == predicted for gold, predicted in outcome.pairs),
                "claims": outcome.claims,
                "found": outcome.found,
                "seconds": outcome.seconds,
            }
        )
    return rows


def to_markdown(run: EvalRun) -> str:
    s = run.scores
    lat = run.latency
    where = f", split `{run.split}`" if run.split else ""
    lines = [
        f"## {run.dataset} — engine `{run.engine}`{where}",
        "",
        f"n = {s.n}, balanced accuracy **{100 * s.balanced_accuracy:.1f}**, accuracy {100 * s.accuracy:.1f}; "
        f"{run.seconds:.1f} s wall; latency per example mean {lat['mean']:.3f} s, "
        f"p50 {lat['p50']:.3f} s, p95 {lat['p95']:.3f} s; LLM calls {run.llm_calls}, tokens {run.tokens}.",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, ls in s.per_label.items():
        lines.append(
            f"| {label} | {ls.precision:.3f} | {ls.recall:.3f} | {ls.f1:.3f} | {ls.support} |"
        )
    lines += ["", "| gold \\ predicted | " + " | ".join(s.predicted_labels) + " |"]
    lines.append("|---|" + "---:|" * len(s.predicted_labels))
    for gold, row in s.confusion.items():
        lines.append(f"| {gold} | " + " | ".join(str(row[p]) for p in s.predicted_labels) + " |")
    return "\n".join(lines) + "\n"


def plot(run: EvalRun, path: Path) -> None:
    """Confusion matrix and per-label precision / recall / F1 bars, for people who would rather look."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    s = run.scores
    matrix = np.array([[s.confusion[g][p] for p in s.predicted_labels] for g in s.labels])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.imshow(matrix, cmap="Blues")
    left.set_xticks(range(len(s.predicted_labels)), s.predicted_labels, rotation=20)
    left.set_yticks(range(len(s.labels)), s.labels)
    left.set_xlabel("predicted")
    left.set_ylabel("gold")
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            left.text(j, i, str(matrix[i, j]), ha="center", va="center")
    left.set_title("confusion matrix")
    width = 0.27
    x = np.arange(len(s.labels))
    for k, metric in enumerate(("precision", "recall", "f1")):
        right.bar(
            x + (k - 1) * width,
            [getattr(s.per_label[label], metric) for label in s.labels],
            width,
            label=metric,
        )
    right.set_xticks(x, s.labels)
    right.set_ylim(0, 1)
    right.legend()
    right.set_title(f"balanced accuracy {100 * s.balanced_accuracy:.1f}")
    fig.suptitle(f"{run.dataset} — {run.engine} (n = {s.n})")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def run_stem(
    dataset: str,
    engine: str,
    *,
    split: str | None = None,
    limit: int | None = None,
    seed: int | None = None,
    kind: str = "",
    today: date | None = None,
) -> str:
    """A results file name that says what was run: dataset, split, sample, engine and date."""
    parts = [dataset, split, kind, f"n{limit}" if limit else None]
    parts += [
        f"seed{seed}" if seed is not None else None,
        engine,
        (today or date.today()).isoformat(),
    ]
    return "-".join(slugify(p) for p in parts if p)


def unused_stem(folder: Path, stem: str, suffixes: tuple[str, ...]) -> str:
    """`stem`, or stem-2, stem-3...: the first whose files do not exist yet, so no run is overwritten."""
    candidate, number = stem, 1
    while any((folder / f"{candidate}{suffix}").exists() for suffix in suffixes):
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


RUN_SUFFIXES = (".json", ".md", ".png", ".examples.jsonl")


def save(
    run: EvalRun, folder: Path, today: date | None = None, name: str | None = None
) -> list[Path]:
    """Write the run's JSON, Markdown, chart and per-example JSONL; never over an earlier run.

    `name` replaces the generated stem and is written as given (the user chose to reuse it).
    """
    folder.mkdir(parents=True, exist_ok=True)
    stem = name or unused_stem(
        folder,
        run_stem(
            run.dataset, run.engine, split=run.split, limit=run.limit, seed=run.seed, today=today
        ),
        RUN_SUFFIXES,
    )
    paths = [folder / f"{stem}{suffix}" for suffix in RUN_SUFFIXES]
    paths[0].write_text(json.dumps(to_dict(run), indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(to_markdown(run), encoding="utf-8")
    try:
        plot(run, paths[2])
    except ImportError:  # matplotlib comes with the `eval` extra; the numbers do not need it
        paths.remove(paths[2])
    write_jsonl(paths[-1], example_rows(run))
    return paths


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """The per-example rows of a run, one JSON object a line (inputs and texts: not for publishing)."""
    path.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )


def combined_markdown(runs: list[EvalRun]) -> str:
    """One table for several datasets of one eval command."""
    lines = [
        "| dataset | split | engine | n | balanced accuracy | accuracy | seconds |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for run in runs:
        s = run.scores
        lines.append(
            f"| {run.dataset} | {run.split or '—'} | {run.engine} | {s.n} | "
            f"{100 * s.balanced_accuracy:.1f} | {100 * s.accuracy:.1f} | {run.seconds:.1f} |"
        )
    return "\n".join(lines) + "\n"
