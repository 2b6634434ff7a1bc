"""Claims grouped under the sentence of their article they come from, so a sentence is shown once.

Sentences are found by a rule, not a parser: an end mark (. ! ? …, optionally closed by a quote or
bracket) followed by white space and a capital, digit or opening quote, or a blank line. A period
after a common title or an initial ("Mr.", "U.S.", "J.") ends nothing. A rule can miss; the cost is
only that two sentences show as one, or one as two, since claims are placed by their own offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from factcheck.models import ClaimCheck

_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n[ \t]*\n""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "prof",
    "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "aug",
    "sept", "sep", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e",
))  # fmt: skip


def _abbreviation(text: str, dot: int) -> bool:
    """Whether the period at `dot` ends an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    found = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    word = found.group(1).lower() if found else ""
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


@lru_cache(maxsize=32)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of every sentence, white space trimmed, in order."""
    spans, start = [], 0

    def close(end: int) -> None:
        piece = text[start:end]
        left = start + len(piece) - len(piece.lstrip())
        right = start + len(piece.rstrip())
        if left < right:
            spans.append((left, right))

    for mark in _BOUNDARY.finditer(text):
        if _abbreviation(text, mark.start()):
            continue
        close(mark.end())
        start = mark.end()
    close(len(text))
    return tuple(spans)


@dataclass(frozen=True)
class SentenceGroup:
    """One source sentence (text[start:end] of that article) and the claims that rest on it."""

    source: str
    start: int
    end: int
    text: str  # the sentence; the claim's own quote where the article text is not at hand
    claims: tuple[ClaimCheck, ...]


def _sentence_of(spans: tuple[tuple[int, int], ...], offset: int) -> tuple[int, int] | None:
    """The sentence holding `offset` (or, in the white space after one, the next)."""
    index = bisect_right([s for s, _ in spans], offset) - 1
    if index < 0:
        return spans[0] if spans else None
    if offset >= spans[index][1] and index + 1 < len(spans):
        return spans[index + 1]
    return spans[index]


def group_by_sentence(
    claims: Iterable[ClaimCheck], texts: Mapping[str, str | None]
) -> list[SentenceGroup]:
    """Claims grouped by source sentence: sources in `texts` order, then by position in the text.

    A claim whose article text is missing (None), or whose offsets do not fit it, is a group of its own.
    """
    order = {source: n for n, source in enumerate(texts)}
    groups: list[SentenceGroup] = []
    grouped: dict[tuple[str, int, int], list[ClaimCheck]] = {}
    for claim in claims:
        text = texts.get(claim.source)
        span = None
        if text is not None and 0 <= claim.start < claim.end <= len(text):
            span = _sentence_of(sentence_spans(text), claim.start)
        if span is None:
            groups.append(
                SentenceGroup(claim.source, claim.start, claim.end, claim.quote, (claim,))
            )
        else:
            grouped.setdefault((claim.source, *span), []).append(claim)
    for (source, start, end), members in grouped.items():
        end = max(end, *(c.end for c in members))  # a claim running on past the sentence's end
        groups.append(SentenceGroup(source, start, end, texts[source][start:end], tuple(members)))
    return sorted(groups, key=lambda g: (order.get(g.source, len(order)), g.start))
