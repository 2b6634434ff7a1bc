"""Run an engine over a dataset: bounded concurrency, deterministic order, resumable through a cache."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from factcheck.engines.base import Engine
from factcheck.evaluation.cache import Outcome, ResultCache
from factcheck.evaluation.examples import check_example
from factcheck.evaluation.loaders import Dataset, Example
from factcheck.evaluation.metrics import Scores, latency, score
from factcheck.store import Store

OnResult = Callable[[Outcome | None, int, int], None]  # None: the cached examples, at the start


@dataclass
class EvalRun:
    """A finished run: the scores, every example's outcome (in dataset order), and what it cost."""

    dataset: str
    format: str
    engine: str
    scores: Scores
    outcomes: list[Outcome]
    seconds: float
    computed: int
    cached: int
    split: str | None = None
    limit: int | None = None
    seed: int | None = None
    skipped: list[str] = field(default_factory=list)

    @property
    def latency(self) -> dict[str, float]:
        return latency([o.seconds for o in self.outcomes])

    @property
    def llm_calls(self) -> int:
        return sum(o.llm_calls for o in self.outcomes)

    @property
    def tokens(self) -> int:
        return sum(o.tokens for o in self.outcomes)


def select(
    examples: list[Example], *, split: str | None, limit: int | None, seed: int | None
) -> list[Example]:
    """The examples of a split, shuffled by `seed` if given (else in file order), first `limit` of them."""
    chosen = [e for e in examples if split is None or e.split == split]
    if seed is not None:
        chosen = sorted(chosen, key=lambda e: e.id)
        random.Random(seed).shuffle(chosen)
    return chosen[:limit] if limit is not None else chosen


def run_eval(
    dataset: Dataset,
    make_engine: Callable[[], Engine],
    store: Store,
    *,
    cache: ResultCache | None = None,
    concurrency: int = 1,
    split: str | None = None,
    limit: int | None = None,
    seed: int | None = None,
    on_result: OnResult | None = None,
) -> EvalRun:
    """Check every selected example not already cached; each worker thread has its own engine."""
    started = time.perf_counter()
    examples = select(dataset.examples, split=split, limit=limit, seed=seed)
    done = cache.load() if cache else {}
    todo = [e for e in examples if e.id not in done]
    cached = len(examples) - len(todo)
    local = threading.local()
    engine_name = make_engine().name

    def work(example: Example) -> Outcome:
        if not hasattr(local, "engine"):
            local.engine = make_engine()
        engine = local.engine
        calls, tokens = engine.usage.llm_calls, engine.usage.tokens
        t0 = time.perf_counter()
        pairs, claims = check_example(example, engine, store)
        return Outcome(
            id=example.id,
            pairs=pairs,
            seconds=round(time.perf_counter() - t0, 4),
            claims=claims,
            llm_calls=engine.usage.llm_calls - calls,
            tokens=engine.usage.tokens - tokens,
        )

    finished = cached
    if on_result:
        on_result(None, cached, len(examples))
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
    try:
        pending: set[Future[Outcome]] = set()
        queue = iter(todo)
        for example in queue:  # at most `concurrency` in flight: an interruption wastes little
            pending.add(pool.submit(work, example))
            if len(pending) >= max(1, concurrency):
                break
        while pending:
            ready, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                outcome = future.result()
                done[outcome.id] = outcome
                if cache:
                    cache.add(outcome)
                finished += 1
                if on_result:
                    on_result(outcome, finished, len(examples))
                if (nxt := next(queue, None)) is not None:
                    pending.add(pool.submit(work, nxt))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    outcomes = [done[e.id] for e in examples]
    return EvalRun(
        dataset=dataset.name,
        format=dataset.format,
        engine=engine_name,
        scores=score([p for o in outcomes for p in o.pairs], dataset.labels),
        outcomes=outcomes,
        seconds=round(time.perf_counter() - started, 3),
        computed=len(todo),
        cached=cached,
        split=split,
        limit=limit,
        seed=seed,
        skipped=dataset.skipped,
    )
