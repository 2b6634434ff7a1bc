"""What the joint-summary chain must answer."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SummaryPoint(BaseModel):
    text: str = Field(description="one neutral sentence")
    sources: list[str] = Field(description="ids of the sources that report it")


class JointSummary(BaseModel):
    """The neutral multi-source summary."""

    agreed: list[SummaryPoint]
    differences: list[SummaryPoint]
    only_one: list[SummaryPoint]
