"""Comparisons for the renderer tests, made by the fake engine and the in-memory store (no models)."""

from __future__ import annotations

from factcheck import article_from_text, compare_with_articles
from factcheck.api import Comparison
from factcheck.engines.fake import MemoryStore, fake_engine

SHARED = "Official {i} said the council met in hall {i} on Friday morning."
ONLY_A = "Resident {i} complained about the noise near street {i} all week."
ONLY_B = "Shopkeeper {i} reopened the store on avenue {i} after the storm."
COST_A = "The bridge will cost 40 million dollars."
COST_B = "The bridge will cost 55 million dollars."


def many_claims(shared: int = 40, only_a: int = 30, only_b: int = 10) -> Comparison:
    """Two articles: `shared` agreements a side, additions in each, and one discrepancy a side."""
    a = [COST_A, *(SHARED.format(i=i) for i in range(shared))]
    a += [ONLY_A.format(i=i) for i in range(only_a)]
    b = [COST_B, *(SHARED.format(i=i) for i in range(shared))]
    b += [ONLY_B.format(i=i) for i in range(only_b)]
    return compare_with_articles(
        [article_from_text(" ".join(a), "alpha"), article_from_text(" ".join(b), "beta")],
        engine=fake_engine({"million dollars": "contradicts"}),
        store=MemoryStore(),
    )
