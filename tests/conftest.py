"""Shared fixtures: the bundled examples, a fresh Chroma store per test session, a Chroma server."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# Keep the user's cache (the default store lives there) out of the tests.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="factcheck-test-cache-")

from factcheck.redact import RedactingFilter
from factcheck.store import Store

pytest_plugins = ["tests.llm_support"]  # cassette fixtures of the LLM tests

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def no_leaked_log_filters() -> Iterator[None]:
    """The Slack bot's serve() puts the redacting filter on the root logger's handlers, pytest's
    own included: take it off again, so that later tests log as they would without it."""
    yield
    for handler in logging.getLogger().handlers:
        for leaked in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(leaked)


@pytest.fixture(scope="session")
def example_paths() -> list[Path]:
    return [EXAMPLES / "witkoff_report_a.txt", EXAMPLES / "witkoff_report_b.txt"]


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("chroma"))


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server on a loopback port, started by the test and stopped after it."""
    chroma = shutil.which("chroma")
    if chroma is None:
        pytest.skip("the chroma command (installed with chromadb) is not on PATH")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the Chroma server did not start within 30 s")
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=10)
