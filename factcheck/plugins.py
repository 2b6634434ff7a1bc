"""Calling plugins' `register(registry)` hooks: one contract for every registry (engines, renderers)."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import EntryPoint
from typing import Any

from factcheck.errors import FactcheckError


def load_plugins(registry: Any, found: Iterable[EntryPoint], kind: str = "plugin") -> None:
    """Call every plugin's register(registry); a broken plugin is named in a one-line error."""
    for entry in found:
        try:
            entry.load()(registry)
        except Exception as exc:  # a third party's code: report which plugin failed, and why
            raise FactcheckError(f"the factcheck {kind} {entry.name!r} failed: {exc}") from exc
