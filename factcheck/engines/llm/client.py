"""The LLM client: settings, auth, base URL, the deadline of a call, retries and error mapping.

One call has one deadline (`timeout`, default 300 s) for everything: connecting, waiting, reading
a trickling answer, and every retry. The OpenAI client's own retries are off (its timeout is per
attempt); this loop retries 408, 409, 429, 5xx, lost connections and timeouts with backoff while
the deadline allows, honours a server's Retry-After when it fits in what is left, and otherwise
says how long the server asked to wait. Every failure is one LLMServerError line carrying the
HTTP status and the server's message, summarised and redacted.
"""

from __future__ import annotations

import contextvars
import email.utils
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import openai
from langchain_core.messages import AIMessage, BaseMessage
from langchain_openai import ChatOpenAI

from factcheck.engines.base import Usage
from factcheck.errors import FactcheckError, LLMServerError
from factcheck.redact import redact

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 300.0  # seconds for one call, retries included (a local 1.5B model: ~190 s)
DEFAULT_CONCURRENCY = 4
DEFAULT_RETRIES = 3
MAX_RESPONSE_BYTES = 4_000_000  # an answer is read at most this far, then refused
MAX_BACKOFF = 8.0
TIMEOUT_ENV = "FACTCHECK_LLM_TIMEOUT"
CONCURRENCY_ENV = "FACTCHECK_LLM_CONCURRENCY"

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "factcheck_llm_deadline", default=None
)
# What a server says when it does not know a structured-output method (response_format types,
# tools, tool_choice): then the next method is tried, never the same request again.
_REFUSAL = re.compile(
    r"response_format|json_schema|json_object|tool_choice|\btools?\b|function.?call"
    r"|structured output|'text' or",
    re.IGNORECASE,
)


def without_credentials(url: str | None) -> str | None:
    """The URL without user:password@ (what messages, settings and cache keys may show)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()


def number_setting(
    value: float | None, env: str, default: float, *, low: float, high: float, what: str
) -> float:
    """An option, else its environment variable, else the default; out of range: one line."""
    if value is None:
        raw = os.environ.get(env, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise FactcheckError(f"{env}={raw!r}: give {what} as a number") from None
    if not low <= value <= high:
        raise FactcheckError(f"{what} must be between {low:g} and {high:g}, not {value:g}")
    return value


class AnswerTooLarge(Exception):
    """The server's answer passed MAX_RESPONSE_BYTES."""


class MethodRefused(Exception):
    """The server does not support the structured-output method of this request."""

    def __init__(self, method: str, status: int | None, summary: str) -> None:
        super().__init__(f"{method}: HTTP {status}: {summary}")
        self.method, self.status, self.summary = method, status, summary


class _DeadlineStream(httpx.SyncByteStream):
    """A response body read against the call's deadline and a size cap (a trickle is cut off)."""

    def __init__(self, inner: Any, deadline: float | None, limit: int) -> None:
        self.inner, self.deadline, self.limit = inner, deadline, limit

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        for chunk in self.inner:
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise httpx.ReadTimeout("the call's deadline passed while the answer arrived")
            size += len(chunk)
            if size > self.limit:
                raise AnswerTooLarge(f"the answer is over {self.limit:,} bytes")
            yield chunk

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if callable(close):
            close()


class DeadlineTransport(httpx.BaseTransport):
    """httpx's transport with every wait capped by the current call's deadline."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = _deadline.get()
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise httpx.ConnectTimeout("the call's deadline passed", request=request)
            asked = request.extensions.get("timeout") or {}
            request.extensions["timeout"] = {
                k: left if asked.get(k) is None else min(asked[k], left)
                for k in ("connect", "read", "write", "pool")
            }
        response = self.inner.handle_request(request)
        response.stream = _DeadlineStream(response.stream, deadline, MAX_RESPONSE_BYTES)
        return response

    def close(self) -> None:
        self.inner.close()


@dataclass
class Reply:
    """What one call returned: the answer's text, or why there is none usable."""

    content: str
    problem: str | None = None
    finish_reason: str | None = None


class Client:
    """One OpenAI-compatible server and model: calls with a deadline, usage counted."""

    def __init__(
        self,
        model: str,
        base_url: str | None,
        api_key: str,
        *,
        timeout: float,
        max_retries: int,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        self.usage = Usage()
        self._lock = threading.Lock()
        self._http = httpx.Client(
            transport=DeadlineTransport(),
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            headers={"Accept-Encoding": "identity"},  # the size cap counts what is decoded
        )
        self._models: dict[int, ChatOpenAI] = {}

    @property
    def where(self) -> str:
        return without_credentials(self.base_url) or "api.openai.com"

    def _model(self, max_tokens: int) -> ChatOpenAI:
        with self._lock:
            if max_tokens not in self._models:
                self._models[max_tokens] = ChatOpenAI(
                    model=self.model,
                    base_url=self.base_url,
                    api_key=self.api_key,
                    temperature=0,
                    seed=0,
                    max_tokens=max_tokens,
                    max_retries=0,  # retries are this client's, within the call's deadline
                    timeout=self.timeout,
                    http_client=self._http,
                    cache=False,  # answers are cached only once validated (AnswerCache)
                    # servers that predate max_completion_tokens read max_tokens
                    **({"extra_body": {"max_tokens": max_tokens}} if self.base_url else {}),
                )
            return self._models[max_tokens]

    def complete(
        self, messages: list[BaseMessage], schema: dict[str, Any], method: str, max_tokens: int
    ) -> Reply:
        """One structured call, retried within its deadline; raises LLMServerError or MethodRefused."""
        runnable = self._model(max_tokens).with_structured_output(
            schema, method=method, include_raw=True
        )
        deadline = time.monotonic() + self.timeout
        retries = 0
        while True:
            token = _deadline.set(deadline)
            try:
                out = runnable.invoke(messages)
            except openai.LengthFinishReasonError as exc:
                self._count(getattr(exc.completion, "usage", None))
                content = exc.completion.choices[0].message.content or ""
                return Reply(content, None, "length")
            except AnswerTooLarge:
                return Reply(
                    "", f"the answer was over {MAX_RESPONSE_BYTES:,} bytes; answer briefly"
                )
            except openai.APIError as exc:
                if _caused_by(exc, AnswerTooLarge):
                    return Reply(
                        "", f"the answer was over {MAX_RESPONSE_BYTES:,} bytes; answer briefly"
                    )
                summary = _message(exc)
                status = getattr(exc, "status_code", None)
                if status in (400, 422, 500, 501) and _REFUSAL.search(summary):
                    raise MethodRefused(method, status, summary) from None
                wait = self._retry_wait(exc, retries, deadline)
                if wait is None:
                    raise self._error(exc, retries) from None
                log.info("LLM call failed (%s); retry %d in %.1fs", summary, retries + 1, wait)
                time.sleep(wait)
                retries += 1
                continue
            except AttributeError:  # the client hands back a plain string when the body is not JSON
                raise LLMServerError(
                    f"the server at {self.where} did not answer with JSON; --base-url must be the "
                    "API's address (often ending in /v1), not a web page"
                ) from None
            finally:
                _deadline.reset(token)
            raw: AIMessage = out["raw"]
            usage = raw.usage_metadata or {}
            self._count_tokens(
                int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))
            )
            return Reply(_content(raw), None, raw.response_metadata.get("finish_reason"))

    def _retry_wait(self, exc: openai.APIError, retries: int, deadline: float) -> float | None:
        """Seconds to wait before the next attempt; None: do not retry. Raises when the server
        asks to wait longer than the deadline leaves."""
        status = getattr(exc, "status_code", None)
        transient = isinstance(exc, openai.APIConnectionError) or (
            status in (408, 409, 429) or (status or 0) >= 500
        )
        if not transient or retries >= self.max_retries:
            return None
        left = deadline - time.monotonic()
        asked = retry_after(exc)
        if asked is not None and asked > left:
            raise LLMServerError(
                f"the LLM server at {self.where} answered {status} and asked to wait "
                f"{_seconds(asked)} before trying again (Retry-After), more than the "
                f"{_seconds(max(left, 0))} left of this call's {self.timeout:g}s deadline; try again "
                "later, or raise --timeout",
                status_code=status,
                body=_message(exc),
            )
        wait = asked if asked is not None else min(MAX_BACKOFF, 0.5 * 2**retries)
        return None if wait >= left else wait

    def _error(self, exc: openai.APIError, retries: int) -> LLMServerError:
        """One line that says what went wrong with the server and what to check, secrets redacted."""
        where = self.where
        status = getattr(exc, "status_code", None)
        summary = _message(exc)
        after = f" after {retries} retries" if retries else ""
        asked = retry_after(exc)
        waited = f"; it asks to wait {_seconds(asked)} (Retry-After)" if asked else ""

        def error(text: str) -> LLMServerError:
            return LLMServerError(text, status_code=status, body=summary)

        if isinstance(exc, openai.AuthenticationError):
            return error(
                f"the LLM server at {where} rejected the API key (401); check OPENAI_API_KEY"
            )
        if isinstance(exc, openai.PermissionDeniedError):
            return error(f"the LLM server at {where} refused access (403): {summary}")
        if isinstance(exc, openai.NotFoundError):
            return error(
                f"model {self.model!r} not found at {where} (404); check --model and --base-url"
            )
        if isinstance(exc, openai.RateLimitError):
            return error(
                f"the LLM server at {where} kept answering 429 (rate limit or quota){after}{waited}"
            )
        if isinstance(exc, openai.APITimeoutError):
            return error(
                f"the LLM server at {where} did not answer within {self.timeout:g}s{after}; a slow "
                "model needs a longer --timeout (or FACTCHECK_LLM_TIMEOUT)"
            )
        if isinstance(exc, openai.APIConnectionError):
            return error(
                f"cannot reach the LLM server at {where}{after}; check --base-url and that the "
                "server runs, or use --engine local"
            )
        if isinstance(exc, openai.APIStatusError):
            return error(
                f"the LLM server at {where} failed with HTTP {status}{after}{waited}: {summary}"
            )
        return error(f"the LLM server at {where} failed: {summary}")

    def _count(self, usage: Any) -> None:
        self._count_tokens(
            getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0
        )

    def _count_tokens(self, prompt: int, completion: int) -> None:
        with self._lock:
            self.usage.llm_calls += 1
            self.usage.prompt_tokens += prompt
            self.usage.completion_tokens += completion


def _content(raw: AIMessage) -> str:
    content = raw.content if isinstance(raw.content, str) else str(raw.content)
    if not content and raw.tool_calls:  # function calling: the answer is the call's arguments
        return json.dumps(raw.tool_calls[0]["args"], ensure_ascii=False)
    if not content and raw.invalid_tool_calls:  # arguments that are not valid JSON
        return raw.invalid_tool_calls[0].get("args") or ""
    return content


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def retry_after(exc: openai.APIError) -> float | None:
    """The wait a server asked for (retry-after-ms, or Retry-After in seconds or as a date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(0.0, float(ms) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _seconds(value: float) -> str:
    return f"{value:.0f}s" if value >= 10 else f"{value:.1f}s"


def _message(exc: openai.APIError) -> str:
    """The server's error message, summarised: the JSON "message" when there is one, one line,
    secrets redacted, at most 200 characters (servers echo requests, headers included)."""
    body = getattr(exc, "body", None)
    text = body.get("message") if isinstance(body, dict) else None
    if text is None and isinstance(body, dict) and isinstance(body.get("detail"), list | str):
        text = json.dumps(body["detail"])[:400]  # FastAPI's validation errors (llama-cpp-python)
    text = " ".join(str(text or getattr(exc, "message", exc)).split())
    text = redact(text)
    return text if len(text) <= 200 else text[:199] + "…"
