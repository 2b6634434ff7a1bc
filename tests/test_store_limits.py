"""An article longer than one Chroma write allows (5461 items for the embedded store) is stored whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factcheck import article_from_text
from factcheck.chunking import sentences
from factcheck.models import Sentence
from factcheck.store import SENTENCE, Store
from tests.test_store import HashEmbeddings


@pytest.mark.slow
def test_an_article_longer_than_the_max_batch_is_stored_whole(tmp_path: Path) -> None:
    store = Store(tmp_path / "chroma", embeddings=HashEmbeddings())
    count = store.max_batch_size + 100
    article = article_from_text(" ".join(f"Item {k} is here." for k in range(count)), "long")
    passages = sentences(article)
    assert len(passages) == count

    assert store.add_article(article) == count
    stored = store.vectors.get(where={"$and": [{"article": article.sha256}, {"kind": SENTENCE}]})
    assert len(stored["ids"]) == count
    assert store.search(store.embeddings.embed_query("Item 7 is here."), article, k=3)

    claims = [Sentence(text=p.text[:-1], start=p.start, end=p.end - 1) for p in passages]
    vectors = store.cached_vectors(article, "claim", claims)  # writes and reads more than a batch
    expected = [store.embeddings.embed_query(c.text) for c in claims]
    np.testing.assert_allclose(vectors, expected, atol=1e-6)  # Chroma keeps float32
