"""Fixtures for the LLM tests: cassettes replayed by default, recorded against a real server on demand.

Replay (the default, `--record-mode=none`) reads the server URL and model the cassettes were
recorded with from cassettes/recorded_with.json, so request URIs and bodies match exactly.
Recording (`--record-mode=rewrite`) takes them from FACTCHECK_RECORD_BASE_URL and FACTCHECK_MODEL.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from factcheck.engines.llm import LLMEngine
from tests.fault_proxy import FORWARDED, Faults, fault_proxy
from tests.loopback import serving

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


# A server's traceback names files on the recording machine: keep only the package-relative part.
LOCAL_PATH = re.compile(r"(?:/[^/\s\"'\\]+)+/(site-packages|dist-packages)/")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for key in list(headers):
        if key.lower() in SECRET_RESPONSE_HEADERS:
            del headers[key]
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes | str):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        scrubbed = LOCAL_PATH.sub(r"\1/", text)
        if scrubbed != text:
            response["body"]["string"] = scrubbed.encode() if isinstance(body, bytes) else scrubbed
            for key in list(headers):
                if key.lower() == "content-length":
                    headers[key] = [str(len(scrubbed.encode()))]
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
        "method": os.environ.get("FACTCHECK_STRUCTURED_METHOD", "auto"),
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


# --- A stub OpenAI-compatible server, for the fault tests ---------------------------------------

SCHEMA_NAMES = ("ClaimList", "Judgements", "SourceSummary", "JointSummary")


@dataclass
class Raw:
    """An answer as HTTP: status, body, headers; `delay` before it, or `trickle` bytes slowly."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between bytes of the body


@dataclass
class Request:
    """One request the stub received: its JSON body, and what it asked for."""

    body: dict[str, Any]

    @property
    def chain(self) -> str:
        """ClaimList, Judgements, SourceSummary or JointSummary."""
        fmt = self.body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            return fmt["json_schema"]["name"]
        if self.body.get("tools"):
            return self.body["tools"][0]["function"]["name"]
        text = json.dumps(self.body.get("messages"))
        return next((n for n in SCHEMA_NAMES if f'\\"title\\": \\"{n}\\"' in text), "")

    @property
    def method(self) -> str:
        fmt = self.body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            return "json_schema"
        if fmt.get("type") == "json_object":
            return "json_mode"
        return "function_calling" if self.body.get("tools") else "none"

    @property
    def user(self) -> str:
        """The text of the first user message (the prompt's data blocks)."""
        return next(m["content"] for m in self.body["messages"] if m["role"] == "user")

    @property
    def system(self) -> str:
        return self.body["messages"][0]["content"]

    def sentences(self) -> dict[int, str]:
        """The numbered sentence lines the prompt shows, by number."""
        return {
            int(m.group(1)): m.group(2)
            for m in re.finditer(r"^\[(\d+)\] (.*)$", self.user, re.MULTILINE)
        }

    def claims(self) -> dict[int, str]:
        """The numbered claims a judge prompt shows."""
        block = self.user.split("<claims>\n", 1)[1].split("\n</claims>", 1)[0]
        return {
            int(m.group(1)): m.group(2) for m in re.finditer(r"^(\d+)\. (.*)$", block, re.MULTILINE)
        }


def completion(request: Request, answer: Any, *, finish: str = "stop") -> Raw:
    """An answer object as a chat completion: tool-call arguments when the request used tools,
    else message content (a str answer is sent as the content itself)."""
    text = answer if isinstance(answer, str) else json.dumps(answer)
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if request.method == "function_calling":
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": request.chain, "arguments": text},
                }
            ],
        }
    body = {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": request.body.get("model", "stub"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    return Raw(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


@dataclass
class Stub:
    url: str
    requests: list[Request]

    def of(self, chain: str) -> list[Request]:
        return [r for r in self.requests if r.chain == chain]


@contextmanager
def stub_llm(respond: Callable[[Request], Raw | Any]) -> Iterator[Stub]:
    """An OpenAI-compatible server on 127.0.0.1 that answers each chat request with
    `respond(request)`: a Raw answer, or an answer object sent as a completion."""
    stub = Stub("", [])
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(json.loads(self.rfile.read(length) or b"{}"))
            with lock:
                stub.requests.append(request)
            answer = respond(request)
            raw = answer if isinstance(answer, Raw) else completion(request, answer)
            if raw.delay:
                time.sleep(raw.delay)
            try:
                self.send_response(raw.status)
                for key, value in {"Content-Type": "application/json", **raw.headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(raw.body)))
                self.end_headers()
                if raw.trickle:
                    for i in range(len(raw.body)):
                        self.wfile.write(raw.body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(raw.trickle)
                else:
                    self.wfile.write(raw.body)
            except OSError:
                pass  # the client gave up

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as port:
        stub.url = f"http://127.0.0.1:{port}/v1"
        yield stub


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def reader(request: Request) -> Any:
    """A stub model that does the job plainly: each sentence is a claim; a claim is supported by
    the shown sentence sharing most of its words (half or more), else not mentioned."""
    if request.chain == "ClaimList":
        return {
            "claims": [
                {"sentence": n, "claim": html.unescape(t), "kind": "fact", "speaker": ""}
                for n, t in request.sentences().items()
            ][:25]
        }
    if request.chain == "Judgements":
        shown = request.sentences()
        out = []
        for n, claim in request.claims().items():
            best = max(shown, key=lambda s: len(_words(claim) & _words(shown[s])), default=None)
            share = (
                len(_words(claim) & _words(shown[best])) / max(1, len(_words(claim))) if best else 0
            )
            if best is not None and share >= 0.5:
                out.append(
                    {
                        "claim": n,
                        "evidence": [best],
                        "verdict": "supports",
                        "reason": "The sentence says the same.",
                    }
                )
            else:
                out.append(
                    {
                        "claim": n,
                        "evidence": [],
                        "verdict": "not_mentioned",
                        "reason": "No sentence is about this.",
                    }
                )
        return {"judgements": out}
    if request.chain == "SourceSummary":
        first = next(iter(request.sentences().values()), "")
        return {"summary": html.unescape(first)}
    return {"agreed": [], "differences": [], "only_one": []}
