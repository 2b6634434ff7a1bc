"""Neutral wording: find and drop loaded modifiers and scare quotes, using TextBlob's subjectivity lexicon.

The lexicon (the Pattern project's, as TextBlob ships it) rates adjectives and adverbs for
polarity, subjectivity and intensity; a modifier rated both subjective and clearly for or against
("violent", "outrageous") or an intensifier ("very", "extremely") is a loaded word. A subjective
word without polarity ("only", "key", "total", "likely") qualifies a fact; it is not loaded.
Words inside a quotation are the speaker's: never dropped, never counted as the summary's own.
A modifier that several sources put on the same noun ("sexual abuse", "the late senator", "a
grand jury") is the shared description, not one outlet's framing: it stays.
Nothing here is a hand-written word list.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from factcheck.models import Article
from factcheck.nlp import parse_article, parse_texts

Description = tuple[str, str]  # (modifier, the noun or verb it modifies), lower-cased

SUBJECTIVE = 0.6  # lexicon subjectivity at or above which a modifier is loaded...
POLAR = 0.25  # ...if its lexicon polarity is at least this far from neutral
SCARE_QUOTE_WORDS = 3  # quotation marks around this many words or fewer are scare quotes
INTENSIFIER = 1.2  # lexicon intensity at or above which an adverb is an intensifier
MODIFIER_DEPS = {"amod", "advmod"}
_CLOSES = {"“": '”"', '"': '"”', "‘": "’'"}  # opening quotation mark: the marks that close it
_EMPTY_QUOTE = re.compile(r"\s*[“\"‘][”\"’]")
_SCARE_QUOTE = re.compile(r"[“\"‘']([^“”\"‘’']{1,40})[”\"’']")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    from textblob.en import sentiment

    return sentiment


@lru_cache(maxsize=50_000)
def rating(word: str, pos: str) -> tuple[float, float, float] | None:
    """(polarity, subjectivity, intensity) of a word as an adjective (JJ) or adverb (RB), if rated."""
    entry = _lexicon().get(word.lower())
    if not entry:
        return None
    values = entry.get(pos) or entry.get(None)
    return (float(values[0]), float(values[1]), float(values[2])) if values else None


def is_loaded_token(tok: Token) -> bool:
    """A subjective adjective or adverb that leans for or against, or an intensifying adverb
    (never a negation or a number)."""
    if tok.pos_ not in ("ADJ", "ADV") or tok.dep_ == "neg" or tok.like_num or tok.ent_type_:
        return False
    rated = rating(tok.text, "JJ" if tok.pos_ == "ADJ" else "RB")
    if rated is None:
        return False
    polarity, subjectivity, intensity = rated
    emotive = subjectivity >= SUBJECTIVE and abs(polarity) >= POLAR
    return emotive or (tok.pos_ == "ADV" and intensity >= INTENSIFIER)


def quoted(doc: Doc | Span) -> set[int]:
    """Indices of the tokens inside quotations (longer than scare quotes): the speaker's words."""
    inside: set[int] = set()
    opener: Token | None = None
    for tok in doc:
        if not tok.is_quote:
            continue
        if opener is not None and tok.text in _CLOSES[opener.text]:
            words = [t for t in tok.doc[opener.i + 1 : tok.i] if not t.is_punct]
            if len(words) > SCARE_QUOTE_WORDS:
                inside.update(range(opener.i + 1, tok.i))
            opener = None
        elif opener is None and tok.text in _CLOSES:  # an apostrophe opens nothing
            opener = tok
    return inside


def loaded_words(doc: Doc | Span, shared: frozenset[Description] = frozenset()) -> list[str]:
    """The loaded words of a parsed text in its own voice (not inside a quotation, not a
    description the sources share), in order."""
    speakers = quoted(doc)
    return [
        t.text
        for t in doc
        if t.i not in speakers and is_loaded_token(t) and _description(t) not in shared
    ]


def shared_descriptions(articles: list[Article]) -> frozenset[Description]:
    """The loaded modifiers that two or more sources put on the same word."""
    used_by: Counter[Description] = Counter()
    for article in articles:
        found = {
            _description(tok)
            for block in parse_article(article)
            for tok in block.doc
            if tok.dep_ in MODIFIER_DEPS and is_loaded_token(tok)
        }
        used_by.update(found)
    return frozenset(d for d, n in used_by.items() if n > 1)


def _description(tok: Token) -> Description:
    return (tok.lower_, tok.head.lower_)


def count_loaded(texts: list[str]) -> list[int]:
    """How many loaded words each text has (one spaCy batch)."""
    return [len(loaded_words(doc)) for doc in parse_texts(texts)]


def neutralize(doc: Doc | Span, shared: frozenset[Description] = frozenset()) -> str:
    """The text without its loaded modifiers (and their own modifiers) and without scare quotes.

    Only words that modify something are dropped ("the violent suppression" -> "the suppression");
    a loaded word that carries the statement ("it was outrageous") stays, so the caller can
    attribute or avoid the sentence instead.
    """
    drop: set[int] = set()
    speakers = quoted(doc)
    for tok in doc:
        if tok.i in speakers or _description(tok) in shared:
            continue
        if is_loaded_token(tok) and tok.dep_ in MODIFIER_DEPS:
            drop.update(t.i for t in tok.subtree if t.i not in speakers)
    for tok in doc:  # a conjunction or comma left dangling by a dropped conjunct
        if tok.i not in drop and tok.dep_ in ("cc", "punct") and tok.head.i in drop:
            drop.add(tok.i)
    words = []
    kept = [tok for tok in doc if tok.i not in drop]
    for tok, following in zip(kept, [*kept[1:], None], strict=True):
        text = tok.text
        if following is not None and following.i != tok.i + 1 and tok.lower_ in ("a", "an"):
            text = _article_for(following.text, capital=tok.text[0].isupper())
        words.append(text + tok.whitespace_)
    text = "".join(words).strip()
    text = _EMPTY_QUOTE.sub("", text)  # a scare quote all of whose words were dropped
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text))
    return _SCARE_QUOTE.sub(
        lambda m: m.group(1) if len(m.group(1).split()) <= SCARE_QUOTE_WORDS else m.group(0), text
    )


def _article_for(word: str, *, capital: bool) -> str:
    """ "a" or "an" for the word that now follows a dropped modifier ("an advantage", "a U.S. ...")."""
    article = _inflect().a(word).split()[0]
    return article.capitalize() if capital else article


@lru_cache(maxsize=1)
def _inflect():
    import inflect

    return inflect.engine()


def neutral_texts(
    texts: list[str], shared: frozenset[Description] = frozenset()
) -> list[tuple[str, int]]:
    """(neutralised text, loaded words left in it) for each text, in one spaCy batch; the
    `shared` descriptions (see shared_descriptions) are kept and not counted."""
    out = []
    docs = parse_texts(texts)
    neutral = [neutralize(doc, shared) for doc in docs]
    for text, doc in zip(neutral, parse_texts(neutral), strict=True):
        out.append((text, len(loaded_words(doc, shared))))
    return out
