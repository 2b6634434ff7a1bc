"""Honest metrics from (gold, predicted) pairs: confusion matrix, per-label P/R/F1, balanced accuracy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LabelScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    """`confusion[gold][predicted]` counts; predictions outside `labels` (e.g. "missed") get columns."""

    labels: tuple[str, ...]
    predicted_labels: tuple[str, ...]
    confusion: dict[str, dict[str, int]]
    per_label: dict[str, LabelScores]
    balanced_accuracy: float
    accuracy: float
    n: int


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b else 0.0


def score(pairs: Iterable[tuple[str, str]], labels: Sequence[str]) -> Scores:
    """Balanced accuracy is the mean recall over the gold labels that occur (chance is 1/their count)."""
    pairs = list(pairs)
    extra = sorted({p for _, p in pairs} - set(labels))
    columns = (*labels, *extra)
    for gold, _ in pairs:
        if gold not in labels:
            raise ValueError(f"gold label {gold!r} is not one of {labels}")
    matrix = np.zeros((len(labels), len(columns)), dtype=int)
    for gold, predicted in pairs:
        matrix[labels.index(gold), columns.index(predicted)] += 1
    per_label = {}
    for i, label in enumerate(labels):
        tp = matrix[i, i]
        precision = _ratio(tp, matrix[:, i].sum())
        recall = _ratio(tp, matrix[i].sum())
        f1 = _ratio(2 * precision * recall, precision + recall)
        per_label[label] = LabelScores(
            round(precision, 4), round(recall, 4), round(f1, 4), int(matrix[i].sum())
        )
    present = [s.recall for s in per_label.values() if s.support]
    return Scores(
        labels=tuple(labels),
        predicted_labels=columns,
        confusion={
            g: {p: int(matrix[i, j]) for j, p in enumerate(columns)} for i, g in enumerate(labels)
        },
        per_label=per_label,
        balanced_accuracy=round(float(np.mean(present)) if present else 0.0, 4),
        accuracy=round(_ratio(np.trace(matrix[:, : len(labels)]), len(pairs)), 4),
        n=len(pairs),
    )


def latency(seconds: Sequence[float]) -> dict[str, float]:
    """Mean, median and 95th percentile of per-example wall time."""
    if not seconds:
        return {"mean": 0.0, "p50": 0.0, "p95": 0.0}
    values = np.asarray(seconds, dtype=float)
    return {
        "mean": round(float(values.mean()), 4),
        "p50": round(float(np.percentile(values, 50)), 4),
        "p95": round(float(np.percentile(values, 95)), 4),
    }
