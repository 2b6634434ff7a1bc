"""Batch runs: many clusters of articles, one report each, on local processes or a Ray cluster.

`run_batch(path, BatchOptions(out=...))` is what `factcheck batch` runs; `make_executor` gives the
executors (map a picklable worker task over items with N workers) that `factcheck eval` shares.
Ray is imported only when the Ray executor is used.
"""

from __future__ import annotations

from factcheck.batch.clusters import Cluster, read_clusters
from factcheck.batch.executors import EXECUTORS, LocalExecutor, RayExecutor, make_executor
from factcheck.batch.runner import BatchOptions, BatchRun, run_batch

__all__ = [
    "EXECUTORS",
    "BatchOptions",
    "BatchRun",
    "Cluster",
    "LocalExecutor",
    "RayExecutor",
    "make_executor",
    "read_clusters",
    "run_batch",
]
