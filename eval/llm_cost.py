"""LLM calls and tokens per comparison of the two bundled examples, against the budget.

Budget: 2 calls per source + 1 per 15 claims judged per other source + 1 joint summary.

    python eval/llm_cost.py                                  # replay the recorded cassette (offline)
    python eval/llm_cost.py --base-url URL --model NAME      # a live OpenAI-compatible server
    OPENAI_API_KEY=... python eval/llm_cost.py --live        # OpenAI itself (FACTCHECK_MODEL or gpt-4o-mini)

Writes eval/results/llm_cost.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASSETTE = ROOT / "cassettes" / "test_cli_compares_the_examples_with_the_llm_engine.yaml"
EXAMPLES = [ROOT / "examples" / "witkoff_report_a.txt", ROOT / "examples" / "witkoff_report_b.txt"]


def budget(claims_per_source: dict[str, int]) -> int:
    """The most calls a comparison may make (before validation retries)."""
    n = len(claims_per_source)
    judge = sum(math.ceil(c / 15) * (n - 1) for c in claims_per_source.values())
    return 2 * n + judge + 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a live OpenAI-compatible server")
    parser.add_argument("--model", help="model name (default: as recorded, or FACTCHECK_MODEL)")
    parser.add_argument("--live", action="store_true", help="call OpenAI (OPENAI_API_KEY)")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "llm_cost.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp  # a fresh answer cache: count every call
        from factcheck import compare
        from factcheck.engines.base import Engine
        from factcheck.engines.llm import LLMEngine
        from factcheck.store import Store

        if args.base_url or args.live:
            mode = "live"
            engine = LLMEngine(model=args.model, base_url=args.base_url)
            context = nullcontext()
        else:
            import vcr

            mode = f"replayed from cassettes/{CASSETTE.name}"
            recorded = json.loads((ROOT / "cassettes" / "recorded_with.json").read_text())
            engine = LLMEngine(
                model=recorded["model"],
                base_url=recorded["base_url"],
                api_key="replay",
                method=recorded["method"],
            )
            context = vcr.VCR(record_mode="none", match_on=["method", "uri", "body"]).use_cassette(
                str(CASSETTE)
            )
        started = time.perf_counter()
        with context:
            report = compare(
                EXAMPLES, engine=Engine.whole(engine), store=Store(Path(tmp) / "chroma")
            )
        seconds = time.perf_counter() - started
    per_source = {s.id: sum(c.source == s.id for c in report.claims) for s in report.sources}
    result = {
        "engine": report.engine,
        "mode": mode,
        "sources": len(report.sources),
        "claims": per_source,
        "llm_calls": engine.usage.llm_calls,
        "prompt_tokens": engine.usage.prompt_tokens,
        "completion_tokens": engine.usage.completion_tokens,
        "tokens": engine.usage.tokens,
        "budget_calls": budget(per_source),
        "within_budget": engine.usage.llm_calls <= budget(per_source),
        "statuses": {
            s: len(report.claims_with(s)) for s in ("agreement", "discrepancy", "unsupported")
        },
        "seconds": round(seconds, 2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
