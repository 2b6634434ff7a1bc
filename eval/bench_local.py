"""Speed and memory of the local engine on the two bundled examples.

Run from the repository root:  python eval/bench_local.py
Writes eval/results/bench_local.json and prints a Markdown table.

- cold: a fresh `factcheck compare` process with an empty store (imports, model loads, embedding)
- warm: a comparison of the examples in a process that has already compared two other articles
  (models loaded, nothing of the examples parsed, scored or stored yet), new empty store
- re-run: the same comparison again with the store already holding both articles (embeds nothing)
- peak memory: the largest resident set of the measured processes
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    str(ROOT / "examples" / "witkoff_report_a.txt"),
    str(ROOT / "examples" / "witkoff_report_b.txt"),
]
WARM_UP = [
    str(ROOT / "tests" / "data" / "llm" / "port_a.txt"),
    str(ROOT / "tests" / "data" / "llm" / "port_b.txt"),
]
RUNS = 3

IN_PROCESS = """
import json, resource, sys, tempfile, time
t0 = time.perf_counter()
from factcheck import compare
from factcheck.store import Store
compare(sys.argv[1:3], engine="local", store=Store(tempfile.mkdtemp()))
t1 = time.perf_counter()
store = Store(tempfile.mkdtemp())
first = compare(sys.argv[3:], engine="local", store=store)
t2 = time.perf_counter()
compare(sys.argv[3:], engine="local", store=store)
t3 = time.perf_counter()
print(json.dumps({"load_and_other": t1 - t0, "warm": t2 - t1, "rerun": t3 - t2, "claims": first.stats.claims,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cold_cli_seconds() -> float:
    with tempfile.TemporaryDirectory() as store:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "factcheck.cli",
                "compare",
                *EXAMPLES,
                "--format",
                "json",
                "--store",
                store,
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    cold = [cold_cli_seconds() for _ in range(RUNS)]
    cold_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    inner = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", IN_PROCESS, *WARM_UP, *EXAMPLES],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(RUNS)
    ]
    result = {
        "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, Python {platform.python_version()}",
        "runs": RUNS,
        "claims": inner[0]["claims"],
        "cold_cli_seconds": round(median(cold), 2),
        "warm_seconds": round(median([r["warm"] for r in inner]), 2),
        "rerun_seconds": round(median([r["rerun"] for r in inner]), 2),
        "peak_memory_mb": round(max(cold_peak_mb, *(r["peak_mb"] for r in inner)), 0),
        "targets": {"warm_seconds": 3, "cold_cli_seconds": 10, "peak_memory_mb": 1536},
    }
    out = ROOT / "eval" / "results" / "bench_local.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"| measure | median of {RUNS} | target |")
    print("|---|---|---|")
    print(
        f"| cold `factcheck compare` (fresh process, empty store) | {result['cold_cli_seconds']} s | ≤ 10 s |"
    )
    print(f"| warm (models loaded, empty store) | {result['warm_seconds']} s | ≤ 3 s |")
    print(f"| re-run (store already holds both articles) | {result['rerun_seconds']} s | |")
    print(f"| peak memory (RSS) | {result['peak_memory_mb']:.0f} MB | ≤ 1536 MB |")


if __name__ == "__main__":
    main()
