"""Cross-reference every claim against every other source and aggregate the contract's statuses."""

from __future__ import annotations

import time
from collections.abc import Callable

from factcheck.engines.base import Candidates, Engine
from factcheck.models import (
    Article,
    Claim,
    ClaimCheck,
    Evidence,
    Report,
    Sentence,
    SourceInfo,
    Stats,
    Status,
)
from factcheck.store import SENTENCE, Store

CLAIM = "claim"
EVIDENCE_PER_SOURCE = 4

Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def retrieval(engine: Engine) -> tuple[str, int]:
    """The passage kind and hits per claim and source an engine asks for (sentences, 4 by default)."""
    return getattr(engine, "evidence_kind", SENTENCE), getattr(
        engine, "evidence_k", EVIDENCE_PER_SOURCE
    )


def aggregate(evidence: list[Evidence]) -> tuple[Status, float]:
    """Discrepancy if any other source contradicts; else agreement if one supports; else unsupported."""
    contradicting = [e.score for e in evidence if e.verdict == "contradicts"]
    supporting = [e.score for e in evidence if e.verdict == "supports"]
    if contradicting:
        return "discrepancy", max(contradicting)
    if supporting:
        return "agreement", max(supporting)
    closest = max((e.score for e in evidence), default=0.0)
    return "unsupported", round(max(0.0, 1.0 - closest), 3)


def check(
    articles: list[Article], engine: Engine, store: Store, progress: Progress = _no_progress
) -> Report:
    """Run the whole comparison and return the Report."""
    started = time.perf_counter()
    steps = len(articles) * 2 + len(articles) * (len(articles) - 1) + 1
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        progress(label, done, steps)

    kind, k = retrieval(engine)
    claims: dict[str, list[Claim]] = {}
    for article in articles:
        store.add_article(article, kinds=tuple(dict.fromkeys((SENTENCE, kind))))
        step(f"indexed {article.id}")
        claims[article.id] = engine.extract_claims(article)
        step(f"found {len(claims[article.id])} claims in {article.id}")

    evidence: dict[str, list[Evidence]] = {c.id: [] for cs in claims.values() for c in cs}
    for article in articles:
        own = claims[article.id]
        vectors = store.cached_vectors(
            article, CLAIM, [Sentence(text=c.text, start=c.start, end=c.end) for c in own]
        )
        for other in articles:
            if other.id == article.id:
                continue
            items = [
                Candidates(c, store.search(v, other, kind=kind, k=k))
                for c, v in zip(own, vectors, strict=True)
            ]
            for claim, verdict in zip(own, engine.judge(items, other), strict=True):
                evidence[claim.id].append(verdict)
            step(f"checked {article.id} against {other.id}")

    checks = []
    for article in articles:
        for claim in claims[article.id]:
            status, confidence = aggregate(evidence[claim.id])
            checks.append(
                ClaimCheck(
                    **claim.model_dump(),
                    status=status,
                    evidence=evidence[claim.id],
                    confidence=round(confidence, 3),
                )
            )
    source_summaries = {a.id: engine.summarize(a, claims[a.id]) for a in articles}
    summary = engine.summarize_all(articles, checks)
    step("summarised")
    counts = {
        s: sum(1 for c in checks if c.status == s)
        for s in ("agreement", "discrepancy", "unsupported")
    }
    return Report(
        engine=engine.name,
        sources=[source_info(a) for a in articles],
        summary=summary,
        source_summaries=source_summaries,
        claims=checks,
        stats=Stats(
            claims=len(checks),
            **counts,
            seconds=round(time.perf_counter() - started, 3),
            llm_calls=engine.usage.llm_calls,
            tokens=engine.usage.tokens,
        ),
    )


def source_info(article: Article) -> SourceInfo:
    return SourceInfo(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        byline=article.byline,
        date=article.date,
        path_or_url=article.path_or_url,
        sha256=article.sha256,
        chars=len(article.text),
    )
