"""An EvalRun as the contract's JSON object, a Markdown table, a terminal view, and a PNG chart."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from factcheck.evaluation.runner import EvalRun
from factcheck.ingest import slugify


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
    }


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


def save(run: EvalRun, folder: Path, today: date | None = None) -> list[Path]:
    """Write <dataset>-<engine>-<date>.json, .md and .png into folder; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{run.dataset}-{run.split}" if run.split else run.dataset
    stem = f"{slugify(name)}-{slugify(run.engine)}-{(today or date.today()).isoformat()}"
    paths = [folder / f"{stem}.json", folder / f"{stem}.md", folder / f"{stem}.png"]
    paths[0].write_text(json.dumps(to_dict(run), indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(to_markdown(run), encoding="utf-8")
    plot(run, paths[2])
    return paths
