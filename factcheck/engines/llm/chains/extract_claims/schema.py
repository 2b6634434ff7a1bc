"""What the claims chain must answer; the sentence number, not a quote, says where a claim is."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ExtractedClaim(BaseModel):
    sentence: int = Field(description="the number of the article sentence the claim comes from")
    claim: str = Field(
        description="one self-contained statement in a short sentence, names instead of pronouns"
    )
    kind: Literal["fact", "quote", "opinion"]
    speaker: str = Field(default="", description="who said it, when kind is quote; else empty")


class ClaimList(BaseModel):
    """The atomic claims of one article."""

    claims: list[ExtractedClaim]
