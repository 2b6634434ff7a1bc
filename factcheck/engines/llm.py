"""The LLM engine: LangChain chains on any OpenAI-compatible chat API, batched, cached and checked.

Each chain is `prompt | ChatOpenAI(...).with_structured_output(schema, include_raw=True)`. The schema
goes in as a plain JSON schema so the answer reaches our own validation (and one retry with the
error) instead of failing inside the client; quotes are located in the text by the code.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.utils.json import parse_json_markdown
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, ValidationError

from factcheck.engines.base import Candidates, Usage
from factcheck.engines.llm_cache import CACHED, SqliteCache
from factcheck.engines.llm_schemas import (
    ClaimList,
    JointSummary,
    Judgement,
    Judgements,
    SourceSummary,
    json_schema,
)
from factcheck.errors import FactcheckError, LLMServerError
from factcheck.models import Article, Claim, ClaimCheck, Evidence, Summary, SummarySentence
from factcheck.prompt_files import load_prompt
from factcheck.quotes import locate
from factcheck.redact import redact
from factcheck.store import CHUNK, Hit
from factcheck.summary import LocalSummarizer, traceable, word_budget

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
JUDGE_BATCH = 15  # claims per judge call: one call per 15 claims per other source
MAX_CLAIMS = 25
MAX_ARTICLE_CHARS = 24_000
MAX_COMPARISON_LINES = 20
METHODS = ("json_schema", "json_mode", "function_calling")

Parsed = TypeVar("Parsed", bound=BaseModel)


class LLMEngine:
    """Claims, verdicts and summaries from a chat model (all three roles); offsets and ids from the code."""

    evidence_kind = CHUNK  # the checker retrieves ~600-character passages for the judge
    evidence_k = 3

    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        cache: str | Path | bool | None = None,
        max_concurrency: int = 4,
        max_retries: int = 3,
        timeout: float = 120.0,
        max_tokens: int = 2048,
        method: str | None = None,
    ) -> None:
        self.model = model or os.environ.get("FACTCHECK_MODEL") or DEFAULT_MODEL
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            if self.base_url is None:
                raise FactcheckError(
                    "the LLM engine needs OPENAI_API_KEY (or --base-url of an OpenAI-compatible "
                    "server); or use --engine local"
                )
            key = "not-needed"  # local servers ignore the key, the client insists on one
        self.method = method or os.environ.get("FACTCHECK_STRUCTURED_METHOD") or "json_schema"
        if self.method not in METHODS:
            raise FactcheckError(
                f"unknown structured-output method {self.method!r}; one of {METHODS}"
            )
        self.name = f"llm:{self.model}"
        self.usage = Usage()
        self.max_concurrency = max(1, max_concurrency)
        self.max_retries = max_retries
        self.timeout = timeout
        self.cache = None if cache is False else SqliteCache(None if cache is True else cache)
        extra: dict[str, Any] = {}
        if self.base_url:
            extra["extra_body"] = {
                "max_tokens": max_tokens
            }  # servers that predate max_completion_tokens
        self.llm = ChatOpenAI(
            model=self.model,
            base_url=self.base_url,
            api_key=key,
            temperature=0,
            seed=0,
            max_tokens=max_tokens,
            max_retries=max_retries,  # the client retries 429, 5xx and timeouts with backoff
            timeout=timeout,
            cache=self.cache if self.cache is not None else False,
            **extra,
        )
        self._lock = threading.Lock()
        self._summaries: dict[str, str] = {}

    def settings(self) -> dict[str, Any]:
        """Model, server (without credentials) and output method: what changes the answers."""
        return {
            "model": self.model,
            "base_url": _without_credentials(self.base_url),
            "method": self.method,
        }

    # --- the chains -------------------------------------------------------------------------

    def chain(self, name: str, schema: type[BaseModel]) -> Any:
        """prompt | model.with_structured_output(schema): the raw answer and its parse."""
        return load_prompt(name) | self._structured(schema)

    def _structured(self, schema: type[BaseModel]) -> Any:
        return self.llm.with_structured_output(
            json_schema(schema), method=self.method, include_raw=True
        )

    def ask(
        self,
        name: str,
        schema: type[Parsed],
        inputs: dict[str, Any],
        check: Callable[[Parsed], str | None] | None = None,
    ) -> tuple[Parsed | None, str | None]:
        """Run a chain; an invalid answer is retried once with the error. (answer, problem left)."""
        messages: list[BaseMessage] = load_prompt(name).format_messages(**inputs)
        best: Parsed | None = None
        problem: str | None = None
        for _attempt in range(2):
            content, problem = self._call(messages, schema)
            if problem is None:
                try:
                    parsed = schema.model_validate(parse_json_markdown(content, parser=json.loads))
                except (ValidationError, ValueError, TypeError) as exc:
                    problem = _describe(exc)
                else:
                    best = parsed
                    problem = check(parsed) if check else None
                    if problem is None:
                        return parsed, None
            log.info(
                "%s: invalid answer (%s); %s",
                name,
                problem,
                "retrying" if not _attempt else "giving up",
            )
            messages = [
                *messages,
                AIMessage(content=content or ""),
                HumanMessage(
                    f"That answer is not valid: {problem}\n"
                    "Answer again with JSON only, following the schema exactly."
                ),
            ]
        return best, problem

    def _call(self, messages: list[BaseMessage], schema: type[BaseModel]) -> tuple[str, str | None]:
        try:
            out = self._structured(schema).invoke(messages)
        except openai.LengthFinishReasonError as exc:
            self._count_completion(exc.completion)
            content = exc.completion.choices[0].message.content or ""
            return content, "the answer was cut off at the token limit; answer more briefly"
        except openai.APIError as exc:
            raise self._api_error(exc) from None
        except AttributeError:  # the client hands back a plain string when the body is not JSON
            where = _without_credentials(self.base_url) or "api.openai.com"
            raise LLMServerError(
                f"the server at {where} did not answer with JSON; --base-url must be the API's "
                "address (often ending in /v1), not a web page"
            ) from None
        raw: AIMessage = out["raw"]
        self._count_message(raw)
        content = raw.content if isinstance(raw.content, str) else str(raw.content)
        if not content and raw.tool_calls:  # function calling: the answer is the call's arguments
            content = json.dumps(raw.tool_calls[0]["args"])
        elif not content and raw.invalid_tool_calls:  # arguments that are not valid JSON
            content = raw.invalid_tool_calls[0].get("args") or ""
        return content, None if content.strip() else "the answer was empty"

    def _count_message(self, message: AIMessage) -> None:
        if message.response_metadata.get(CACHED):
            return
        usage = message.usage_metadata or {}
        with self._lock:
            self.usage.llm_calls += 1
            self.usage.prompt_tokens += int(usage.get("input_tokens", 0))
            self.usage.completion_tokens += int(usage.get("output_tokens", 0))

    def _count_completion(self, completion: Any) -> None:
        usage = getattr(completion, "usage", None)
        with self._lock:
            self.usage.llm_calls += 1
            self.usage.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
            self.usage.completion_tokens += getattr(usage, "completion_tokens", 0) or 0

    def _api_error(self, exc: openai.APIError) -> LLMServerError:
        """One line that says what went wrong with the server and what to check, secrets redacted."""
        where = _without_credentials(self.base_url) or "api.openai.com"
        status = getattr(exc, "status_code", None)
        summary = _message(exc)
        # The client retries only these (429, 408, 409, 5xx, timeouts, lost connections).
        retried = status in (408, 409, 429) or (status or 0) >= 500 or status is None
        retries = f" after {self.max_retries} retries" if retried and self.max_retries else ""

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
                f"the LLM server at {where} kept answering 429 (rate limit or quota){retries}"
            )
        if isinstance(exc, openai.APITimeoutError):
            return error(
                f"the LLM server at {where} did not answer within {self.timeout:g}s{retries}"
            )
        if isinstance(exc, openai.APIConnectionError):
            return error(
                f"cannot reach the LLM server at {where}{retries}; check --base-url and that the "
                "server runs, or use --engine local"
            )
        if isinstance(exc, openai.APIStatusError):
            return error(f"the LLM server at {where} failed with HTTP {status}{retries}: {summary}")
        return error(f"the LLM server at {where} failed: {summary}")

    # --- the Engine interface ---------------------------------------------------------------

    def extract_claims(self, article: Article) -> list[Claim]:
        """Claims and the source summary in two concurrent calls; each quote located in the text."""
        inputs = {"source": article.id, "article": article.body_text()[:MAX_ARTICLE_CHARS]}
        with ThreadPoolExecutor(max_workers=min(2, self.max_concurrency)) as pool:
            summary = pool.submit(self.ask, "summarize_source", SourceSummary, inputs)
            found, problem = self.ask(
                "extract_claims", ClaimList, {**inputs, "max_claims": MAX_CLAIMS}
            )
            answer, summary_problem = summary.result()
        self._summaries[article.id] = (
            answer.summary.strip()
            if answer and answer.summary.strip()
            else f"No summary: {summary_problem or 'the answer was empty'}."
        )
        if found is None:
            log.warning("no claims from %s: %s", article.id, problem)
            return []
        return claims_from(found, article)

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        """One call per 15 claims, the calls run concurrently (bounded)."""
        batches = [items[i : i + JUDGE_BATCH] for i in range(0, len(items), JUDGE_BATCH)]
        with ThreadPoolExecutor(max_workers=self.max_concurrency) as pool:
            verdicts = list(pool.map(lambda batch: self._judge_batch(batch, source), batches))
        return [v for batch in verdicts for v in batch]

    def _judge_batch(self, batch: list[Candidates], source: Article) -> list[Evidence]:
        passages = sorted(
            {(h.start, h.end): h for i in batch for h in i.hits}.values(), key=lambda h: h.start
        )
        inputs = {
            "source": source.id,
            "claims": "\n".join(f"{n}. {item.claim.text}" for n, item in enumerate(batch, 1)),
            "excerpts": "\n[...]\n".join(h.text for h in passages)
            or "(no passage is close to these claims)",
        }

        def complete(answer: Judgements) -> str | None:
            missing = set(range(1, len(batch) + 1)) - {j.claim for j in answer.judgements}
            if missing:
                return f"no judgement for claims {sorted(missing)}; give one per claim 1 to {len(batch)}"
            return None

        answer, problem = self.ask("judge_claims", Judgements, inputs, complete)
        given: dict[int, Judgement] = {}
        for judgement in answer.judgements if answer else []:
            given.setdefault(judgement.claim, judgement)
        return [
            evidence_from(given.get(n), item, source, problem) for n, item in enumerate(batch, 1)
        ]

    def summarize(self, article: Article, claims: list[Claim]) -> str:
        if article.id not in self._summaries:
            inputs = {"source": article.id, "article": article.body_text()[:MAX_ARTICLE_CHARS]}
            answer, problem = self.ask("summarize_source", SourceSummary, inputs)
            self._summaries[article.id] = (
                answer.summary.strip() if answer else f"No summary: {problem}."
            )
        return self._summaries[article.id]

    def summarize_all(self, articles: list[Article], checks: list[ClaimCheck]) -> Summary:
        """One call over the comparison's results; the deterministic summary if the answer is unusable."""
        ids = [a.id for a in articles]
        answer, problem = self.ask(
            "summarize_all",
            JointSummary,
            {"sources": ", ".join(ids), "comparison": comparison_text(checks)},
        )
        sentences, budget, used = [], word_budget(len(articles)), 0
        for point in [*answer.agreed, *answer.differences, *answer.only_one] if answer else []:
            sources = [s for s in dict.fromkeys(point.sources) if s in ids]
            text = point.text.strip()
            if not (text and sources and traceable(text, sources, checks)):
                continue  # a sentence no claim of its sources supports is the model's own
            if used + len(text.split()) <= budget:
                sentences.append(SummarySentence(text=text, sources=sources))
                used += len(text.split())
        if not sentences:
            log.warning(
                "joint summary from the comparison itself: %s", problem or "no usable point"
            )
            return LocalSummarizer().summarize_all(articles, checks)
        return Summary(text=" ".join(s.text for s in sentences), sentences=sentences)


def _without_credentials(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()


def claims_from(found: ClaimList, article: Article) -> list[Claim]:
    """Claims whose quote is in the article (repaired by fuzzy match), numbered in reading order."""
    kept: dict[tuple[int, int, str], Claim] = {}
    for item in found.claims[:MAX_CLAIMS]:
        text = " ".join(item.claim.split())
        span = locate(item.quote, article) or locate(item.claim, article)
        if not text or span is None:
            log.info(
                "dropped a claim of %s whose quote is not in it: %r", article.id, item.quote[:80]
            )
            continue
        start, end = span
        speaker = item.speaker.strip() or None if item.kind == "quote" else None
        kept.setdefault(
            (start, end, text.lower()),
            Claim(
                id="",
                source=article.id,
                text=text,
                quote=article.text[start:end],
                start=start,
                end=end,
                kind=item.kind,
                speaker=speaker,
            ),
        )
    ordered = sorted(kept.values(), key=lambda c: (c.start, c.end))
    return [c.model_copy(update={"id": f"{article.id}#{n}"}) for n, c in enumerate(ordered, 1)]


def evidence_from(
    judgement: Judgement | None, item: Candidates, source: Article, problem: str | None
) -> Evidence:
    """A verdict whose evidence is verified in the source and lies in a passage retrieved for the claim."""
    closest = round(max((h.score for h in item.hits), default=0.0), 3)
    if judgement is None:
        return Evidence(
            source=source.id,
            verdict="not_mentioned",
            score=closest,
            reason=f"not checked: {problem or 'no verdict was given for this claim'}",
        )
    reason = judgement.reason.strip() or None
    if judgement.verdict == "not_mentioned":
        return Evidence(source=source.id, verdict="not_mentioned", score=closest, reason=reason)
    span = locate(judgement.evidence, source)
    hit = _overlapping(item.hits, span) if span else None
    if span is None or hit is None:
        why = "is not in the source" if span is None else "is not near this claim's passages"
        return Evidence(
            source=source.id,
            verdict="not_mentioned",
            score=closest,
            reason=f"not checked: the evidence quoted for '{judgement.verdict}' {why}",
        )
    start, end = span
    return Evidence(
        source=source.id,
        verdict=judgement.verdict,
        quote=source.text[start:end],
        start=start,
        end=end,
        score=round(hit.score, 3),
        reason=reason,
    )


def _overlapping(hits: list[Hit], span: tuple[int, int]) -> Hit | None:
    start, end = span
    near = [h for h in hits if h.start < end and start < h.end]
    return max(near, key=lambda h: h.score, default=None)


def comparison_text(checks: list[ClaimCheck]) -> str:
    """The comparison's results as short lines: agreements, differences, single-source claims."""
    agreed, differ, alone = [], [], []
    for check in checks:
        support = [e.source for e in check.evidence if e.verdict == "supports"]
        against = [e for e in check.evidence if e.verdict == "contradicts"]
        if check.status == "agreement":
            agreed.append(f"- [{', '.join([check.source, *support])}] {check.text}")
        elif check.status == "discrepancy":
            for e in against:
                differ.append(
                    f'- {check.source} reports "{check.quote}"; {e.source} reports "{e.quote}"'
                )
        else:
            alone.append(f"- [{check.source}] ({check.kind}) {check.text}")
    parts = []
    for title, lines in (
        ("Agreements", agreed),
        ("Differences", differ),
        ("Only one source", alone),
    ):
        shown = lines[:MAX_COMPARISON_LINES] or ["- none"]
        parts.append(f"{title}:\n" + "\n".join(shown))
    return "\n\n".join(parts)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        errors = exc.errors()[:5]
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in errors)
    return f"not valid JSON ({str(exc)[:200]})"


def _message(exc: openai.APIError) -> str:
    """The server's error message, summarised: the JSON "message" when there is one, one line,
    secrets redacted, at most 200 characters (servers echo requests, headers included)."""
    body = getattr(exc, "body", None)
    text = body.get("message") if isinstance(body, dict) else None
    text = " ".join(str(text or getattr(exc, "message", exc)).split())
    text = redact(text)
    return text if len(text) <= 200 else text[:199] + "…"
