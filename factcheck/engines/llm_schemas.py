"""What each LLM chain must answer: pydantic models, validated by the code (never trusted as is)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class SourceSummary(BaseModel):
    """A neutral summary of one article."""

    summary: str = Field(description="at most four neutral sentences, opinions attributed")


class ExtractedClaim(BaseModel):
    claim: str = Field(description="one self-contained statement, names instead of pronouns")
    quote: str = Field(description="the exact words of the article the claim rests on")
    kind: Literal["fact", "quote", "opinion"]
    speaker: str = Field(default="", description="who said it, when kind is quote")


class ClaimList(BaseModel):
    """The atomic claims of one article."""

    claims: list[ExtractedClaim]


class Judgement(BaseModel):
    claim: int = Field(description="the claim's number as listed")
    verdict: Literal["supports", "contradicts", "not_mentioned"]
    evidence: str = Field(default="", description="the exact words of the source; empty if none")
    reason: str = Field(default="", description="one short sentence")


class Judgements(BaseModel):
    """Verdicts on numbered claims against one source."""

    judgements: list[Judgement]


class SummaryPoint(BaseModel):
    text: str
    sources: list[str]


class JointSummary(BaseModel):
    """The neutral multi-source summary."""

    agreed: list[SummaryPoint]
    differences: list[SummaryPoint]
    only_one: list[SummaryPoint]


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema as a plain dict with a title (what response_format carries)."""
    schema = model.model_json_schema()
    schema.setdefault("title", model.__name__)
    return schema
