"""The store keys everything by content hash: comparing the same article again embeds nothing."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from factcheck import FactcheckError, article_from_text, compare
from factcheck.embeddings import MiniLMEmbeddings
from factcheck.store import Store

A = "The bridge will reopen on Monday after six weeks of repairs, the city said."
B = "City officials said the bridge reopens Monday; repairs took six weeks."


class HashEmbeddings(Embeddings):
    """Cheap deterministic unit vectors from a text's hash: for tests about storage, not meaning."""

    model = "test-hash-16"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()[:16]
        vector = np.frombuffer(digest, dtype=np.uint8).astype(np.float64) + 1.0
        return (vector / np.linalg.norm(vector)).tolist()


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


def test_chroma_server_store_gives_the_same_report(
    chroma_server: tuple[str, int], tmp_path: Path
) -> None:
    host, port = chroma_server
    articles = [article_from_text(A, "a"), article_from_text(B, "b")]
    served = compare(articles, engine="local", chroma_host=host, chroma_port=port)
    embedded = compare(articles, engine="local", store=tmp_path / "chroma")
    assert [(c.text, c.status) for c in served.claims] == [
        (c.text, c.status) for c in embedded.claims
    ]
    assert Store(host=host, port=port).has(articles[0])


def test_unreachable_chroma_server_is_one_line_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    with pytest.raises(FactcheckError, match="cannot open the Chroma server"):
        Store(host="127.0.0.1", port=port)
