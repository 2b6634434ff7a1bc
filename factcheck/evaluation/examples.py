"""How one example is checked with the real pipeline: ingest, store, engine claims, retrieval, judgement."""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.checker import check_claims
from factcheck.engines.base import Engine
from factcheck.errors import FactcheckError
from factcheck.evaluation.loaders import NOT_SUPPORTED, SUPPORTED, Example, GoldSpan
from factcheck.ingest import TERMINAL, article_from_text, load_articles
from factcheck.models import ClaimCheck
from factcheck.store import Store

MISSED = "missed"  # a gold span that no claim of the report overlaps
FAILED = "error"  # the pipeline refused the input (an empty document, say)


def predict_supported(checks: list[ClaimCheck]) -> str:
    """Supported only when there is a claim and every claim is an agreement; no claim is not support."""
    if checks and all(c.status == "agreement" for c in checks):
        return SUPPORTED
    return NOT_SUPPORTED


Checked = tuple[list[tuple[str, str]], list[ClaimCheck]]  # (gold, predicted) pairs, the claims


def check_binary(example: Example, engine: Engine, store: Store) -> Checked:
    """Check the claim text's claims against the document; ((gold, predicted) pairs, claims found)."""
    claim_text = example.claim.strip()
    if not claim_text.endswith(TERMINAL):
        claim_text += "."  # an unterminated one-liner would be read as a title, not as body text
    try:
        document = article_from_text(example.document, "document")
        claim = article_from_text(claim_text, "claim")
    except FactcheckError:
        return [(example.label, FAILED)], []
    checks = check_claims(claim, [document], engine, store)
    return [(example.label, predict_supported(checks))], checks


def check_cluster(example: Example, engine: Engine, store: Store) -> Checked:
    """Check the claims of each source that has gold spans against all the other sources.

    Each gold span takes the status of the claim overlapping it most. A claim's status depends only
    on its own source's claims and the other sources, so sources without gold spans are read as
    evidence but their own claims are not checked (FRANK: the article is evidence, the summary is
    scored).
    """
    try:
        articles = load_articles([article_from_text(text, aid) for aid, text in example.articles])
    except FactcheckError:
        return [(span.status, FAILED) for span in example.spans], []
    scored = {span.source for span in example.spans}
    checks = [
        c
        for a in articles
        if a.id in scored
        for c in check_claims(a, [o for o in articles if o.id != a.id], engine, store)
    ]
    return [(span.status, predicted_status(span, checks)) for span in example.spans], checks


def predicted_status(span: GoldSpan, claims: Sequence[ClaimCheck]) -> str:
    """The status of the claim of the span's source that overlaps the gold span most (or missed)."""
    best, overlap = MISSED, 0
    for claim in claims:
        if claim.source != span.source:
            continue
        shared = min(claim.end, span.end) - max(claim.start, span.start)
        if shared > overlap:
            best, overlap = claim.status, shared
    return best


def check_example(example: Example, engine: Engine, store: Store) -> Checked:
    """Dispatch on the example's shape."""
    if example.is_cluster:
        return check_cluster(example, engine, store)
    return check_binary(example, engine, store)
