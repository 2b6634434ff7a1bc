"""Calibrate the "same event?" warning: its two signals on related and on unrelated sources.

For each pair of sources the checker measures (factcheck.checker.pair_signals) the share of claims
that find supporting or contradicting evidence in the other source, and the named entities the two
share (over those of the source with fewer). This script runs real comparisons and records both
signals for:

- related sources: the bundled examples (examples/witkoff_report_a.txt, _b.txt) and NeuS stories
  (three outlets' snippets about one story each);
- unrelated sources: consecutive English articles of the saved real pages (different events), and
  NeuS snippets paired across consecutive stories.

    python eval/same_event.py ../shared/realpages ../shared/benchmarks/neus_dev.jsonl [--stories 30]

Writes eval/results/same_event.json: every pair's signals, whether the warning fires, and the
counts of warnings on related (false alarms) and unrelated pairs (caught).
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path

from factcheck import article_from_text
from factcheck.api import compare_with_articles
from factcheck.checker import (
    MIN_PAIR_CLAIMS,
    MIN_RELATED_SHARE,
    MIN_SHARED_ENTITIES,
    pair_signals,
)
from factcheck.errors import FactcheckError
from factcheck.store import Store

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "eval" / "results" / "same_event.json"
sys_path = ROOT / "eval"


SKIPPED: list[str] = []


def run(group: str, related: bool, articles: list, store: Store, engine: str) -> list[dict]:
    try:
        comparison = compare_with_articles(articles, engine=engine, store=store, reuse=False)
    except FactcheckError as exc:  # a page not in English (the local engine refuses it)
        SKIPPED.append(str(exc).split(";")[0])
        return []
    rows = []
    for s in pair_signals(comparison.articles, comparison.report.claims):
        rows.append(
            {
                "group": group,
                "related": related,
                "pair": [s.first, s.second],
                "claims": s.claims,
                "related_share": round(s.related_share, 3),
                "entity_overlap": round(s.entity_overlap, 3),
                "entities": list(s.entities),
                "warned": s.unrelated,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="folder of saved pages (expected.txt each)")
    parser.add_argument("neus", type=Path, help="NeuS JSONL (articles of one story per row)")
    parser.add_argument("--stories", type=int, default=30, help="NeuS stories to use")
    parser.add_argument("--engine", default="local")
    args = parser.parse_args()
    from unrelated_pairs import ENGLISH_NEWS  # the same English pages, in the same order

    store = Store(tempfile.mkdtemp())
    started, rows = time.perf_counter(), []
    examples = [ROOT / "examples" / f"witkoff_report_{x}.txt" for x in "ab"]
    rows += run("examples", True, [str(p) for p in examples], store, args.engine)
    stories = [json.loads(line) for line in args.neus.open(encoding="utf-8")]
    stories = [s for s in stories if s.get("split") == "val"][: args.stories]
    for story in stories:
        arts = [article_from_text(a["text"], f"{story['id']}-{a['id']}") for a in story["articles"]]
        rows += run("neus-story", True, arts, store, args.engine)
    for story, following in itertools.pairwise(stories):
        a, b = story["articles"][0], following["articles"][1]
        arts = [
            article_from_text(a["text"], f"{story['id']}-a"),
            article_from_text(b["text"], f"{following['id']}-b"),
        ]
        rows += run("neus-across-stories", False, arts, store, args.engine)
    names = [n for n in ENGLISH_NEWS if (args.pages / n / "expected.txt").is_file()]
    for a, b in zip(names, names[1:] + names[:1], strict=True):
        arts = [
            article_from_text((args.pages / n / "expected.txt").read_text(encoding="utf-8"), n)
            for n in (a, b)
        ]
        rows += run("realpages-unrelated", False, arts, store, args.engine)
    groups = {}
    for row in rows:
        g = groups.setdefault(row["group"], {"pairs": 0, "warned": 0, "related": row["related"]})
        g["pairs"] += 1
        g["warned"] += row["warned"]
    result = {
        "engine": args.engine,
        "thresholds": {
            "related_share": MIN_RELATED_SHARE,
            "entity_overlap": MIN_SHARED_ENTITIES,
            "pair_claims": MIN_PAIR_CLAIMS,
        },
        "groups": groups,
        "seconds": round(time.perf_counter() - started, 1),
        "skipped": SKIPPED,
        "pairs": rows,
    }
    OUT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "pairs"}, indent=1))


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(sys_path))
    main()
