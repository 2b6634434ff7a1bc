"""Finished reports kept beside the store, so comparing the same articles again costs a file read.

The key is everything a report depends on: each article (content hash, id and metadata), the
engine asked for and its options, the embedding model, the summary length, the code version and
the installed plugins. Any change gives a new key; nothing stale is returned.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from factcheck.files import write_atomically
from factcheck.models import Article, Report
from factcheck.version import code_version

PLUGIN_GROUPS = ("factcheck.plugins", "factcheck.renderers")


def _plugins() -> list[str]:
    """Installed plugins and their versions: a plugin's engine changes reports as code does."""
    found = []
    for group in PLUGIN_GROUPS:
        for point in entry_points(group=group):
            dist = point.dist
            found.append(f"{group}:{point.name}:{dist.version if dist else '?'}")
    return sorted(found)


def report_key(articles: list[Article], options: dict[str, Any]) -> str:
    """A digest of the articles as read, the comparison's options, the code and the plugins."""
    fields = {"id", "sha256", "title", "outlet", "byline", "date", "language"}
    return inputs_key([a.model_dump(mode="json", include=fields) for a in articles], options)


def inputs_key(articles: list[Any], options: dict[str, Any]) -> str:
    """A digest of what a report depends on: the articles (as the caller describes them), the
    options, the code version and the installed plugins."""
    material = {
        "articles": articles,
        "options": options,
        "code": code_version(),
        "plugins": _plugins(),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


class ReportCache:
    """One JSON file per finished report in a folder; unreadable or invalid files are misses."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key[:40]}.json"

    def get(self, key: str) -> Report | None:
        try:
            return Report.model_validate_json(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError, ValidationError):
            return None

    def put(self, key: str, report: Report) -> None:
        """Written in one step: a reader never sees half a report."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path(key), report.model_dump_json())
        except OSError:
            pass  # a cache that cannot be written only costs time next run
