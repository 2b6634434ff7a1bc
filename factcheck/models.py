"""Pydantic models for articles and the report: the report JSON is a contract (schema_version 1)."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

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


class Dropped(BaseModel):
    """A part of the text as read that was left out of the article: [start, end) and why (its kind).

    Whole lines (page furniture: "share", "comments", "media", "related", "headline"...) and parts
    of a paragraph ("dateline", "credit", "timestamp") alike.
    """

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    kind: str  # "share", "comments", "media", "related", "byline", "dateline", "credit", ...


Furniture = Dropped  # its name before `Article.dropped`; kept for code that imports it


class Article(BaseModel):
    """One source as read: `text` is exactly what was read; `body` marks the article proper."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None  # the authors' names joined by ", " (see `authors`)
    date: str | None = None  # ISO 8601: "2024-05-14", or "--02-02" (month and day) when partial
    path_or_url: str | None = None
    sha256: str
    body: list[Span] = Field(default_factory=list)
    language: str | None = None  # ISO 639-1 code of the body's language; None: not determined
    # What was left out of the body, and why; `furniture` is its earlier name (still accepted).
    dropped: list[Dropped] = Field(
        default_factory=list, validation_alias=AliasChoices("dropped", "furniture")
    )
    authors: list[str] = Field(default_factory=list)  # person names of the byline, in order
    date_partial: bool = False  # the date was written without a year (a dateline's "Feb 2")
    format: str | None = None  # what was read: "html", "markdown" or "text"

    @model_validator(mode="after")
    def _authors_from_byline(self) -> Article:
        if self.byline and not self.authors:
            self.authors = [n for n in self.byline.split(", ") if n]
        if self.date and self.date.startswith("--"):
            self.date_partial = True
        return self

    @property
    def furniture(self) -> list[Dropped]:
        """The earlier name of `dropped`."""
        return self.dropped

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
    # Added in schema 1: the byline's person names (`byline` is them joined by ", "), and whether
    # `date` lacks a year ("--02-02": a dateline's month and day, no year found in the article).
    authors: list[str] = Field(default_factory=list)
    date_partial: bool = False

    @model_validator(mode="after")
    def _derived(self) -> SourceInfo:
        if self.byline and not self.authors:
            self.authors = [n for n in self.byline.split(", ") if n]
        if self.date and self.date.startswith("--"):
            self.date_partial = True
        return self


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
