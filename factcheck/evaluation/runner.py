"""Run an engine over a dataset: bounded concurrency, deterministic order, resumable through a cache."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from factcheck.engines.base import Engine
from factcheck.errors import FactcheckError
from factcheck.evaluation.cache import Outcome, ResultCache, code_version
from factcheck.evaluation.examples import check_example
from factcheck.evaluation.loaders import Dataset, Example
from factcheck.evaluation.metrics import Scores, latency, score
from factcheck.models import ClaimCheck
from factcheck.store import Store

DEFAULT_SEED = 0  # --limit without --seed still samples at random, reproducibly
MAX_FOUND = 10  # claims recorded per example in the per-example results

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
    examples: list[Example] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)  # the engine's, as in the cache key
    code_version: str = ""

    @property
    def latency(self) -> dict[str, float]:
        return latency([o.seconds for o in self.outcomes])

    @property
    def llm_calls(self) -> int:
        return sum(o.llm_calls for o in self.outcomes)

    @property
    def tokens(self) -> int:
        return sum(o.tokens for o in self.outcomes)


def in_split(
    examples: list[Example], split: str | None, dataset: str = "the dataset"
) -> list[Example]:
    """The examples of one split; an unknown split or an empty selection is an error naming the splits."""
    chosen = examples if split is None else [e for e in examples if e.split == split]
    if not chosen:
        splits = sorted({e.split for e in examples if e.split})
        known = f"its splits are {', '.join(splits)}" if splits else "it has no splits"
        what = f"no examples of split {split!r}" if split else "no examples"
        raise FactcheckError(f"{dataset}: {what}; {known}")
    return chosen


def effective_seed(total: int, limit: int | None, seed: int | None) -> int | None:
    """The seed a selection uses: the given one, or DEFAULT_SEED when --limit takes a sample."""
    if seed is None and limit is not None and limit < total:
        return DEFAULT_SEED
    return seed


def select(
    examples: list[Example],
    *,
    split: str | None,
    limit: int | None,
    seed: int | None,
    dataset: str = "the dataset",
) -> list[Example]:
    """The examples of a split; with `limit`, a sample stratified by gold label and seeded.

    Stratified: each label keeps its share of the split, so `--limit 50` of a dataset sorted by
    document or label still sees every kind. Without a limit or a seed, file order.
    """
    chosen = in_split(examples, split, dataset)
    seed = effective_seed(len(chosen), limit, seed)
    if seed is None:
        return chosen[:limit] if limit is not None else chosen
    rng = random.Random(seed)
    groups: dict[str, list[Example]] = defaultdict(list)
    for example in sorted(chosen, key=lambda e: e.id):
        groups[example.label].append(example)
    ranked = []
    for members in groups.values():
        rng.shuffle(members)
        ranked += [((i / len(members), rng.random()), e) for i, e in enumerate(members)]
    ranked.sort(key=lambda pair: pair[0])  # every label's first pick comes before any second
    return [e for _, e in ranked][:limit] if limit is not None else [e for _, e in ranked]


def found(checks: list[ClaimCheck]) -> list[dict[str, Any]]:
    """The first claims of an example as the per-example results show them."""
    rows = []
    for check in checks[:MAX_FOUND]:
        reasons = [e.reason for e in check.evidence if e.reason]
        rows.append(
            {
                "claim": check.text[:300],
                "status": check.status,
                "reason": reasons[0][:300] if reasons else "",
            }
        )
    return rows


def outcome_of(example: Example, engine: Engine, store: Store) -> Outcome:
    """Check one example; what the engine spent on it (engines are reused between examples)."""
    calls, tokens = engine.usage.llm_calls, engine.usage.tokens
    t0 = time.perf_counter()
    pairs, checks = check_example(example, engine, store)
    return Outcome(
        id=example.id,
        pairs=pairs,
        seconds=round(time.perf_counter() - t0, 4),
        claims=len(checks),
        found=found(checks),
        llm_calls=engine.usage.llm_calls - calls,
        tokens=engine.usage.tokens - tokens,
    )


# Checks examples elsewhere (worker processes, Ray): yields each outcome as it finishes.
Mapper = Callable[[list[Example]], Iterator[Outcome]]


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
    mapper: Mapper | None = None,
) -> EvalRun:
    """Check every selected example not already cached; each worker thread has its own engine.

    With `mapper` (factcheck.batch's executors), the examples are checked by it instead of threads.
    """
    started = time.perf_counter()
    examples = select(dataset.examples, split=split, limit=limit, seed=seed, dataset=dataset.name)
    seed = effective_seed(len(in_split(dataset.examples, split, dataset.name)), limit, seed)
    done = cache.load() if cache else {}
    todo = [e for e in examples if e.id not in done]
    cached = len(examples) - len(todo)
    local = threading.local()
    prototype = make_engine()

    def work(example: Example) -> Outcome:
        if not hasattr(local, "engine"):
            local.engine = make_engine()
        return outcome_of(example, local.engine, store)

    finished = cached

    def record(outcome: Outcome) -> None:
        """Keep a finished example (and cache it) as soon as it is done, then report progress."""
        nonlocal finished
        done[outcome.id] = outcome
        if cache:
            cache.add(outcome)
        finished += 1
        if on_result:
            on_result(outcome, finished, len(examples))

    if on_result:
        on_result(None, cached, len(examples))
    for outcome in mapper(todo) if mapper and todo else ():
        record(outcome)
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
    try:
        pending: set[Future[Outcome]] = set()
        queue = iter([] if mapper else todo)  # with a mapper, all were checked above
        for example in queue:  # at most `concurrency` in flight: an interruption wastes little
            pending.add(pool.submit(work, example))
            if len(pending) >= max(1, concurrency):
                break
        while pending:
            ready, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                record(future.result())
                if (nxt := next(queue, None)) is not None:
                    pending.add(pool.submit(work, nxt))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    outcomes = [done[e.id] for e in examples]
    return EvalRun(
        dataset=dataset.name,
        format=dataset.format,
        engine=prototype.name,
        scores=score([p for o in outcomes for p in o.pairs], dataset.labels),
        outcomes=outcomes,
        seconds=round(time.perf_counter() - started, 3),
        computed=len(todo),
        cached=cached,
        split=split,
        limit=limit,
        seed=seed,
        skipped=dataset.skipped,
        examples=examples,
        settings=prototype.settings(),
        code_version=code_version(),
    )
