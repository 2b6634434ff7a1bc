"""What the judge chain must answer: a verdict per claim, evidence as sentence numbers, and for a
contradiction what differs (the aspect) and each side's value."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Judgement(BaseModel):
    claim: int = Field(description="the claim's number as listed")
    evidence: list[int] = Field(
        default_factory=list,
        description="numbers of the source sentences that support or contradict the claim; "
        "empty when not_mentioned",
    )
    verdict: Literal["supports", "contradicts", "not_mentioned"]
    aspect: str = Field(default="", description="when contradicts: what differs; else empty")
    claim_value: str = Field(default="", description="when contradicts: the claim's value")
    source_value: str = Field(default="", description="when contradicts: the source's value")
    reason: str = Field(description="one short sentence of your own")


class Judgements(BaseModel):
    """Verdicts on numbered claims against one source."""

    judgements: list[Judgement]
