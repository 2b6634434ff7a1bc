"""A store that cannot be used (corrupt, or made for another metric or model) is one line naming the fix.

The stores here are written by chromadb itself, as an older factcheck (or a damaged disk) left
them, and closed again so that Store opens them the way a new process would.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings

from factcheck import FactcheckError, article_from_text
from factcheck.store import MODEL_KEY, Store, collection_name, distance_space
from tests.helpers import run_cli
from tests.test_store import A, B, HashEmbeddings


def make_store(folder: Path, metadata: dict | None, items: int = 50) -> None:
    """A store folder with one collection under the name factcheck gives HashEmbeddings."""
    client = chromadb.PersistentClient(str(folder), settings=Settings(anonymized_telemetry=False))
    collection = client.create_collection(
        collection_name(HashEmbeddings()), embedding_function=None, metadata=metadata
    )
    vectors = np.random.default_rng(0).random((items, 16))
    collection.add(
        ids=[f"id{i}" for i in range(items)],
        embeddings=vectors.tolist(),
        documents=[f"Passage {i}." for i in range(items)],
        metadatas=[{"article": "x", "kind": "sentence", "start": 0, "end": 1}] * items,
    )
    client.close()


def corrupt(path: Path, offset: int) -> None:
    """Overwrite 4096 bytes at offset with (reproducible) noise."""
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(random.Random(0).randbytes(4096))


def assert_names_folder_and_fix(error: pytest.ExceptionInfo[FactcheckError], folder: Path) -> None:
    message = str(error.value)
    assert "\n" not in message
    assert str(folder) in message and "delete the folder" in message and "--store" in message


COSINE = {"hnsw:space": "cosine"}


def test_a_corrupt_store_file_is_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    make_store(folder, COSINE)
    corrupt(folder / "chroma.sqlite3", 4096)  # Chroma's Rust side panics (a BaseException)
    with pytest.raises(FactcheckError, match="cannot open the store") as error:
        Store(folder, embeddings=HashEmbeddings())
    assert_names_folder_and_fix(error, folder)


def test_a_corrupt_vector_index_is_one_line_error_on_reading(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    make_store(folder, COSINE, items=1200)  # over 1000 items: the index is written to disk
    [header] = folder.glob("*/header.bin")
    corrupt(header, 0)
    store = Store(folder, embeddings=HashEmbeddings())
    with pytest.raises(FactcheckError, match="cannot read the store") as error:
        store.search([1.0] * 16, article_from_text(A, "a"))
    assert_names_folder_and_fix(error, folder)


class PanicException(BaseException):
    """Stands in for pyo3's PanicException: what a Rust panic inside chromadb raises."""


def test_a_panic_while_writing_is_one_line_error(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "chroma"
    store = Store(folder, embeddings=HashEmbeddings())

    def panic(*args: object, **kwargs: object) -> None:
        raise PanicException("called `Result::unwrap()` on an `Err` value")

    monkeypatch.setattr(Collection, "upsert", panic)
    with pytest.raises(FactcheckError, match="cannot write to the store") as error:
        store.add_article(article_from_text(A, "a"))
    assert_names_folder_and_fix(error, folder)


def test_interrupts_and_embedding_failures_are_not_blamed_on_the_store(
    tmp_path: Path, monkeypatch
) -> None:
    store = Store(tmp_path / "chroma", embeddings=HashEmbeddings())

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    def quota(*args: object, **kwargs: object) -> None:
        raise RuntimeError("embedding quota exceeded")

    monkeypatch.setattr(Collection, "upsert", interrupt)
    with pytest.raises(KeyboardInterrupt):
        store.add_article(article_from_text(A, "a"))
    monkeypatch.setattr(HashEmbeddings, "embed_documents", quota)
    with pytest.raises(RuntimeError, match="quota"):
        store.add_article(article_from_text(A, "a"))


def test_the_cli_reports_a_corrupt_store_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    make_store(folder, COSINE)
    corrupt(folder / "chroma.sqlite3", 4096)
    sources = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path, text in zip(sources, (A, B), strict=True):
        path.write_text(text, encoding="utf-8")
    result = run_cli("compare", *map(str, sources), "--store", str(folder))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "panicked" not in result.output
    [line] = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("error: cannot open the store") and str(folder) in line


def test_a_collection_with_l2_distance_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    make_store(folder, None)  # chromadb's default metric: l2
    with pytest.raises(FactcheckError, match="l2 distance, but factcheck needs cosine") as error:
        Store(folder, embeddings=HashEmbeddings())
    assert_names_folder_and_fix(error, folder)


def test_a_collection_of_another_embedding_model_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    make_store(folder, {**COSINE, MODEL_KEY: "some-other-model"})
    with pytest.raises(
        FactcheckError, match=re.escape("embedding model some-other-model, not test-hash-16")
    ) as error:
        Store(folder, embeddings=HashEmbeddings())
    assert_names_folder_and_fix(error, folder)


def test_a_new_collection_records_cosine_and_the_model(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    Store(folder, embeddings=HashEmbeddings())
    client = chromadb.PersistentClient(str(folder), settings=Settings(anonymized_telemetry=False))
    collection = client.get_collection(collection_name(HashEmbeddings()))
    assert distance_space(collection) == "cosine"
    assert (collection.metadata or {}).get(MODEL_KEY) == "test-hash-16"
    client.close()
    assert Store(folder, embeddings=HashEmbeddings())  # its own collection opens again
