"""Fixtures for the LLM tests: cassettes replayed by default, recorded against a real server on demand.

Replay (the default, `--record-mode=none`) reads the server URL and model the cassettes were
recorded with from cassettes/recorded_with.json, so request URIs and bodies match exactly.
Recording (`--record-mode=rewrite`) takes them from FACTCHECK_RECORD_BASE_URL and FACTCHECK_MODEL.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from factcheck.engines.llm import LLMEngine
from tests.fault_proxy import FORWARDED, Faults, fault_proxy

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
DATA = Path(__file__).resolve().parent / "data" / "llm"
RECORDED_WITH = CASSETTES / "recorded_with.json"
SECRET_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "openai-organization",
    "openai-project",
]
SECRET_RESPONSE_HEADERS = {"set-cookie", "openai-organization", "openai-project", "cf-ray"}


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for key in list(headers):
        if key.lower() in SECRET_RESPONSE_HEADERS:
            del headers[key]
    return response


def _skip_proxy_hop(request: Any) -> Any:
    """While recording through the fault proxy, keep only what the client sent, not the proxy's hop."""
    return None if request.headers.get(FORWARDED) else request


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [(h, "scrubbed") for h in SECRET_HEADERS],
        "match_on": ["method", "uri", "body"],
        "decode_compressed_response": True,
        "before_record_response": _scrub_response,
        "before_record_request": _skip_proxy_hop,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture
def llm_settings(record_mode: str) -> dict[str, Any]:
    """The server, model and proxy port: from the environment when recording, else as recorded."""
    if record_mode == "none":
        return json.loads(RECORDED_WITH.read_text(encoding="utf-8"))
    settings = {
        "base_url": os.environ.get("FACTCHECK_RECORD_BASE_URL", "http://127.0.0.1:8765/v1"),
        "model": os.environ.get("FACTCHECK_MODEL", "SmolLM2-135M-Instruct"),
        "method": os.environ.get("FACTCHECK_STRUCTURED_METHOD", "json_schema"),
        "proxy_port": int(os.environ.get("FACTCHECK_RECORD_PROXY_PORT", "8766")),
    }
    CASSETTES.mkdir(exist_ok=True)
    RECORDED_WITH.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return settings


def make_llm_engine(
    settings: dict[str, Any], cache: Path, base_url: str | None = None
) -> LLMEngine:
    """The engine as the tests record and replay it: fixed settings, a per-test answer cache."""
    return LLMEngine(
        model=settings["model"],
        base_url=base_url or settings["base_url"],
        api_key=os.environ.get("OPENAI_API_KEY", "test-key"),
        cache=cache,
        method=settings["method"],
        max_concurrency=2,
    )


@pytest.fixture
def llm_engine(
    llm_settings: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> LLMEngine:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return make_llm_engine(llm_settings, tmp_path / "llm-cache.sqlite")


@pytest.fixture
def proxied(llm_settings: dict[str, Any], record_mode: str):
    """A context manager: the fault proxy before the real server when recording; replays need only its URL."""
    port = int(llm_settings["proxy_port"])

    @contextmanager
    def proxy(faults: Faults) -> Iterator[str]:
        if record_mode == "none":
            yield f"http://127.0.0.1:{port}/v1"
            return
        with fault_proxy(llm_settings["base_url"], faults, port) as url:
            yield url

    return proxy
