"""Per-example results on disk (JSONL, one line per finished example), so an interrupted run resumes."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from factcheck.engines.base import Engine
from factcheck.ingest import slugify
from factcheck.version import code_version


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("factcheck")) / "eval"


@dataclass
class Outcome:
    """What one example gave: (gold, predicted) pairs, its wall time, and what the engine spent."""

    id: str
    pairs: list[tuple[str, str]]
    seconds: float
    claims: int = 0
    llm_calls: int = 0
    tokens: int = 0
    found: list[dict[str, Any]] = field(default_factory=list)  # claim, status, reason of each


def engine_key(engine: Engine) -> str:
    """The engine's name plus a digest of every role's settings and the code's version."""
    settings = {"version": code_version(), **engine.settings()}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()
    return f"{slugify(engine.name)}-{digest[:8]}"


class ResultCache:
    """Finished examples of one dataset file and one engine configuration."""

    def __init__(self, folder: Path, dataset: str, digest: str, engine: str) -> None:
        self.path = Path(folder) / f"{slugify(dataset)}-{digest[:12]}-{engine}.jsonl"
        self._lock = threading.Lock()

    def load(self) -> dict[str, Outcome]:
        """Every complete line; a line cut short by an interruption is ignored."""
        done: dict[str, Outcome] = {}
        if not self.path.exists():
            return done
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
                outcome = Outcome(**{**row, "pairs": [tuple(p) for p in row["pairs"]]})
            except (json.JSONDecodeError, TypeError, KeyError):
                continue
            done[outcome.id] = outcome
        return done

    def add(self, outcome: Outcome) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(asdict(outcome)) + "\n")

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
