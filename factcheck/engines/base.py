"""The three roles an engine bundles (claim extractor, judge, summarizer), so the checker never cares who fills them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from factcheck.models import Article, Claim, ClaimCheck, Evidence, Summary

if TYPE_CHECKING:  # the store pulls in Chroma and spaCy; engines' interfaces need only the names
    from factcheck.store import Hit


@dataclass
class Usage:
    """What a role spent: LLM calls and tokens (zero for the local roles)."""

    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class Candidates:
    """A claim and the passages retrieved for it from one other source."""

    claim: Claim
    hits: list[Hit] = field(default_factory=list)


@runtime_checkable
class ClaimExtractor(Protocol):
    """Atomic claims of one article."""

    usage: Usage

    def settings(self) -> dict[str, Any]:
        """What changes this role's output (model, thresholds): it keys the evaluation cache."""
        ...

    def extract_claims(self, article: Article) -> list[Claim]:
        """Atomic claims of one article, each quoting text[start:end] exactly."""
        ...


@runtime_checkable
class Judge(Protocol):
    """Verdicts on claims against the passages the checker retrieved from one other source."""

    usage: Usage
    evidence_kind: str  # the passage kind the checker retrieves: store.SENTENCE or store.CHUNK
    evidence_k: int  # passages retrieved per claim and source

    def settings(self) -> dict[str, Any]: ...

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        """One verdict per item on what `source` says of its claim, in the items' order."""
        ...


@runtime_checkable
class Summarizer(Protocol):
    """Neutral summaries: one per source and one of all sources."""

    usage: Usage

    def settings(self) -> dict[str, Any]: ...

    def summarize(self, article: Article, claims: list[Claim]) -> str:
        """A neutral summary of one source."""
        ...

    def summarize_all(self, articles: list[Article], checks: list[ClaimCheck]) -> Summary:
        """The neutral multi-source summary: agreement first, then differences, then additions."""
        ...


@dataclass
class Engine:
    """A claim extractor, a judge and a summarizer under one name (the report's `engine` field)."""

    name: str
    extractor: ClaimExtractor
    judge: Judge
    summarizer: Summarizer

    @classmethod
    def whole(cls, impl: Any, name: str | None = None) -> Engine:
        """An engine whose one object fills all three roles (the LLM client does)."""
        return cls(name or impl.name, impl, impl, impl)

    @property
    def roles(self) -> dict[str, Any]:
        return {"extractor": self.extractor, "judge": self.judge, "summarizer": self.summarizer}

    @property
    def usage(self) -> Usage:
        """What the roles spent together (a role object serving two roles is counted once)."""
        total = Usage()
        for role in {id(r): r for r in self.roles.values()}.values():
            total.llm_calls += role.usage.llm_calls
            total.prompt_tokens += role.usage.prompt_tokens
            total.completion_tokens += role.usage.completion_tokens
        return total

    def settings(self) -> dict[str, Any]:
        """Every role's settings, with the class that fills it: the evaluation cache's key."""
        return {
            role: {"class": type(impl).__qualname__, **impl.settings()}
            for role, impl in self.roles.items()
        }
