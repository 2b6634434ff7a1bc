"""The claims chain: an article's numbered sentences in, atomic claims with sentence numbers out."""

from __future__ import annotations

import logging
from typing import Any

from factcheck.engines.llm.chains import Chain
from factcheck.engines.llm.chains.extract_claims.schema import ClaimList, ExtractedClaim
from factcheck.engines.llm.text import (
    Numbered,
    content_words,
    escape,
    is_placeholder,
    lines,
    within,
)
from factcheck.models import Article, Claim

log = logging.getLogger(__name__)

CHAIN = Chain("extract_claims", ClaimList)
MAX_CLAIMS = 25
MAX_ARTICLE_CHARS = 24_000
TOKENS_PER_CLAIM = 160  # {"sentence", "claim" of ~25 words, "kind", "speaker"} with room to spare
MIN_SHARED = 1 / 2  # of a claim's content words that its sentence (and context) must hold
CONTEXT = 2  # sentences either side of a claim's own that may hold the names it resolves

__all__ = ["CHAIN", "MAX_CLAIMS", "ClaimList", "ExtractedClaim", "claims_from", "request"]


def request(article: Article, sentences: list[Numbered]) -> dict[str, Any]:
    """The chain's inputs, the schema (sentence numbers in range, at most MAX_CLAIMS items) and the
    token limit, scaled to the claims expected."""
    shown = within(sentences, MAX_ARTICLE_CHARS)
    expected = max(1, min(MAX_CLAIMS, len(shown)))
    schema = CHAIN.json_schema()
    claims = schema["properties"]["claims"]
    claims["maxItems"] = MAX_CLAIMS
    if shown:
        claims["items"]["properties"]["sentence"].update(minimum=1, maximum=shown[-1].number)
    return {
        "inputs": {
            "source": escape(article.id),
            "sentences": lines(shown),
            "sentence_count": len(shown),
            "expected": expected,
            "max_claims": MAX_CLAIMS,
        },
        "schema": schema,
        "max_tokens": 256 + TOKENS_PER_CLAIM * min(MAX_CLAIMS, expected + 5),
    }


def anchor(item: ExtractedClaim, by_number: dict[int, Numbered]) -> Numbered | str:
    """The sentence a claim stands on, or why it cannot be kept: a placeholder, a sentence that is
    not there, or a claim that is not about the article's sentences.

    The number the model gave is a hint, checked: the claim stands on the sentence that shares
    most of its content words when one holds half of them (the nearest to the number given, on a
    tie); else on the best of the given sentence and the CONTEXT sentences either side, when
    together they hold half of its words (a claim that names whom a pronoun stands for).
    """
    text = " ".join(item.claim.split())
    if is_placeholder(text):
        return "a placeholder claim"
    if item.sentence not in by_number:
        return f"sentence {item.sentence} does not exist"
    wanted = content_words(text)
    if not wanted:
        return "the claim says nothing checkable"
    shared = {n: content_words(s.text) & wanted for n, s in by_number.items()}

    def rank(n: int) -> tuple[int, int]:
        return len(shared[n]), -abs(n - item.sentence)

    best = max(shared, key=rank)
    if len(shared[best]) >= MIN_SHARED * len(wanted):
        return by_number[best]
    near = [n for n in range(item.sentence - CONTEXT, item.sentence + CONTEXT + 1) if n in shared]
    grounded = set().union(*(shared[n] for n in near))
    best = max(near, key=rank)
    if not shared[best] or len(grounded) < MIN_SHARED * len(wanted):
        return f"the claim is not about sentence {item.sentence} or any other"
    return by_number[best]


def check(found: ClaimList, sentences: list[Numbered]) -> str | None:
    """An answer with claims, none of them usable, is asked again with the reasons."""
    if not found.claims or not sentences:
        return None  # an article may make no checkable claim
    by_number = {s.number: s for s in sentences}
    anchors = [anchor(item, by_number) for item in found.claims[:MAX_CLAIMS]]
    if all(isinstance(a, str) for a in anchors):
        shown = "; ".join(dict.fromkeys(a for a in anchors if isinstance(a, str)))
        return f"no claim is usable ({shown}); give real claims with their sentence numbers"
    return None


def claims_from(found: ClaimList, article: Article, sentences: list[Numbered]) -> list[Claim]:
    """Claims on the sentence they are about (see `anchor`), quoting it exactly, numbered in
    reading order."""
    by_number = {s.number: s for s in sentences}
    kept: dict[tuple[int, str], Claim] = {}
    for item in found.claims[:MAX_CLAIMS]:
        sentence = anchor(item, by_number)
        if isinstance(sentence, str):
            log.info("dropped a claim of %s (%s): %r", article.id, sentence, item.claim[:80])
            continue
        text = " ".join(item.claim.split())
        speaker = item.speaker.strip() if item.kind == "quote" else ""
        kept.setdefault(
            (sentence.number, text.casefold()),
            Claim(
                id="",
                source=article.id,
                text=text,
                quote=sentence.text,
                start=sentence.start,
                end=sentence.end,
                kind=item.kind,
                speaker=None if is_placeholder(speaker) else speaker,
            ),
        )
    ordered = sorted(kept.values(), key=lambda c: (c.start, c.end))
    return [c.model_copy(update={"id": f"{article.id}#{n}"}) for n, c in enumerate(ordered, 1)]
