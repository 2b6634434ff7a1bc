"""The structured-call loop: the output method per server, validation, one retry, the cache.

An answer is parsed and validated against the chain's schema, then checked by the caller (every
claim judged, at least one usable claim...). An invalid answer is asked again once, with the
error; only an answer that passed is cached, so a truncated, empty, oversized or wrong-schema
answer is asked again on the next run instead of being replayed.

The method (`auto` by default) is chosen per server: json_schema first, then function calling,
then JSON mode, moving on once when a server refuses one (an HTTP 4xx/500 naming response_format
or tools); the method that worked is remembered per base URL in the cache.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.utils.json import parse_json_markdown
from pydantic import BaseModel, ValidationError

from factcheck.engines.llm.cache import AnswerCache, answer_key
from factcheck.engines.llm.chains import Chain
from factcheck.engines.llm.client import Client, MethodRefused, Reply, without_credentials
from factcheck.errors import FactcheckError, LLMServerError

log = logging.getLogger(__name__)

AUTO = "auto"
METHODS = ("json_schema", "function_calling", "json_mode")  # the order auto tries them in
MAX_ANSWER_CHARS = 200_000  # longer answers are refused before parsing (and never cached)
MAX_ECHOED = 4_000  # how much of an invalid answer goes back to the model with the error

Parsed = TypeVar("Parsed", bound=BaseModel)


class Structured:
    """Structured answers from one client, validated, cached, through the method the server takes."""

    def __init__(self, client: Client, cache: AnswerCache | None, method: str = AUTO) -> None:
        if method not in (AUTO, *METHODS):
            raise FactcheckError(
                f"unknown structured-output method {method!r}; one of {(AUTO, *METHODS)}"
            )
        self.client = client
        self.cache = cache
        self.requested = method
        self.server = without_credentials(client.base_url) or "https://api.openai.com/v1"
        self._method: str | None = None if method == AUTO else method
        self._confirmed = method != AUTO
        self._refused: list[str] = []
        self._lock = threading.Lock()

    @property
    def method(self) -> str:
        """The method the next call uses."""
        with self._lock:
            if self._method is None:
                known = self.cache.method(self.server) if self.cache else None
                self._method = known if known in METHODS else METHODS[0]
                self._confirmed = known in METHODS
            return self._method

    def ask(
        self,
        chain: Chain,
        inputs: dict[str, Any],
        *,
        schema: dict[str, Any] | None = None,
        max_tokens: int,
        check: Callable[[Any], str | None] | None = None,
    ) -> tuple[Any | None, str | None]:
        """(answer, problem left): a validated answer, cached; else the best one and why it fails."""
        messages = chain.messages(inputs)
        schema = schema or chain.json_schema()
        key = answer_key(chain.version, self.client.model, self.server, messages)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            try:
                parsed = chain.schema.model_validate(hit)
            except ValidationError:
                parsed = None
            if parsed is not None and (check is None or check(parsed) is None):
                return parsed, None
        best: Any | None = None
        problem: str | None = None
        for attempt in range(2):
            reply = self._complete(messages, schema, max_tokens)
            parsed, problem = _validate(chain.schema, reply, check)
            if parsed is not None:
                best = parsed
            if problem is None:
                if self.cache is not None:
                    self.cache.put(key, parsed.model_dump(mode="json"))
                return parsed, None
            log.info(
                "%s: invalid answer (%s); %s",
                chain.name,
                problem,
                "retrying" if not attempt else "giving up",
            )
            messages = [
                *messages,
                AIMessage(content=reply.content[:MAX_ECHOED]),
                HumanMessage(
                    f"That answer is not valid: {problem}\n"
                    "Answer again with JSON only, following the schema exactly."
                ),
            ]
        return best, problem

    def _complete(
        self, messages: list[BaseMessage], schema: dict[str, Any], max_tokens: int
    ) -> Reply:
        while True:
            method = self.method
            try:
                reply = self.client.complete(
                    _for_method(messages, schema, method), schema, method, max_tokens
                )
            except MethodRefused as refused:
                self._next_method(refused)
                continue
            if not self._confirmed:
                with self._lock:
                    self._confirmed = True
                if self.cache is not None:
                    self.cache.set_method(self.server, method)
                log.info("structured output for %s: %s", self.server, method)
            return reply

    def _next_method(self, refused: MethodRefused) -> None:
        where = self.client.where
        if self.requested != AUTO:
            raise LLMServerError(
                f"the LLM server at {where} refused the structured-output method "
                f"{refused.method} (HTTP {refused.status}: {refused.summary}); unset "
                "FACTCHECK_STRUCTURED_METHOD to let factcheck choose, or set it to one of "
                f"{', '.join(m for m in METHODS if m != refused.method)}",
                status_code=refused.status,
                body=refused.summary,
            )
        with self._lock:
            if self._method != refused.method:
                return  # another call moved on already
            self._refused.append(f"{refused.method} (HTTP {refused.status})")
            later = METHODS[METHODS.index(refused.method) + 1 :]
            if not later:
                raise LLMServerError(
                    f"the LLM server at {where} accepts none of the structured-output methods "
                    f"({'; '.join(self._refused)}): {refused.summary}",
                    status_code=refused.status,
                    body=refused.summary,
                )
            self._method, self._confirmed = later[0], False
            log.info("%s refused %s; trying %s", where, refused.method, later[0])


def _for_method(
    messages: list[BaseMessage], schema: dict[str, Any], method: str
) -> list[BaseMessage]:
    """JSON mode constrains nothing but JSON: the schema goes into the instructions instead."""
    if method != "json_mode":
        return messages
    note = SystemMessage(
        "The answer is one JSON object valid against this JSON schema:\n"
        + json.dumps(schema, ensure_ascii=False)
    )
    return [messages[0], note, *messages[1:]]


def _validate(
    model: type[Parsed], reply: Reply, check: Callable[[Any], str | None] | None
) -> tuple[Parsed | None, str | None]:
    if reply.problem is not None:
        return None, reply.problem
    content = reply.content
    cut = reply.finish_reason == "length"
    if not content.strip():
        return None, "the answer was empty"
    if len(content) > MAX_ANSWER_CHARS:
        return None, f"the answer was {len(content):,} characters long; answer briefly"
    try:
        parsed = model.model_validate(parse_json_markdown(content, parser=json.loads))
    except (ValidationError, ValueError, TypeError) as exc:
        if cut:
            return None, "the answer was cut off at the token limit; answer more briefly"
        return None, _describe(exc)
    return parsed, check(parsed) if check else None


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        errors = exc.errors()[:5]
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in errors)
    return f"not valid JSON ({str(exc)[:200]})"
