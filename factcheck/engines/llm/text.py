"""Article text as the prompts show it: numbered sentences, escaped data, and the checks on answers.

Sources go into prompts as numbered sentences ("[n] text", one per line) inside a delimited block.
The text is HTML-escaped, so nothing inside it can close the block or open another (an article
containing `</source>` shows `&lt;/source&gt;`), and a line of the block always starts with the
number the code gave it (a sentence that starts with "[3]" shows as "[7] [3] ..."). The model
answers with sentence numbers; the code turns them into exact quotes and offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.models import Article

# A sentence longer than this (a list, a CJK paragraph the English splitter does not cut) is
# split again at sentence punctuation, so that a number points at a readable unit.
LONG_SENTENCE = 600
_SECONDARY_SPLIT = re.compile(r"(?<=[.!?。！？;；])\s*")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Words that say nothing about a claim's subject: function words, reporting verbs, units.
_GENERIC = frozenset(
    """
    said says say told according report reports reported reporting added announced statement
    year years month months week weeks day days time today yesterday tomorrow percent per cent
    million millions billion billions thousand thousands hundred hundreds number total people
    new also including include includes many much more most less least first last
    """.split()  # noqa: SIM905
)
# Days and months: values a contradiction is about, like numbers; never what a claim is about.
_DATES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december
    """.split()  # noqa: SIM905
)
_PLACEHOLDERS = frozenset(
    {"", "string", "text", "reason", "claim", "summary", "value", "aspect", "none", "n/a", "na",
     "todo", "tbd", "xxx", "example", "lorem ipsum", "...", "…", "placeholder"}
)  # fmt: skip


@dataclass(frozen=True)
class Numbered:
    """A sentence of an article with the number the prompts give it (1-based, in reading order)."""

    number: int
    start: int
    end: int
    text: str


def numbered_sentences(article: Article) -> list[Numbered]:
    """The body's sentences, numbered from 1, each with offsets such that text[start:end] is it."""
    from factcheck.chunking import sentences  # spaCy, already loaded by the store's indexing

    out: list[Numbered] = []
    for sentence in sentences(article):
        for start, end in _split_long(article.text, sentence.start, sentence.end):
            out.append(Numbered(len(out) + 1, start, end, article.text[start:end]))
    return out


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= LONG_SENTENCE:
        return [(start, end)]
    pieces, cursor = [], start
    for match in _SECONDARY_SPLIT.finditer(text, start, end):
        if match.start() - cursor >= 20 and match.end() < end:
            pieces.append((cursor, match.start()))
            cursor = match.end()
    pieces.append((cursor, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def escape(text: str) -> str:
    """Data for a prompt block: HTML-escaped (no tag can close or open a block), one line."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def lines(sentences: list[Numbered]) -> str:
    """The block's content: one escaped sentence per line, each led by its number."""
    return "\n".join(f"[{s.number}] {escape(s.text)}" for s in sentences)


def within(sentences: list[Numbered], limit: int) -> list[Numbered]:
    """The leading sentences whose text fits in `limit` characters (at least one)."""
    kept, used = [], 0
    for sentence in sentences:
        used += len(sentence.text) + 1
        if kept and used > limit:
            break
        kept.append(sentence)
    return kept


def is_placeholder(text: str) -> bool:
    """An answer field that holds no content: empty, dots, or a word such as "string" or "reason"."""
    folded = " ".join(text.casefold().split()).strip(" .…:;-\"'`")
    return folded in _PLACEHOLDERS or not any(ch.isalnum() for ch in folded)


def _stem(word: str) -> str:
    word = word.casefold().replace("’", "'").removesuffix("'s")
    return word[:5] if len(word) > 5 else word


def content_words(text: str, *, dates: bool = True) -> set[str]:
    """Stems of the words that carry meaning (no numbers, function words or reporting verbs;
    no days or months either with `dates=False`)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    out = set()
    for match in _WORD.finditer(text):
        word = match.group().casefold()
        if len(word) < 3 or word.isdigit() or word in STOP_WORDS or word in _GENERIC:
            continue
        if not dates and word in _DATES:
            continue
        out.add(_stem(word))
    return out


def names(text: str) -> set[str]:
    """Stems of capitalised content words: names, and the word a claim starts with (its subject,
    mostly: "Witkoff will arrive...", "Dock workers ended...")."""
    found = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if word[:1].isupper() and not word.isdigit() and len(word) > 1:
            stem = _stem(word)
            if stem in content_words(word, dates=False):
                found.add(stem)
    return found


def shares_subject(claim: str, evidence: str) -> bool:
    """Whether a passage is about what a claim is about: it names one of the claim's names, or
    shares two of its content words (one, for a claim that has only one or two).

    Numbers, days and months are not counted: they are the values a contradiction is about, and
    a sentence that only shares one ("40 million" and "voted 7 to 2", "on Friday") is about
    something else.
    """
    wanted = content_words(claim, dates=False)
    have = content_words(evidence, dates=False)
    shared = wanted & have
    if names(claim) & have:
        return True
    return len(shared) >= min(2, len(wanted)) and bool(shared)


def mentions(value: str, text: str) -> bool:
    """Whether a short value a model gave ("Tuesday", "40 million") occurs in a text, loosely."""

    def fold(s: str) -> str:
        return " ".join(_WORD.findall(s.casefold().replace("’", "'")))

    value, text = fold(value), fold(text)
    return bool(value) and f" {value} " in f" {text} "
