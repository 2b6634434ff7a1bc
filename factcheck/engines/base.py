"""The small interface every engine implements, so the checker and renderers never care which one ran."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from factcheck.models import Article, Claim, ClaimCheck, Evidence, Summary
from factcheck.store import Hit


@dataclass
class Usage:
    """What an engine spent: LLM calls and tokens (zero for the local engine)."""

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


class Engine(Protocol):
    """Claims, judgements and summaries; `name` goes into the report's `engine` field."""

    name: str
    usage: Usage

    def extract_claims(self, article: Article) -> list[Claim]:
        """Atomic claims of one article, each quoting text[start:end] exactly."""
        ...

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        """One verdict per item on what `source` says of its claim, in the items' order."""
        ...

    def summarize(self, article: Article, claims: list[Claim]) -> str:
        """A neutral summary of one source."""
        ...

    def summarize_all(self, articles: list[Article], checks: list[ClaimCheck]) -> Summary:
        """The neutral multi-source summary: agreement first, then differences, then additions."""
        ...
