"""Score the bundled entailment model on NLI JSONL files (premise, hypothesis, label, source).

Uses the runtime (onnxruntime + tokenizers), not torch. Prints, per file and per source, 3-way
accuracy and 2-way (entailment vs not) balanced accuracy; writes eval/results/nli_scores.json.

    python eval/judge_training/score_nli.py ../shared/nli/validation.jsonl ../shared/nli/eval_only/*.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from factcheck.engines.nli_model import entailment_model

LABELS = ["entailment", "neutral", "contradiction"]
OUT = Path(__file__).resolve().parents[1] / "results" / "nli_scores.json"


def scores(rows: list[dict], probs: np.ndarray) -> dict:
    pred = probs.argmax(-1)
    three = [
        p == LABELS.index(r["label"])
        for p, r in zip(pred, rows, strict=True)
        if r["label"] in LABELS
    ]
    gold = np.array([r["label"] == "entailment" for r in rows])
    guess = probs[:, 0] >= 0.5
    recall = [float((guess[gold == g] == g).mean()) for g in (True, False) if (gold == g).any()]
    return {
        "n": len(rows),
        "accuracy_3way": round(float(np.mean(three)), 4) if three else None,
        "balanced_accuracy_2way": round(float(np.mean(recall)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    model = entailment_model()
    results = {}
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        probs = model.scores([(r["premise"], r["hypothesis"]) for r in rows])
        by_source = defaultdict(list)
        for i, r in enumerate(rows):
            by_source[r.get("source", "all")].append(i)
        results[path.name] = {
            "all": scores(rows, probs),
            **{
                s: scores([rows[i] for i in idx], probs[idx])
                for s, idx in sorted(by_source.items())
            },
        }
        print(path.name, json.dumps(results[path.name]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"model": model.version, "files": results}, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
