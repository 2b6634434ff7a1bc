"""Pydantic models for articles and the report: the report JSON is a contract (schema_version 1)."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

Verdict = Literal["supports", "contradicts", "not_mentioned"]
Status = Literal["agreement", "discrepancy", "unsupported"]
STATUSES: tuple[str, ...] = get_args(Status)
ClaimKind = Literal["fact", "quote", "opinion"]


class Span(BaseModel):
    """A half-open character range [start, end) into an article's text as read."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


class Furniture(BaseModel):
    """A line of the text as read that is page furniture, not article: [start, end) and its kind."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    kind: str  # "share", "comments", "media", "related", "byline", "headline", ...


class Article(BaseModel):
    """One source as read: `text` is exactly what was read; `body` marks the article proper."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    date: str | None = None
    path_or_url: str | None = None
    sha256: str
    body: list[Span] = Field(default_factory=list)
    language: str | None = None  # ISO 639-1 code of the body's language; None: not determined
    furniture: list[Furniture] = Field(default_factory=list)  # what was left out of the body, why

    def body_text(self) -> str:
        """The article proper, furniture removed, spans joined by blank lines."""
        return "\n\n".join(self.text[s.start : s.end] for s in self.body)


class Sentence(BaseModel):
    """A sentence of an article's body with its offsets."""

    text: str
    start: int
    end: int


class Claim(BaseModel):
    """One self-contained assertion, resting on the quote text[start:end] of its source."""

    id: str
    source: str
    text: str
    quote: str
    start: int
    end: int
    kind: ClaimKind = "fact"
    speaker: str | None = None


class Conflict(BaseModel):
    """Why a passage contradicts a claim, as data: the aspect and each side's value."""

    model_config = ConfigDict(frozen=True)

    aspect: str  # "the day (arrival)", "the figure (death)", "the person", "negation", "direction"
    claim_value: str
    evidence_value: str

    def reason(self) -> str:
        return f"{self.aspect} differs: “{self.claim_value}” vs “{self.evidence_value}”"


class Evidence(BaseModel):
    """What one other source says about a claim."""

    source: str
    verdict: Verdict
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    score: float = 0.0
    reason: str | None = None
    conflict: Conflict | None = None  # with a contradiction a value rule found: what differs


class ClaimCheck(Claim):
    """A claim with its evidence from every other source and the aggregated status."""

    status: Status
    evidence: list[Evidence]
    confidence: float


class SourceInfo(BaseModel):
    """The report's description of one source."""

    id: str
    title: str | None
    outlet: str | None
    byline: str | None
    date: str | None
    path_or_url: str | None
    sha256: str
    chars: int
    language: str | None = None  # added in schema 1: ISO 639-1 code, when it was determined


class SummarySentence(BaseModel):
    text: str
    sources: list[str]


class Summary(BaseModel):
    text: str
    sentences: list[SummarySentence]


class Stats(BaseModel):
    claims: int
    agreement: int
    discrepancy: int
    unsupported: int
    seconds: float
    llm_calls: int = 0
    tokens: int = 0


class Report(BaseModel):
    """The whole comparison; `model_dump_json()` is the contract's JSON."""

    schema_version: str = SCHEMA_VERSION
    engine: str
    sources: list[SourceInfo]
    summary: Summary
    source_summaries: dict[str, str]
    claims: list[ClaimCheck]
    stats: Stats
    # e.g. sources that seem to be about different events; optional, added in schema 1
    warnings: list[str] = Field(default_factory=list)

    def claims_with(self, status: Status) -> list[ClaimCheck]:
        """The claims of one status, in report order; an unknown status is a ValueError, not []."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of: {', '.join(STATUSES)}")
        return [c for c in self.claims if c.status == status]

    @property
    def discrepancies(self) -> list[ClaimCheck]:
        return self.claims_with("discrepancy")

    @property
    def agreements(self) -> list[ClaimCheck]:
        return self.claims_with("agreement")

    @property
    def unsupported(self) -> list[ClaimCheck]:
        return self.claims_with("unsupported")
