"""How many discrepancies an engine invents between real news articles about *different* events.

Two unrelated articles cannot contradict each other, so every discrepancy reported between them is a
false one (an altitude against a depth, one reporter's credit against another's). Reads the
`expected.txt` article bodies of a folder of saved pages (one sub-folder per page), pairs each
English article (by the reader's language detection) with the next one in name order, and counts
discrepancies and agreements per pair. The pages' text is never saved: results are counts, and the
discrepancies found are printed for review.

    python eval/unrelated_pairs.py ../shared/realpages --engine local --engine local-rules
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from factcheck import article_from_text, compare
from factcheck.reading.language import detect_language
from factcheck.store import Store

ENGLISH_NEWS = [
    "ars-1",
    "bbc-1",
    "breitbart",
    "buzzfeed-1",
    "citylab-1",
    "cnet",
    "cnn",
    "engadget",
    "guardian-1",
    "herald-sun-1",
    "medicalnewstoday",
    "msn",
    "nytimes-1",
    "nytimes-2",
    "nytimes-3",
    "nytimes-4",
    "nytimes-5",
    "quanta-1",
    "salon-1",
    "seattletimes-1",
    "telegraph",
    "theverge",
    "tmz-1",
    "wapo-1",
    "wapo-2",
    "webmd-1",
    "yahoo-1",
    "yahoo-2",
    "yahoo-3",
    "yahoo-4",
]
OUT = Path(__file__).resolve().parent / "results" / "unrelated_pairs.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--engine", action="append", default=None)
    args = parser.parse_args()
    texts = {
        n: (args.pages / n / "expected.txt").read_text(encoding="utf-8")
        for n in ENGLISH_NEWS
        if (args.pages / n / "expected.txt").is_file()
    }
    names = [n for n, text in texts.items() if detect_language(text).code == "en"]
    if skipped := sorted(set(texts) - set(names)):
        print("not English, left out:", ", ".join(skipped))
    pairs = list(zip(names, names[1:] + names[:1], strict=True))
    results = {}
    for engine in args.engine or ["local"]:
        store = Store(tempfile.mkdtemp())
        started, rows = time.perf_counter(), []
        for a, b in pairs:
            articles = [article_from_text(texts[n], n) for n in (a, b)]
            report = compare(articles, engine=engine, store=store)
            rows.append(
                {
                    "pair": [a, b],
                    "claims": report.stats.claims,
                    "discrepancy": report.stats.discrepancy,
                    "agreement": report.stats.agreement,
                }
            )
            for c in report.claims_with("discrepancy")[:3]:  # shown for review, never saved
                print(f"  {a} / {b}: {c.quote[:120]!r} vs {(c.evidence[0].quote or '')[:120]!r}")
        claims = sum(r["claims"] for r in rows)
        results[engine] = {
            "pairs": len(rows),
            "claims": claims,
            "false_discrepancies": sum(r["discrepancy"] for r in rows),
            "false_agreements": sum(r["agreement"] for r in rows),
            "pairs_with_any_discrepancy": sum(r["discrepancy"] > 0 for r in rows),
            "seconds": round(time.perf_counter() - started, 1),
            "rows": rows,
        }
        summary = {k: v for k, v in results[engine].items() if k != "rows"}
        print(engine, json.dumps(summary))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
