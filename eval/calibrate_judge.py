"""Fit the entailment judge's thresholds on SummEdits' `evaluation` split and the NLI validation file only.

Never the SummEdits test split, FEVER, QAGS, FRANK or examples/. Claims and retrieved passages are
computed once per example with the real pipeline; each setting then re-runs the judge itself (the
model's probabilities are remembered, so a setting costs little).

- `support` (P(entailment) to call a claim supported) maximises the mean of two balanced accuracies:
  SummEdits `evaluation` (the eval runner's rule: supported iff every claim is supported) and the
  NLI validation pairs (entailment vs not). Of the settings within one example of the best on the
  smaller SummEdits class, the median is taken, not the single best point.
- `contradict` (P(contradiction) for the model alone to contradict a window about the same thing)
  maximises balanced accuracy of contradiction vs neutral on the NLI validation rows that are not
  entailed.
- `related`, `same_topic`, `windows` and `min_similarity` keep their design values.

    python eval/calibrate_judge.py ../shared/benchmarks/summedits_news.json ../shared/nli/validation.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from factcheck.checker import CLAIM, index
from factcheck.engines import make_engine
from factcheck.engines.base import Candidates
from factcheck.engines.nli_judge import THRESHOLDS_FILE, NLIJudge, NLIThresholds
from factcheck.engines.nli_model import entailment_model
from factcheck.evaluation.cache import default_cache_dir
from factcheck.evaluation.loaders import SUPPORTED, load_dataset
from factcheck.evaluation.metrics import score
from factcheck.ingest import TERMINAL, article_from_text
from factcheck.models import Sentence
from factcheck.store import Store

SPLIT = "evaluation"
OUT = Path(__file__).resolve().parent.parent / "factcheck" / "data" / THRESHOLDS_FILE
SUPPORT_GRID = [round(x, 2) for x in np.arange(0.2, 0.951, 0.05)]
CONTRADICT_GRID = [round(x, 2) for x in np.arange(0.3, 0.951, 0.05)]


def summedits_items(path: str, store: Store) -> list[tuple[str, list[Candidates], object]]:
    """(gold label, the claims with their retrieved passages, the document) per evaluation example."""
    engine = make_engine("local")
    rows = []
    for example in load_dataset(path).examples:
        if example.split != SPLIT:
            continue
        text = example.claim.strip()
        text = text if text.endswith(TERMINAL) else text + "."
        document = article_from_text(example.document, "document")
        summary = article_from_text(text, "claim")
        for article in (document, summary):
            index(store, article, engine)
        claims = engine.extractor.extract_claims(summary)
        vectors = store.cached_vectors(
            summary, CLAIM, [Sentence(text=c.text, start=c.start, end=c.end) for c in claims]
        )
        items = [
            Candidates(c, store.search(v, document, k=engine.judge.evidence_k))
            for c, v in zip(claims, vectors, strict=True)
        ]
        rows.append((example.label, items, document))
    return rows


def summedits_accuracy(rows: list, thresholds: NLIThresholds) -> float:
    judge = NLIJudge(thresholds)
    pairs = []
    for label, items, document in rows:
        verdicts = judge.judge(items, document) if items else []
        supported = bool(verdicts) and all(v.verdict == "supports" for v in verdicts)
        pairs.append((label, SUPPORTED if supported else "not supported"))
    return score(pairs, (SUPPORTED, "not supported")).balanced_accuracy


def nli_probabilities(path: str) -> tuple[np.ndarray, list[str]]:
    rows = [
        json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line
    ]
    probs = entailment_model().scores([(r["premise"], r["hypothesis"]) for r in rows])
    return probs, [r["label"] for r in rows]


def balanced(gold: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.mean([(predicted[gold == g] == g).mean() for g in (True, False)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("summedits", help="summedits_news.json")
    parser.add_argument("nli_validation", help="the NLI validation.jsonl")
    parser.add_argument("--store", type=Path, default=default_cache_dir() / "chroma")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = summedits_items(args.summedits, Store(args.store))
    probs, labels = nli_probabilities(args.nli_validation)
    print(
        f"{len(rows)} examples, {len(labels)} pairs in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )

    entailed = np.array([label == "entailment" for label in labels])
    by_support = {}
    for support in SUPPORT_GRID:
        setting = replace(NLIThresholds(), support=support)
        nli = balanced(entailed, (probs[:, 0] >= support) & (probs[:, 0] > probs[:, 2]))
        by_support[support] = (summedits_accuracy(rows, setting), nli)
    combined = {s: (a + b) / 2 for s, (a, b) in by_support.items()}
    smaller = min(sum(r[0] == SUPPORTED for r in rows), sum(r[0] != SUPPORTED for r in rows))
    noise = 1 / smaller / 2  # one SummEdits example of the smaller class, in the mean of two scores
    top = max(combined.values())
    near = sorted(s for s, v in combined.items() if v >= top - noise)
    support = near[len(near) // 2]

    three_way = np.array([label in ("neutral", "contradiction") for label in labels])
    contradiction = np.array([label == "contradiction" for label in labels])[three_way]
    by_contradict = {t: balanced(contradiction, probs[three_way, 2] >= t) for t in CONTRADICT_GRID}
    best_c = max(by_contradict.values())
    near_c = sorted(t for t, v in by_contradict.items() if v >= best_c - 0.005)
    contradict = near_c[len(near_c) // 2]
    chosen = replace(NLIThresholds(), support=support, contradict=contradict)
    summedits, nli = by_support[support]
    note = (
        "chosen by `python eval/calibrate_judge.py ../shared/benchmarks/summedits_news.json "
        "../shared/nli/validation.jsonl`: support = median of the settings within one example of the "
        f"best mean of SummEdits-news `{SPLIT}` ({len(rows)} examples) and NLI validation "
        f"({len(labels)} pairs) balanced accuracies; at it: SummEdits {100 * summedits:.1f}, NLI "
        f"{100 * nli:.1f}. contradict = centre of the best contradiction-vs-neutral balanced "
        f"accuracy on the not-entailed NLI validation rows ({100 * by_contradict[contradict]:.1f})."
    )
    grid = {
        "contradict": {str(t): round(100 * v, 1) for t, v in by_contradict.items()},
        "support": {
            str(s): [round(100 * a, 1), round(100 * b, 1)] for s, (a, b) in by_support.items()
        },
    }
    OUT.write_text(
        json.dumps({**asdict(chosen), "note": note, "grid": grid}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(note, file=sys.stderr)
    print(f"wrote {OUT} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
