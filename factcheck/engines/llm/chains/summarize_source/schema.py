"""What the source-summary chain must answer."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SourceSummary(BaseModel):
    """A neutral summary of one article."""

    summary: str = Field(description="at most four neutral sentences, opinions attributed")
