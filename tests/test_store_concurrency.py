"""Several processes on one store folder at once (two `factcheck compare` runs, say) all succeed.

Without the store's folder lock, creating the database races ("table collections already exists")
and a process reads a vector index that another process has since rewritten ("Error finding id").
Each worker is a separate Python process, as separate CLI runs are; barriers make them open the
store, write and read at the same moments, and each round starts on a fresh folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck import article_from_text
from factcheck.chunking import sentences
from factcheck.models import Article, Sentence
from factcheck.store import SENTENCE, Store
from tests.test_store import HashEmbeddings

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3
ROUNDS = 3
SENTENCES = 400  # three workers write 1200 vectors a round: enough that Chroma persists its index
CLAIMS = 50
FAILED = "failed"


def article(worker: int, round_: int) -> Article:
    text = " ".join(
        f"Worker {worker} in round {round_} reports that bridge number {k} reopens."
        for k in range(SENTENCES)
    )
    return article_from_text(text, f"w{worker}")


def barrier(base: Path, name: str, worker: int, timeout: float = 60.0) -> None:
    """Wait until every worker has reached this point (or one of them failed)."""
    (base / f"{name}.{worker}").touch()
    deadline = time.monotonic() + timeout
    while len(list(base.glob(f"{name}.*"))) < WORKERS:
        if (base / FAILED).exists():
            raise RuntimeError(f"another worker failed before {name}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"not every worker reached {name} within {timeout:.0f} s")
        time.sleep(0.01)


def work(base: Path, worker: int) -> None:
    """One worker process: each round, open the round's store, add an article, read everyone's."""
    embeddings = HashEmbeddings()
    query = embeddings.embed_query("bridge reopens")
    for round_ in range(ROUNDS):
        everyone = [article(w, round_) for w in range(WORKERS)]
        mine = everyone[worker]
        claims = [  # parts of sentences: claims that are not stored sentences get embedded
            Sentence(text=s.text[:30], start=s.start, end=s.start + 30)
            for s in sentences(mine)[:CLAIMS]
        ]
        barrier(base, f"open-{round_}", worker)
        store = Store(base / f"round-{round_}", embeddings=embeddings)
        store.add_article(mine)
        barrier(base, f"added-{round_}", worker)
        for other in everyone:
            hits = store.search(query, other, k=3)
            assert hits and all(other.text[h.start : h.end] == h.text for h in hits)
        store.cached_vectors(mine, "claim", claims)  # a write after the others' writes
        for other in everyone:
            assert store.search(query, other, k=3)


def main() -> None:
    """Entry point of a worker process: argv is the base folder and the worker's number."""
    base, worker = Path(sys.argv[1]), int(sys.argv[2])
    try:
        work(base, worker)
    except BaseException:
        (base / FAILED).touch()
        raise
    print("ok")


@pytest.mark.slow
def test_concurrent_processes_on_one_store_all_succeed(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from tests.test_store_concurrency import main; main()",
                str(tmp_path),
                str(worker),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(WORKERS)
    ]
    failures = []
    for number, process in enumerate(workers):
        _, stderr = process.communicate(timeout=240)
        if process.returncode != 0:
            failures.append(f"worker {number} exited {process.returncode}: {stderr[-3000:]}")
    assert not failures, "\n".join(failures)

    embeddings = HashEmbeddings()
    for round_ in range(ROUNDS):
        store = Store(tmp_path / f"round-{round_}", embeddings=embeddings)
        for worker in range(WORKERS):
            written = article(worker, round_)
            for kind, expected in ((SENTENCE, len(sentences(written))), ("claim", CLAIMS)):
                stored = store.vectors.get(
                    where={"$and": [{"article": written.sha256}, {"kind": kind}]}
                )
                assert len(stored["ids"]) == expected, (round_, worker, kind)
