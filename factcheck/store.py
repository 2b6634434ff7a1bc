"""The Chroma vector store (embedded by default, or a Chroma server), keyed by article content hash."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from langchain_core.embeddings import Embeddings

from factcheck.chunking import chunks, sentences
from factcheck.embeddings import MODEL_NAME, MiniLMEmbeddings, default_embeddings
from factcheck.errors import FactcheckError
from factcheck.models import Article, Sentence

SENTENCE = "sentence"
CHUNK = "chunk"


def default_store_path() -> Path:
    """Where the embedded store lives unless --store says otherwise: the user's cache directory."""
    return Path(platformdirs.user_cache_dir("factcheck")) / "chroma"


@dataclass(frozen=True)
class Hit:
    """A stored passage found for a query: its text, offsets into its article, and cosine similarity."""

    text: str
    start: int
    end: int
    score: float


def embeddings_name(embeddings: Embeddings) -> str:
    """The embedding model's name, so vectors of different models never share a collection."""
    if isinstance(embeddings, MiniLMEmbeddings):
        return MODEL_NAME
    name = getattr(embeddings, "model", None) or getattr(embeddings, "model_name", None)
    return str(name or type(embeddings).__name__)


def collection_name(embeddings: Embeddings) -> str:
    """A valid Chroma collection name (3-512 of [a-z0-9._-], alphanumeric ends) for these embeddings."""
    name = re.sub(r"[^a-z0-9._-]+", "-", f"factcheck-{embeddings_name(embeddings)}".lower())
    return name.strip("._-")[:512]


def _text_id(article_sha: str, kind: str, text: str, start: int) -> str:
    digest = hashlib.sha1(f"{start}:{text}".encode()).hexdigest()[:16]
    return f"{article_sha[:32]}:{kind}:{digest}"


class Store:
    """Sentences, chunks and claim vectors of every article seen, so a re-run embeds nothing."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        embeddings: Embeddings | None = None,
    ) -> None:
        import chromadb
        from chromadb.config import Settings
        from langchain_chroma import Chroma

        self.embeddings = embeddings or default_embeddings()
        settings = Settings(anonymized_telemetry=False)
        try:
            if host:
                client = chromadb.HttpClient(host=host, port=port or 8000, settings=settings)
                client.heartbeat()
                self.location = f"http://{host}:{port or 8000}"
            else:
                folder = Path(path) if path else default_store_path()
                folder.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(folder), settings=settings)
                self.location = str(folder)
        except FactcheckError:
            raise
        except Exception as exc:  # chromadb raises many types; the user needs one line
            where = f"Chroma server at {host}:{port or 8000}" if host else f"store {path or ''}"
            raise FactcheckError(f"cannot open the {where}: {exc}") from None
        self.vectors = Chroma(
            collection_name=collection_name(self.embeddings),
            embedding_function=self.embeddings,
            client=client,
            collection_metadata={"hnsw:space": "cosine"},
        )

    def has(self, article: Article, kind: str = SENTENCE) -> bool:
        found = self.vectors.get(
            where={"$and": [{"article": article.sha256}, {"kind": kind}]}, limit=1
        )
        return bool(found["ids"])

    def add_article(self, article: Article, kinds: tuple[str, ...] = (SENTENCE,)) -> int:
        """Store the article's sentences (and chunks, if asked) unless already there; returns how many were embedded."""
        splitters = {SENTENCE: sentences, CHUNK: chunks}
        added = 0
        for kind in kinds:
            if not self.has(article, kind):
                added += self._add(article.sha256, kind, splitters[kind](article))
        return added

    def _add(self, article_sha: str, kind: str, passages: list[Sentence]) -> int:
        if not passages:
            return 0
        unique = {_text_id(article_sha, kind, p.text, p.start): p for p in passages}
        self.vectors.add_texts(
            texts=[p.text for p in unique.values()],
            metadatas=[
                {"article": article_sha, "kind": kind, "start": p.start, "end": p.end}
                for p in unique.values()
            ],
            ids=list(unique),
        )
        return len(unique)

    def search(
        self, query: list[float], article: Article, kind: str = SENTENCE, k: int = 4
    ) -> list[Hit]:
        """The k passages of one article closest to a query vector (a metadata filter on the article)."""
        results = self.vectors.similarity_search_by_vector_with_relevance_scores(
            query, k=k, filter={"$and": [{"article": article.sha256}, {"kind": kind}]}
        )
        return [
            Hit(
                doc.page_content,
                int(doc.metadata["start"]),
                int(doc.metadata["end"]),
                1.0 - distance,
            )
            for doc, distance in results
        ]

    def cached_vectors(
        self, article: Article, kind: str, passages: list[Sentence]
    ) -> list[list[float]]:
        """Vectors for passages of an article (claims, say), embedding only those not stored yet.

        A passage identical to a stored sentence (same text, same place) reuses that sentence's vector.
        """
        ids = [_text_id(article.sha256, kind, p.text, p.start) for p in passages]
        as_sentences = [_text_id(article.sha256, SENTENCE, p.text, p.start) for p in passages]
        known = self._vectors_by_id([*ids, *as_sentences])
        for own, sentence in zip(ids, as_sentences, strict=True):
            if own not in known and sentence in known:
                known[own] = known[sentence]
        missing = [p for i, p in zip(ids, passages, strict=True) if i not in known]
        if missing:
            self._add(article.sha256, kind, missing)
            known.update(self._vectors_by_id([i for i in ids if i not in known]))
        return [list(map(float, known[i])) for i in ids]

    def _vectors_by_id(self, ids: list[str]) -> dict[str, list[float]]:
        if not ids:
            return {}
        found = self.vectors.get(ids=list(dict.fromkeys(ids)), include=["embeddings"])
        return dict(zip(found["ids"], found["embeddings"], strict=True))
