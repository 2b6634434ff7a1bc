"""Cross-reference every claim against every other source and aggregate the contract's statuses."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

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

Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def index(store: Store, article: Article, engine: Engine) -> None:
    """Store an article's sentences, and the passage kind the judge retrieves if that is another."""
    store.add_article(article, kinds=tuple(dict.fromkeys((SENTENCE, engine.judge.evidence_kind))))


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

    check_languages(articles, engine)
    claims: dict[str, list[Claim]] = {}
    for article in articles:
        index(store, article, engine)
        step(f"indexed {article.id}")
        claims[article.id] = engine.extractor.extract_claims(article)
        step(f"found {len(claims[article.id])} claims in {article.id}")

    evidence: dict[str, list[Evidence]] = {}
    for article in articles:
        others = [o for o in articles if o.id != article.id]
        evidence |= cross_check(
            article,
            claims[article.id],
            others,
            engine,
            store,
            lambda other, a=article: step(f"checked {a.id} against {other.id}"),
        )

    checks = [claim_check(claim, evidence[claim.id]) for a in articles for claim in claims[a.id]]
    source_summaries = {a.id: engine.summarizer.summarize(a, claims[a.id]) for a in articles}
    summary = engine.summarizer.summarize_all(articles, checks)
    step("summarised")
    counts = {
        s: sum(1 for c in checks if c.status == s)
        for s in ("agreement", "discrepancy", "unsupported")
    }
    warnings = same_event_warnings(pair_signals(articles, checks))
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
        warnings=warnings,
    )


def check_languages(articles: list[Article], engine: Engine) -> None:
    """Let the extractor refuse a language it cannot read before any work starts."""
    accepts = getattr(engine.extractor, "check_article", None)
    if callable(accepts):
        for article in articles:
            accepts(article)


def cross_check(
    article: Article,
    claims: list[Claim],
    sources: list[Article],
    engine: Engine,
    store: Store,
    after_source: Callable[[Article], None] | None = None,
) -> dict[str, list[Evidence]]:
    """Evidence for each claim of one article from each source: retrieve from the store, then judge."""
    kind, k = engine.judge.evidence_kind, engine.judge.evidence_k
    vectors = store.cached_vectors(
        article, CLAIM, [Sentence(text=c.text, start=c.start, end=c.end) for c in claims]
    )
    evidence: dict[str, list[Evidence]] = {c.id: [] for c in claims}
    for other in sources:
        items = [
            Candidates(c, store.search(v, other, kind=kind, k=k))
            for c, v in zip(claims, vectors, strict=True)
        ]
        for claim, verdict in zip(claims, engine.judge.judge(items, other), strict=True):
            evidence[claim.id].append(verdict)
        if after_source:
            after_source(other)
    return evidence


def claim_check(claim: Claim, evidence: list[Evidence]) -> ClaimCheck:
    """A claim with its evidence and the status the contract's rules give it."""
    status, confidence = aggregate(evidence)
    return ClaimCheck(
        **claim.model_dump(), status=status, evidence=evidence, confidence=round(confidence, 3)
    )


def check_claims(
    article: Article, sources: list[Article], engine: Engine, store: Store
) -> list[ClaimCheck]:
    """Check the claims of one article against these sources only (a summary against its document, say)."""
    check_languages([article, *sources], engine)
    for source in [article, *sources]:
        index(store, source, engine)
    claims = engine.extractor.extract_claims(article)
    evidence = cross_check(article, claims, sources, engine, store)
    return [claim_check(c, evidence[c.id]) for c in claims]


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
        language=article.language,
    )


# "Same event?": signals that two sources are about different events, and when to warn.
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
# Calibrated by eval/same_event.py (eval/results/same_event.json). Unrelated real articles: at
# most 6.6 % of claims find related evidence; the bundled related examples: 40 %, and 65 % of
# names shared. Short snippets about one story (NeuS, under 10 claims a pair) often share
# neither, so a pair with fewer claims is not judged: too little text to tell.
MIN_RELATED_SHARE = 0.10  # share of claims with supporting or contradicting evidence
MIN_SHARED_ENTITIES = 0.2  # shared named entities / entities of the source that has fewer
MIN_PAIR_CLAIMS = 10  # claims of both sources together, below which no warning is given


@dataclass(frozen=True)
class PairSignals:
    """How much two sources have in common: claims with related evidence, and named entities."""

    first: str
    second: str
    claims: int
    related: int
    entities: tuple[int, int]
    shared_entities: int

    @property
    def related_share(self) -> float:
        return self.related / self.claims if self.claims else 0.0

    @property
    def entity_overlap(self) -> float:
        fewer = min(self.entities)
        return self.shared_entities / fewer if fewer else 0.0

    @property
    def unrelated(self) -> bool:
        """Both signals low: almost no claim finds related evidence, and few names are shared."""
        return (
            self.claims >= MIN_PAIR_CLAIMS
            and self.related_share < MIN_RELATED_SHARE
            and self.entity_overlap < MIN_SHARED_ENTITIES
        )


def named_entities(article: Article) -> set[str]:
    """The names an article's body mentions (people, organisations, places, events...), normalised."""
    from factcheck.nlp import parse_article  # spaCy: only once a comparison runs

    names = set()
    for block in parse_article(article):
        for ent in block.doc.ents:
            if ent.label_ in ENTITY_LABELS:
                name = re.sub(r"^the\s+|['’]s$", "", " ".join(ent.text.split()).casefold())
                if len(name) > 1:
                    names.add(name)
    return names


def pair_signals(articles: list[Article], checks: list[ClaimCheck]) -> list[PairSignals]:
    """The two signals for every pair of sources, from the report's evidence and the articles' names."""
    names = {a.id: named_entities(a) for a in articles}
    out = []
    for i, first in enumerate(articles):
        for second in articles[i + 1 :]:
            claims = related = 0
            for check in checks:
                other = {first.id: second.id, second.id: first.id}.get(check.source)
                if other is None:
                    continue
                claims += 1
                related += any(
                    e.source == other and e.verdict != "not_mentioned" for e in check.evidence
                )
            a, b = names[first.id], names[second.id]
            out.append(
                PairSignals(first.id, second.id, claims, related, (len(a), len(b)), len(a & b))
            )
    return out


def same_event_warnings(signals: list[PairSignals]) -> list[str]:
    """One warning per pair of sources that seem to report different events."""
    return [
        f"{s.first} and {s.second} may not be about the same event: {s.related} of {s.claims} "
        f"claims ({s.related_share:.0%}) find related evidence in the other, and they share "
        f"{s.shared_entities} of {min(s.entities)} names; compare articles about one event"
        for s in signals
        if s.unrelated
    ]
