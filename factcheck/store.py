"""The Chroma vector store (embedded by default, or a Chroma server), keyed by article content hash.

Several factcheck processes may use one embedded store folder at once. Chromadb does not support
that by itself: creating the database races, and each process keeps a collection's vector index in
memory, so after another process wrote it reads (and writes back) a stale index ("Error finding
id"). Every store operation therefore holds a file lock on the folder, and a process reopens its
client when another one wrote since its last look.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from factcheck.errors import FactcheckError
from factcheck.models import Article, Sentence

if TYPE_CHECKING:  # imported where used: a cached report is read without loading any of them
    from chromadb.api import ClientAPI
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

SENTENCE = "sentence"
CHUNK = "chunk"

SPACE = "cosine"  # Hit.score is 1 - distance: a cosine similarity only under this metric
MODEL_KEY = "factcheck:embeddings"  # collection metadata: the embedding model of its vectors
LOCK_FILE = "factcheck.lock"
WRITES_FILE = "factcheck.writes"  # a new random token on every write, so readers know to reopen
LOCK_TIMEOUT_S = 120.0


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
    from factcheck.embeddings import MODEL_NAME, MiniLMEmbeddings

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


def _chroma_settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)


class _Folder:
    """An embedded store folder, shared by every Store of this process on it (one client, one lock)."""

    def __init__(self, folder: Path) -> None:
        from filelock import FileLock

        self.folder = folder
        self.location = str(folder)
        self.where = f"store {folder}"
        self.fix = f"delete the folder {folder} (it only caches embeddings) or pass another --store"
        self._lock = FileLock(folder / LOCK_FILE, timeout=LOCK_TIMEOUT_S)
        self._client: ClientAPI | None = None
        self._seen: str | None = None  # the last write token this process knows the data of

    @contextmanager
    def session(self) -> Iterator[ClientAPI]:
        """Hold the folder's lock, with a client that has seen every write made so far."""
        from filelock import Timeout

        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise FactcheckError(
                f"the {self.where} is busy: another process has held it for "
                f"{LOCK_TIMEOUT_S:.0f} s; wait for it to finish or pass another --store"
            ) from None
        try:
            latest = self._latest_write()
            if self._client is None or latest != self._seen:
                self._reopen()
                self._seen = latest
            assert self._client is not None
            yield self._client
        finally:
            self._lock.release()

    def wrote(self) -> None:
        """Announce a write (call it holding the lock, before writing) so other processes reopen."""
        self._seen = uuid.uuid4().hex
        (self.folder / WRITES_FILE).write_text(self._seen, encoding="ascii")

    def _latest_write(self) -> str | None:
        try:
            return (self.folder / WRITES_FILE).read_text(encoding="ascii")
        except FileNotFoundError:
            return None

    def _reopen(self) -> None:
        """A fresh client: chromadb shares one system per folder in a process, so close ours first."""
        import chromadb

        if self._client is not None:
            client, self._client = self._client, None
            _release(client)
        self._client = chromadb.PersistentClient(path=str(self.folder), settings=_chroma_settings())


def _release(client: ClientAPI) -> None:
    """Stop a client's chromadb system, so that the next client of its folder reads the disk anew."""
    close = getattr(client, "close", None)
    if close is not None:
        close()
    else:  # chromadb before close() existed: forget the cached systems instead
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()


_folders: dict[Path, _Folder] = {}
_folders_lock = threading.Lock()


def _folder(path: Path) -> _Folder:
    """The process's one _Folder for this path, so that its Stores share a client that stays fresh."""
    key = path.expanduser().absolute()
    with _folders_lock:
        return _folders.setdefault(key, _Folder(key))


class _Server:
    """A Chroma server: it serialises concurrent clients itself, so no lock and no reopening."""

    def __init__(self, host: str, port: int) -> None:
        self.location = f"http://{host}:{port}"
        self.where = f"Chroma server at {host}:{port}"
        self.fix = "check the server, or leave out --chroma-host to use the embedded store"
        self._host, self._port = host, port
        self._client: ClientAPI | None = None

    @contextmanager
    def session(self) -> Iterator[ClientAPI]:
        if self._client is None:
            import chromadb

            client = chromadb.HttpClient(
                host=self._host, port=self._port, settings=_chroma_settings()
            )
            client.heartbeat()
            self._client = client
        yield self._client

    def wrote(self) -> None:
        pass


def _is_store_failure(exc: BaseException) -> bool:
    """Chromadb raises many exception types, and its Rust side panics with a BaseException."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


@contextmanager
def _one_line_errors(backend: _Folder | _Server, doing: str) -> Iterator[None]:
    """Turn any failure of the store into a FactcheckError naming the store and the fix."""
    try:
        yield
    except FactcheckError:
        raise
    except BaseException as exc:
        if not _is_store_failure(exc):
            raise
        raise FactcheckError(
            f"cannot {doing} the {backend.where}: {_reason(exc)}; {backend.fix}"
        ) from None


def _reason(exc: BaseException) -> str:
    """One short line: the error's first line, or just the message of a Rust error's debug text."""
    text = str(exc).strip() or type(exc).__name__
    inner = re.search(r'message: "([^"]+)"', text)
    return (inner.group(1) if inner else text.splitlines()[0])[:300]


def distance_space(collection: Any) -> str:
    """A collection's distance metric: its configuration (chromadb 1.x), its metadata (older), else l2."""
    configuration = getattr(collection, "configuration", None) or {}
    hnsw = configuration.get("hnsw") or {}
    return hnsw.get("space") or (collection.metadata or {}).get("hnsw:space") or "l2"


def _check_collection(collection: Any, model: str, backend: _Folder | _Server) -> None:
    """Refuse a collection whose scores would mean something else: another metric or another model."""
    fix = (
        backend.fix
        if isinstance(backend, _Folder)
        else f"delete the collection {collection.name} on that server, or leave out --chroma-host"
    )
    space = distance_space(collection)
    if space != SPACE:
        raise FactcheckError(
            f"the {backend.where} has collection {collection.name} with {space} distance, "
            f"but factcheck needs {SPACE} (an older factcheck made it?); {fix}"
        )
    recorded = (collection.metadata or {}).get(MODEL_KEY)
    if recorded is not None and recorded != model:
        raise FactcheckError(
            f"the {backend.where} has collection {collection.name} with vectors of the "
            f"embedding model {recorded}, not {model}; {fix}"
        )


def _batches(count: int, size: int) -> Iterator[slice]:
    """Slices of at most `size` items: Chroma refuses larger adds (5461 items for the embedded one)."""
    size = max(1, size)
    for start in range(0, count, size):
        yield slice(start, start + size)


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
        from factcheck.embeddings import default_embeddings

        self.embeddings = embeddings or default_embeddings()
        self._model = embeddings_name(self.embeddings)
        self._name = collection_name(self.embeddings)
        self._backend = (
            _Server(host, port or 8000)
            if host
            else _folder(Path(path) if path else default_store_path())
        )
        self.location = self._backend.location
        self._client: ClientAPI | None = None
        with self._session("open"):
            pass  # opens the collection now: a broken store fails here, before any work

    @contextmanager
    def _session(self, doing: str) -> Iterator[Chroma]:
        """One store operation: failures as one line, other processes locked out, data current."""
        with _one_line_errors(self._backend, doing), self._backend.session() as client:
            if client is not self._client:
                self._attach(client)
            yield self.vectors

    def _attach(self, client: ClientAPI) -> None:
        """Open (or create) this model's collection on a new client, refusing a mismatched one."""
        from langchain_chroma import Chroma

        metadata = {"hnsw:space": SPACE, MODEL_KEY: self._model}
        collection = client.get_or_create_collection(
            self._name, embedding_function=None, metadata=metadata
        )
        _check_collection(collection, self._model, self._backend)
        self.vectors = Chroma(
            collection_name=self._name,
            embedding_function=self.embeddings,
            client=client,
            collection_metadata=metadata,
        )
        self._collection = collection
        self._max_batch = client.get_max_batch_size()
        self._client = client

    @property
    def max_batch_size(self) -> int:
        """The most passages the client takes in one write (5461 for the embedded store)."""
        return self._max_batch

    def has(self, article: Article, kind: str = SENTENCE) -> bool:
        with self._session("read") as vectors:
            found = vectors.get(
                where={"$and": [{"article": article.sha256}, {"kind": kind}]}, limit=1
            )
        return bool(found["ids"])

    def add_article(self, article: Article, kinds: tuple[str, ...] = (SENTENCE,)) -> int:
        """Store the article's sentences (and chunks, if asked) unless already there; returns how many were embedded."""
        from factcheck.chunking import chunks, sentences

        splitters = {SENTENCE: sentences, CHUNK: chunks}
        added = 0
        for kind in kinds:
            if not self.has(article, kind):
                added += self._add(article.sha256, kind, splitters[kind](article))
        return added

    def _add(self, article_sha: str, kind: str, passages: list[Sentence]) -> int:
        """Embed passages, then write them in batches the client accepts.

        Embedding happens outside the lock (it is the slow part) and outside the store's error
        handling (an embedding API's failure is not the store's).
        """
        if not passages:
            return 0
        unique = {_text_id(article_sha, kind, p.text, p.start): p for p in passages}
        ids = list(unique)
        texts = [p.text for p in unique.values()]
        metadatas: list[Any] = [
            {"article": article_sha, "kind": kind, "start": p.start, "end": p.end}
            for p in unique.values()
        ]
        vectors = self.embeddings.embed_documents(texts)
        with self._session("write to"):
            self._backend.wrote()
            for part in _batches(len(ids), self._max_batch):
                self._collection.upsert(
                    ids=ids[part],
                    embeddings=vectors[part],
                    documents=texts[part],
                    metadatas=metadatas[part],
                )
        return len(unique)

    def search(
        self, query: list[float], article: Article, kind: str = SENTENCE, k: int = 4
    ) -> list[Hit]:
        """The k passages of one article closest to a query vector (a metadata filter on the article)."""
        with self._session("read") as vectors:
            results = vectors.similarity_search_by_vector_with_relevance_scores(
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
        unique = list(dict.fromkeys(ids))
        found: dict[str, list[float]] = {}
        if not unique:
            return found
        with self._session("read") as vectors:
            for part in _batches(len(unique), self._max_batch):
                got = vectors.get(ids=unique[part], include=["embeddings"])
                found.update(zip(got["ids"], got["embeddings"], strict=True))
        return found
