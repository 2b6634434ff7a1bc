"""Find a model's quote in the article it claims to quote: offsets come from the code, never the model."""

from __future__ import annotations

from difflib import SequenceMatcher

from rapidfuzz import fuzz

from factcheck.models import Article, Span

# Shorter "quotes" (a name, a number) say nothing checkable about where they came from.
MIN_QUOTE = 8
# A partly invented quote keeps its longest verbatim run if at least this long (and half of it).
MIN_BLOCK = 40
FUZZY_CUTOFF = 90.0
_FOLD = {
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "‘": "'",
    "’": "'",
    "—": "-",
    "–": "-",
    "\u00a0": " ",
}


def _normalise(text: str) -> tuple[str, list[int]]:
    """Lower case, straight quotes, single spaces; with each kept character's index in `text`."""
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(text):
        ch = _FOLD.get(ch, ch)
        if ch.isspace():
            if previous_space:
                continue
            ch = " "
            previous_space = True
        else:
            previous_space = False
        out.append(ch.lower())
        index.append(i)
    return "".join(out), index


def _regions(article: Article) -> list[Span]:
    return article.body or [Span(start=0, end=len(article.text))]


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy match to whole words and trim the spaces around it."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def locate(quote: str, article: Article) -> tuple[int, int] | None:
    """(start, end) of `quote` in article.text: exact first, then a normalised fuzzy match in the body.

    A quote that runs on into invented words is cut back to its longest verbatim run, when that
    run is most of the quote.
    """
    quote = quote.strip()
    if len(quote) < MIN_QUOTE:
        return None
    regions = _regions(article)
    text = article.text
    exact = [i for i in _occurrences(text, quote)]
    in_body = [i for i in exact if any(s.start <= i < s.end for s in regions)]
    if in_body or exact:
        start = (in_body or exact)[0]
        return start, start + len(quote)
    wanted, _ = _normalise(quote)
    best: tuple[float, int, int] | None = None
    for region in regions:
        haystack, index = _normalise(text[region.start : region.end])
        if not haystack:
            continue
        found = haystack.find(wanted)
        if found >= 0:
            start = region.start + index[found]
            end = region.start + index[found + len(wanted) - 1] + 1
            return _snap(text, start, end)
        match = fuzz.partial_ratio_alignment(wanted, haystack, score_cutoff=FUZZY_CUTOFF)
        if match is not None and match.dest_end > match.dest_start:
            found_at = (match.dest_start, match.dest_end)
            score = match.score
        else:  # the longest run of the quote that is verbatim in the article, if it is most of it
            block = SequenceMatcher(None, wanted, haystack, autojunk=False).find_longest_match()
            if block.size < max(MIN_BLOCK, len(wanted) // 2):
                continue
            found_at = (block.b, block.b + block.size)
            score = 100.0 * block.size / len(wanted) - 100.0  # below any fuzzy match
        if best is None or score > best[0]:
            start = region.start + index[found_at[0]]
            end = region.start + index[found_at[1] - 1] + 1
            best = (score, start, end)
    if best is None:
        return None
    start, end = _snap(text, best[1], best[2])
    return (start, end) if end - start >= MIN_QUOTE else None


def _occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found
