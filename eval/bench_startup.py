"""Start-up cost of the `factcheck` command: what a user waits for before any real work.

Run from the repository root:  python eval/bench_startup.py
Writes eval/results/bench_startup.json and prints a Markdown table (median of 5 fresh processes).

- import: `import factcheck.cli` alone (what every command pays)
- user error: `factcheck compare missing.txt b.txt` until its one-line error
- help: `factcheck compare -h`
- re-run: `factcheck compare` of the bundled examples with the store already holding them
- cold: the same with an empty store (models load, everything is embedded and judged)
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [str(ROOT / "examples" / f"witkoff_report_{x}.txt") for x in ("a", "b")]
RUNS = 5
CLI = [sys.executable, "-m", "factcheck.cli"]
TARGETS = {"user_error": 0.3, "rerun": 1.0, "cold": 2.5}


def seconds(command: list[str], ok: bool = True) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env={**os.environ, "OPENAI_API_KEY": ""})
    elapsed = time.perf_counter() - started
    if ok and done.returncode != 0:
        raise SystemExit(f"{command} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def median(values: list[float]) -> float:
    return round(sorted(values)[len(values) // 2], 3)


def main() -> None:
    compare = [*CLI, "compare", *EXAMPLES, "-e", "local", "-f", "json", "--store"]
    result: dict[str, object] = {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
        f"Python {platform.python_version()}",
        "runs": RUNS,
        "import": median(
            [seconds([sys.executable, "-c", "import factcheck.cli"]) for _ in range(RUNS)]
        ),
        "user_error": median(
            [seconds([*CLI, "compare", "missing.txt", EXAMPLES[1]], ok=False) for _ in range(RUNS)]
        ),
        "help": median([seconds([*CLI, "compare", "-h"]) for _ in range(RUNS)]),
    }
    cold, rerun = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as store:
            cold.append(seconds([*compare, store]))
            rerun.append(seconds([*compare, store]))
    result["cold"], result["rerun"] = median(cold), median(rerun)
    result["targets"] = TARGETS
    out = ROOT / "eval" / "results" / "bench_startup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"| measure (fresh process, median of {RUNS}) | seconds | target |")
    print("|---|---:|---:|")
    for key, label in (
        ("import", "`import factcheck.cli`"),
        ("user_error", "a user error (missing file)"),
        ("help", "`factcheck compare -h`"),
        ("rerun", "re-run of the examples, store filled"),
        ("cold", "cold comparison of the examples, empty store"),
    ):
        target = TARGETS.get(key)
        print(f"| {label} | {result[key]} | {f'≤ {target}' if target else ''} |")


if __name__ == "__main__":
    main()
