"""Deterministic stand-ins for the three roles, for tests that exercise the checker, renderers or bots.

No spaCy, no embeddings model, no LLM: claims are the body's sentences, a verdict comes from a script
(`{"claim words": "contradicts"}`) or, failing that, from word overlap with the retrieved passages.
"""

from __future__ import annotations

import re
from typing import Any

from factcheck.engines.base import Candidates, Engine, Usage
from factcheck.engines.registry import EngineSpec, Registry
from factcheck.models import Article, Claim, ClaimCheck, Evidence, Summary, SummarySentence
from factcheck.store import SENTENCE, Hit

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


class FakeExtractor:
    """One fact claim per sentence of the body (a sentence: text up to . ! or ?)."""

    def __init__(self) -> None:
        self.usage = Usage()

    def settings(self) -> dict[str, Any]:
        return {}

    def extract_claims(self, article: Article) -> list[Claim]:
        claims = []
        for span in article.body:
            for m in _SENTENCE.finditer(article.text, span.start, span.end):
                start = m.start() + len(m.group()) - len(m.group().lstrip())
                quote = article.text[start : m.end()]
                claims.append(
                    Claim(
                        id=f"{article.id}-{len(claims) + 1}",
                        source=article.id,
                        text=quote,
                        quote=quote,
                        start=start,
                        end=m.end(),
                    )
                )
        return claims


class FakeJudge:
    """Scripted verdicts by claim substring; otherwise `supports` when most words of the claim recur."""

    evidence_kind = SENTENCE
    evidence_k = 4

    def __init__(self, script: dict[str, str] | None = None, overlap: float = 0.8) -> None:
        self.script = script or {}
        self.overlap = overlap
        self.usage = Usage()
        self.calls: list[int] = []  # batch sizes, for tests that count judge calls

    def settings(self) -> dict[str, Any]:
        return {"script": self.script, "overlap": self.overlap}

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        self.calls.append(len(items))
        return [self._verdict(item, source) for item in items]

    def _verdict(self, item: Candidates, source: Article) -> Evidence:
        hit = item.hits[0] if item.hits else None
        verdict = next((v for key, v in self.script.items() if key in item.claim.text), None)
        if verdict is None:
            words = set(re.findall(r"\w+", item.claim.text.lower()))
            overlaps = [
                (len(words & set(re.findall(r"\w+", h.text.lower()))) / max(1, len(words)), h)
                for h in item.hits
            ]
            best = max(overlaps, key=lambda o: o[0], default=(0.0, None))
            verdict = "supports" if best[0] >= self.overlap else "not_mentioned"
            hit = best[1] if verdict == "supports" else hit
        if verdict == "not_mentioned":
            return Evidence(source=source.id, verdict="not_mentioned", score=0.0, reason="fake")
        return Evidence(
            source=source.id,
            verdict=verdict,
            quote=hit.text if hit else None,
            start=hit.start if hit else None,
            end=hit.end if hit else None,
            score=1.0,
            reason=f"fake: {verdict}",
        )


class FakeSummarizer:
    """The first claim of each source, and a count of the statuses."""

    def __init__(self) -> None:
        self.usage = Usage()

    def settings(self) -> dict[str, Any]:
        return {}

    def summarize(self, article: Article, claims: list[Claim]) -> str:
        return claims[0].text if claims else "No claims."

    def summarize_all(self, articles: list[Article], checks: list[ClaimCheck]) -> Summary:
        agreed = [c for c in checks if c.status == "agreement"]
        text = f"{len(agreed)} of {len(checks)} claims are supported by another source."
        return Summary(
            text=text, sentences=[SummarySentence(text=text, sources=[a.id for a in articles])]
        )


def register(registry: Registry) -> None:
    """Register the fakes as the engine "fake" (tests call this, as a plugin would be called)."""
    registry.add_extractor("fake", lambda options: FakeExtractor())
    registry.add_judge("fake", lambda options: FakeJudge())
    registry.add_summarizer("fake", lambda options: FakeSummarizer())
    registry.add_engine(EngineSpec("fake", "fake", "fake", "fake", "deterministic test doubles"))


def fake_engine(script: dict[str, str] | None = None) -> Engine:
    """An engine of the three fakes, with a scripted judge."""
    return Engine("fake", FakeExtractor(), FakeJudge(script), FakeSummarizer())


class MemoryStore:
    """The checker's store without Chroma or an embedding model: sentences by regex, word-overlap search."""

    def __init__(self) -> None:
        self.passages: dict[str, list[Hit]] = {}

    def add_article(self, article: Article, kinds: tuple[str, ...] = (SENTENCE,)) -> int:
        if article.sha256 in self.passages:
            return 0
        self.passages[article.sha256] = [
            Hit(
                m.group().strip(),
                m.start() + len(m.group()) - len(m.group().lstrip()),
                m.end(),
                0.0,
            )
            for span in article.body
            for m in _SENTENCE.finditer(article.text, span.start, span.end)
        ]
        return len(self.passages[article.sha256])

    def cached_vectors(self, article: Article, kind: str, passages: list) -> list[list[float]]:
        """The passages' own texts stand in for vectors (search compares words)."""
        return [p.text for p in passages]  # type: ignore[misc]

    def search(self, query: str, article: Article, kind: str = SENTENCE, k: int = 4) -> list[Hit]:
        words = set(re.findall(r"\w+", str(query).lower()))
        scored = [
            Hit(
                h.text,
                h.start,
                h.end,
                len(words & set(re.findall(r"\w+", h.text.lower()))) / max(1, len(words)),
            )
            for h in self.passages.get(article.sha256, [])
        ]
        return sorted(scored, key=lambda h: -h.score)[:k]
