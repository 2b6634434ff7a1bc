"""A small on-disk LangChain cache (sqlite, stdlib): an identical request is answered without HTTP."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any

import platformdirs
from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.load import dumps, loads
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration

CACHED = "factcheck_cached"  # response_metadata flag: this answer cost no call


def default_cache_path() -> Path:
    """The user's cache directory: factcheck/llm-cache.sqlite."""
    return Path(platformdirs.user_cache_dir("factcheck")) / "llm-cache.sqlite"


class SqliteCache(BaseCache):
    """Keyed by model settings (model, URL, schema, temperature...) + the full prompt; values are answers."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    @staticmethod
    def _key(prompt: str, llm_string: str) -> str:
        return hashlib.sha256(f"{llm_string}\x00{prompt}".encode()).hexdigest()

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        with self._lock, self._connect() as db:
            row = db.execute(
                "SELECT value FROM answers WHERE key = ?", (self._key(prompt, llm_string),)
            ).fetchone()
        if row is None:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # loads() is marked beta
            generations = loads(row[0], allowed_objects=[ChatGeneration, AIMessage])
        for generation in generations:
            message = getattr(generation, "message", None)
            if message is not None:
                message.response_metadata[CACHED] = True
        return generations

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        value = dumps(list(return_val))
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers (key, value) VALUES (?, ?)",
                (self._key(prompt, llm_string), value),
            )

    def clear(self, **kwargs: Any) -> None:
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM answers")

    def __len__(self) -> int:
        with self._lock, self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])
