"""Sentences (spaCy) and retrieval chunks (LangChain's splitter), all with offsets into Article.text."""

from __future__ import annotations

from langchain_text_splitters import RecursiveCharacterTextSplitter

from factcheck.models import Article, Sentence
from factcheck.nlp import parse_article

CHUNK_SIZE = 600
CHUNK_OVERLAP = 100


def sentences(article: Article) -> list[Sentence]:
    """Every sentence of the body, trimmed, with offsets such that text[start:end] == sentence."""
    found = []
    for block in parse_article(article):
        for sent in block.doc.sents:
            raw = sent.text
            lead = len(raw) - len(raw.lstrip())
            text = raw.strip()
            if not any(ch.isalnum() for ch in text):
                continue
            start = block.offset + sent.start_char + lead
            found.append(Sentence(text=text, start=start, end=start + len(text)))
    return found


def chunks(article: Article) -> list[Sentence]:
    """Overlapping passages of the body, for evidence that needs more context than a sentence."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    found = []
    for span in article.body:
        paragraph = article.text[span.start : span.end]
        for doc in splitter.create_documents([paragraph]):
            start = span.start + doc.metadata["start_index"]
            found.append(
                Sentence(text=doc.page_content, start=start, end=start + len(doc.page_content))
            )
    return found
