"""The LLM answer cache (sqlite, stdlib): only answers that parsed and validated are stored.

A key is a digest of the chain's prompt version, the model, the server (without credentials) and
the messages sent, so an edited prompt or schema never reads an old answer. A stored answer is the
validated JSON, at most MAX_ANSWER_BYTES; the whole file is kept under MAX_TOTAL_BYTES by dropping
the oldest answers. The structured-output method that works with each server is remembered too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import platformdirs

FILE_NAME = "llm-answers.sqlite"
LEGACY_FILE_NAME = "llm-cache.sqlite"  # the cache before validation: may hold invalid answers
MAX_ANSWER_BYTES = 100_000  # a validated answer of 25 claims is about 8 KB
MAX_TOTAL_BYTES = 50_000_000


def default_cache_path() -> Path:
    """The user's cache directory: factcheck/llm-answers.sqlite."""
    return Path(platformdirs.user_cache_dir("factcheck")) / FILE_NAME


def answer_key(version: str, model: str, base_url: str | None, messages: list[Any]) -> str:
    """The digest that identifies one request: prompt version, model, server and messages."""
    sent = [(getattr(m, "type", ""), getattr(m, "content", m)) for m in messages]
    payload = json.dumps([version, model, base_url or "", sent], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class AnswerCache:
    """Validated answers by key, and the structured-output method each server accepts."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        max_total_bytes: int = MAX_TOTAL_BYTES,
    ) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_answer_bytes = max_answer_bytes
        self.max_total_bytes = max_total_bytes
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS answers "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL, bytes INTEGER NOT NULL, saved REAL)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS methods (server TEXT PRIMARY KEY, method TEXT)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, key: str) -> Any | None:
        with self._lock, self._connect() as db:
            row = db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, key: str, answer: Any) -> bool:
        """Store a validated answer; False (not stored) when it is over the size cap."""
        value = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
        size = len(value.encode())
        if size > self.max_answer_bytes:
            return False
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers (key, value, bytes, saved) VALUES (?, ?, ?, ?)",
                (key, value, size, time.time()),
            )
            total = db.execute("SELECT COALESCE(SUM(bytes), 0) FROM answers").fetchone()[0]
            if total > self.max_total_bytes:  # drop the oldest answers down to 90 % of the cap
                excess = total - int(self.max_total_bytes * 0.9)
                rows = db.execute("SELECT key, bytes FROM answers ORDER BY saved").fetchall()
                dropped = []
                for old, old_size in rows:
                    if excess <= 0:
                        break
                    dropped.append((old,))
                    excess -= old_size
                db.executemany("DELETE FROM answers WHERE key = ?", dropped)
        return True

    def method(self, server: str) -> str | None:
        with self._lock, self._connect() as db:
            row = db.execute("SELECT method FROM methods WHERE server = ?", (server,)).fetchone()
        return row[0] if row else None

    def set_method(self, server: str, method: str) -> None:
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO methods (server, method) VALUES (?, ?)", (server, method)
            )

    def clear(self) -> int:
        """Forget every answer and method choice; returns how many answers there were."""
        with self._lock, self._connect() as db:
            count = int(db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])
            db.execute("DELETE FROM answers")
            db.execute("DELETE FROM methods")
        with self._connect() as db:
            db.execute("VACUUM")
        return count

    def __len__(self) -> int:
        with self._lock, self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def size(self) -> int:
        """Bytes of stored answers."""
        with self._lock, self._connect() as db:
            return int(db.execute("SELECT COALESCE(SUM(bytes), 0) FROM answers").fetchone()[0])


def clear_cache(path: str | Path | None = None) -> tuple[int, Path]:
    """Empty the answer cache (and remove the cache file of earlier versions); (answers, path)."""
    target = Path(path) if path else default_cache_path()
    legacy = target.with_name(LEGACY_FILE_NAME)
    removed = 0
    if legacy.exists():
        legacy.unlink()
    if target.exists():
        removed = AnswerCache(target).clear()
    return removed, target
