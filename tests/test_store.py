"""The store keys everything by content hash: comparing the same article again embeds nothing."""

from __future__ import annotations

from pathlib import Path

from factcheck import article_from_text, compare
from factcheck.embeddings import MiniLMEmbeddings
from factcheck.store import Store

A = "The bridge will reopen on Monday after six weeks of repairs, the city said."
B = "City officials said the bridge reopens Monday; repairs took six weeks."


def test_second_comparison_embeds_nothing(tmp_path: Path) -> None:
    embeddings = MiniLMEmbeddings()
    store = Store(tmp_path / "chroma", embeddings=embeddings)
    articles = [article_from_text(A, "a"), article_from_text(B, "b")]
    first = compare(articles, engine="local", store=store)
    embedded = embeddings.texts_embedded
    assert embedded > 0

    reopened = Store(
        tmp_path / "chroma", embeddings=embeddings
    )  # a new process would see the same folder
    second = compare(articles, engine="local", store=reopened)
    assert embeddings.texts_embedded == embedded
    assert [c.status for c in second.claims] == [c.status for c in first.claims]


def test_retrieval_is_filtered_to_one_source(tmp_path: Path) -> None:
    store = Store(tmp_path / "chroma")
    a, b = article_from_text(A, "a"), article_from_text(B, "b")
    store.add_article(a)
    store.add_article(b)
    query = store.embeddings.embed_query("bridge reopens Monday")
    hits = store.search(query, b, k=10)
    assert hits and all(b.text[h.start : h.end] == h.text for h in hits)
    assert all(h.text in B for h in hits)
