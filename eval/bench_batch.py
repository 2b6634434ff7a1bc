"""Throughput of `factcheck batch`: clusters per minute with the local executor (1 and 2 processes)
and with Ray (2 workers), on the same clusters; the speed-up, peak memory per worker, and whether
the reports are identical across the three runs.

Run from the repository root:  python eval/bench_batch.py
(default data: ../shared/benchmarks/frank_cnndm.jsonl, read in place; --data another cluster JSONL)
Writes eval/results/bench_batch.json and .md and prints the Markdown table.

The clusters: the first 50 rows of the file whose article is not already taken (FRANK has several
model summaries per CNN/DM article; one each, so no cluster finds its article already embedded).
Each run starts cold: new worker processes (models loaded once per worker, counted in the wall
time), an empty store per worker, an empty output folder. Ray's own start-up is measured apart.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "frank_cnndm.jsonl"
RESULTS = ROOT / "eval" / "results"
TARGET = 10_000  # clusters in the sizing estimate


def pick_clusters(data: Path, n: int) -> list[dict]:
    """The first n rows whose first article (the CNN/DM story) has not been picked yet."""
    picked, seen = [], set()
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        key = row["articles"][0]["text"]
        if key in seen:
            continue
        seen.add(key)
        picked.append(row)
        if len(picked) == n:
            break
    return picked


def reports(out: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(out.glob("*.json")):
        if path.name.startswith("_"):
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        report["stats"].pop("seconds")
        found[path.name] = report
    return found


def folder_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return round(total / 2**20, 1)


def measure(name: str, clusters: Path, tmp: Path, executor: str, workers: int) -> dict:
    from factcheck.batch import BatchOptions, run_batch

    out, stores = tmp / f"out-{name}", tmp / f"stores-{name}"
    options = BatchOptions(
        out=out, executor=executor, workers=workers, store=stores, engine="local"
    )
    load = os.getloadavg()[0]
    started = time.perf_counter()
    run = run_batch(clusters, options)
    wall = time.perf_counter() - started
    seconds = [r["seconds"] for r in run.rows if r["status"] == "ok"]
    peaks = [w["peak_rss_mb"] for w in run.workers_seen if w.get("peak_rss_mb")]
    return {
        "run": name,
        "executor": executor,
        "workers": workers,
        "clusters": len(run.rows),
        "ok": len(run.rows) - run.errors,
        "wall_s": round(wall, 1),
        "clusters_per_min": round(60 * len(run.rows) / wall, 2),
        "cluster_s_mean": round(statistics.mean(seconds), 2),
        "cluster_s_p50": round(statistics.median(seconds), 2),
        "cluster_s_max": round(max(seconds), 2),
        "busy_s": round(sum(seconds), 1),
        "peak_rss_mb_per_worker": peaks,
        "store_mb": folder_mb(stores) if stores.exists() else None,
        "load_avg_1min_before": round(load, 2),
        "gold": run.gold and {k: run.gold[k] for k in ("spans", "balanced_accuracy")},
        "_out": str(out),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray run")
    parser.add_argument("--save", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    os.environ["OPENAI_API_KEY"] = ""  # the local engine only

    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        rows = pick_clusters(args.data, args.n)
        clusters = tmp / "clusters.jsonl"
        clusters.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        runs = [
            measure("local-1", clusters, tmp, "local", 1),
            measure("local-2", clusters, tmp, "local", 2),
        ]
        ray_start = None
        if not args.no_ray:
            try:
                import ray
            except ImportError:
                print("Ray is not installed: no Ray run", file=sys.stderr)
            else:
                t0 = time.perf_counter()
                ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
                ray_start = round(time.perf_counter() - t0, 1)
                try:
                    runs.append(measure("ray-2", clusters, tmp, "ray", 2))
                finally:
                    ray.shutdown()
        reference = reports(Path(runs[0]["_out"]))
        identical = all(reports(Path(r["_out"])) == reference for r in runs[1:])
        for r in runs:
            r.pop("_out")
        base = runs[0]["clusters_per_min"]
        for r in runs:
            r["speed_up"] = round(r["clusters_per_min"] / base, 2)
        # Core-seconds per cluster: what a cluster costs one worker when every worker has a core.
        two = runs[1]
        per_cluster = round(two["wall_s"] * two["workers"] / two["clusters"], 2)
        result = {
            "data": f"{args.data.name}: first {len(rows)} rows with distinct articles",
            "sources_per_cluster": statistics.mean(len(r["articles"]) for r in rows),
            "chars_per_cluster_mean": round(
                statistics.mean(sum(len(a["text"]) for a in r["articles"]) for r in rows)
            ),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}",
            "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
            "ray_start_s": ray_start,
            "identical_reports": identical,
            "core_seconds_per_cluster": per_cluster,
            "runs": runs,
        }
        result["estimate"] = estimate(result)
        table = to_markdown(result)
        print(table)
        if args.save:
            RESULTS.mkdir(parents=True, exist_ok=True)
            (RESULTS / "bench_batch.json").write_text(json.dumps(result, indent=1) + "\n")
            (RESULTS / "bench_batch.md").write_text(table)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def estimate(result: dict) -> dict:
    """What TARGET clusters would take on N machines of C cores, one worker per core."""
    cost = result["core_seconds_per_cluster"]
    peak = max(p for r in result["runs"] for p in r["peak_rss_mb_per_worker"])
    store = result["runs"][1]["store_mb"] or 0
    rows = []
    for machines, cores in ((1, 2), (1, 16), (4, 16), (16, 16)):
        hours = TARGET * cost / (machines * cores) / 3600
        rows.append({"machines": machines, "cores_each": cores, "hours": round(hours, 2)})
    return {
        "clusters": TARGET,
        "core_hours": round(TARGET * cost / 3600, 1),
        "ram_gb_per_16_core_machine": round(16 * peak / 1024, 1),
        "store_gb": round(store / result["runs"][1]["clusters"] * TARGET / 1024, 2),
        "rows": rows,
    }


def to_markdown(result: dict) -> str:
    lines = [
        f"Data: {result['data']} ({result['sources_per_cluster']:g} sources, "
        f"{result['chars_per_cluster_mean']:,} characters per cluster on average). "
        f"{result['machine']}; load average at the end {result['load_avg_at_end']}.",
        "",
        "| run | workers | wall (s) | clusters/min | speed-up | s per cluster (mean, p50) "
        "| peak RSS per worker (MiB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result["runs"]:
        peaks = ", ".join(f"{p:.0f}" for p in r["peak_rss_mb_per_worker"])
        lines.append(
            f"| {r['run']} | {r['workers']} | {r['wall_s']} | {r['clusters_per_min']} | "
            f"{r['speed_up']}× | {r['cluster_s_mean']}, {r['cluster_s_p50']} | {peaks} |"
        )
    e = result["estimate"]
    lines += [
        "",
        f"Reports identical across the runs (stats.seconds aside): {result['identical_reports']}. "
        f"Ray start-up (not in the wall times): {result['ray_start_s']} s. "
        f"Measured cost: {result['core_seconds_per_cluster']} core-seconds per cluster.",
        "",
        f"{e['clusters']:,} clusters: {e['core_hours']} core-hours; store about "
        f"{e['store_gb']} GB; RAM about {e['ram_gb_per_16_core_machine']} GB per 16-core machine.",
        "",
        "| machines × cores | hours |",
        "|---|---|",
    ]
    lines += [f"| {r['machines']} × {r['cores_each']} | {r['hours']} |" for r in e["rows"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
