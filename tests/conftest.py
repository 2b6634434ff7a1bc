"""Shared fixtures: the bundled examples, and a fresh Chroma store per test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Keep the user's cache (the default store lives there) out of the tests.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="factcheck-test-cache-")

from factcheck.store import Store

pytest_plugins = ["tests.llm_support"]  # cassette fixtures of the LLM tests

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def example_paths() -> list[Path]:
    return [EXAMPLES / "witkoff_report_a.txt", EXAMPLES / "witkoff_report_b.txt"]


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("chroma"))
