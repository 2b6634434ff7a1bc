"""Score the neutral summary against editors' summaries (NeuS), beside a lead-sentence baseline.

For each story the articles go through the real pipeline (`checker.check`); the report's joint
summary and the baseline (each outlet's first sentence after its title) are both scored: ROUGE-1/2/L
F1 against the reference (Google's `rouge-score`, stemmed), length in words, the share of sentences
copied verbatim from a source, and the share of sentences holding a loaded word (factcheck.neutral).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from factcheck.checker import check
from factcheck.engines.base import Engine
from factcheck.errors import FactcheckError
from factcheck.evaluation.loaders import Dataset, Example
from factcheck.evaluation.runner import select
from factcheck.ingest import article_from_text, load_articles
from factcheck.neutral import count_loaded
from factcheck.store import Store

METRICS = ("rouge1", "rouge2", "rougeL", "words", "copied", "loaded")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘])")
STORY_TEXTS = ("summary", "baseline", "reference")
_ATTRIBUTION = re.compile(r"^\S+ (also )?reports: ")


@dataclass
class SummaryRun:
    """Mean metrics of the system's summaries and of the baseline, with the per-story rows."""

    dataset: str
    engine: str
    split: str | None
    n: int
    seconds: float
    system: dict[str, float]
    baseline: dict[str, float]
    rows: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0  # stories the pipeline could not read (an article with no body text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "engine": self.engine,
            "split": self.split,
            "n": self.n,
            "refused": self.refused,
            "seconds": self.seconds,
            "system": self.system,
            "lead_baseline": self.baseline,
        }

    def score_rows(self) -> list[dict[str, Any]]:
        """Per-story scores without the texts: summaries, leads and references (the dataset's
        words) go only to the examples file, which results folders do not publish."""
        return [{k: v for k, v in r.items() if k not in STORY_TEXTS} for r in self.rows]

    def to_markdown(self) -> str:
        where = f", split `{self.split}`" if self.split else ""
        lines = [
            f"## {self.dataset} (summaries) — engine `{self.engine}`{where}, n = {self.n}"
            + (f" ({self.refused} unreadable stories left out)" if self.refused else ""),
            "",
            "| summary | ROUGE-1 | ROUGE-2 | ROUGE-L | words | copied | loaded |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, m in (("factcheck", self.system), ("lead baseline", self.baseline)):
            lines.append(
                f"| {name} | {100 * m['rouge1']:.1f} | {100 * m['rouge2']:.1f} | "
                f"{100 * m['rougeL']:.1f} | {m['words']:.1f} | {100 * m['copied']:.0f} % | "
                f"{100 * m['loaded']:.0f} % |"
            )
        return "\n".join(lines) + "\n"


def lead_baseline(articles: list[tuple[str, str]]) -> str:
    """Each outlet's first sentence after its title line."""
    leads = []
    for _, text in articles:
        blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
        body = " ".join(blocks[1:] if len(blocks) > 1 else blocks)
        leads.append(_SENTENCE_END.split(body)[0].strip())
    return " ".join(lead for lead in leads if lead)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def score_summary(
    summary: str, reference: str, sources: list[str], scorer: Any
) -> dict[str, float]:
    """ROUGE F1s, length, and the shares of copied and of loaded sentences of one summary."""
    rouge = scorer.score(reference, summary)
    parts = sentences(summary)
    flat = [" ".join(s.split()) for s in sources]
    copied = [any(" ".join(_ATTRIBUTION.sub("", p).split()) in s for s in flat) for p in parts]
    loaded = count_loaded(parts) if parts else []
    return {
        "rouge1": rouge["rouge1"].fmeasure,
        "rouge2": rouge["rouge2"].fmeasure,
        "rougeL": rouge["rougeL"].fmeasure,
        "words": float(len(summary.split())),
        "copied": sum(copied) / len(parts) if parts else 0.0,
        "loaded": sum(1 for n in loaded if n) / len(parts) if parts else 0.0,
    }


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(sum(r[k] for r in rows) / len(rows), 4) if rows else 0.0 for k in METRICS}


def run_summary_eval(
    dataset: Dataset,
    make_engine: Callable[[], Engine],
    store: Store,
    *,
    concurrency: int = 1,
    split: str | None = None,
    limit: int | None = None,
    seed: int | None = None,
    on_result: Callable[[int, int], None] | None = None,
) -> SummaryRun:
    """Summarise every selected story with the engine and score it and the baseline."""
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        raise FactcheckError(
            'scoring summaries needs rouge-score: pip install "factcheck[eval]"'
        ) from None

    started = time.perf_counter()
    examples = select(dataset.examples, split=split, limit=limit, seed=seed, dataset=dataset.name)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    local = threading.local()
    engine_name = make_engine().name
    done = 0
    lock = threading.Lock()

    def work(example: Example) -> dict[str, Any]:
        nonlocal done
        if not hasattr(local, "engine"):
            local.engine = make_engine()
        try:
            articles = load_articles([article_from_text(t, aid) for aid, t in example.articles])
        except FactcheckError as exc:  # an outlet's snippet with a title only, say: noted, skipped
            row: dict[str, Any] = {"id": example.id, "error": str(exc)}
        else:
            summary = check(articles, local.engine, store).summary.text
            texts = [t for _, t in example.articles]
            baseline = lead_baseline(list(example.articles))
            row = {
                "id": example.id,
                "summary": summary,
                "baseline": baseline,
                "reference": example.reference,
                "system": score_summary(summary, example.reference, texts, scorer),
                "lead_baseline": score_summary(baseline, example.reference, texts, scorer),
            }
        with lock:
            done += 1
            if on_result:
                on_result(done, len(examples))
        return row

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        rows = list(pool.map(work, examples))
    scored = [r for r in rows if "error" not in r]
    return SummaryRun(
        dataset=dataset.name,
        engine=engine_name,
        split=split,
        n=len(scored),
        seconds=round(time.perf_counter() - started, 2),
        system=_mean([r["system"] for r in scored]),
        baseline=_mean([r["lead_baseline"] for r in scored]),
        rows=rows,
        refused=len(rows) - len(scored),
    )
