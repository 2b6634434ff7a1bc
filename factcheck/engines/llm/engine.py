"""LLMEngine: the claim extractor, the judge and the summarizer on one OpenAI-compatible model.

Calls per comparison: one per source for its claims; one per 15 claims per other source for the
verdicts (concurrent, bounded); one per source for its summary, only when the report asks for it;
one for the joint summary, only when some claim is supported or contradicted by another source.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from factcheck.engines.base import Candidates, Usage
from factcheck.engines.llm import chains
from factcheck.engines.llm.cache import AnswerCache
from factcheck.engines.llm.chains import (
    extract_claims,
    judge_claims,
    summarize_all,
    summarize_source,
)
from factcheck.engines.llm.client import (
    CONCURRENCY_ENV,
    DEFAULT_CONCURRENCY,
    DEFAULT_MODEL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    TIMEOUT_ENV,
    Client,
    number_setting,
    without_credentials,
)
from factcheck.engines.llm.structured import AUTO, Structured
from factcheck.engines.llm.text import Numbered, numbered_sentences
from factcheck.errors import FactcheckError
from factcheck.models import Article, Claim, ClaimCheck, Evidence, Summary, SummarySentence
from factcheck.store import CHUNK
from factcheck.summary import LocalSummarizer, traceable, word_budget

log = logging.getLogger(__name__)

METHOD_ENV = "FACTCHECK_STRUCTURED_METHOD"


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
        max_concurrency: int | None = None,
        max_retries: int = DEFAULT_RETRIES,
        timeout: float | None = None,
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
        self.method = method or os.environ.get(METHOD_ENV) or AUTO
        self.timeout = number_setting(
            timeout, TIMEOUT_ENV, DEFAULT_TIMEOUT, low=0.1, high=86_400, what="--timeout (seconds)"
        )
        self.max_concurrency = int(
            number_setting(
                max_concurrency,
                CONCURRENCY_ENV,
                DEFAULT_CONCURRENCY,
                low=1,
                high=64,
                what="--concurrency (calls at once)",
            )
        )
        self.max_retries = max_retries
        self.name = f"llm:{self.model}"
        self.cache = None if cache is False else AnswerCache(None if cache is True else cache)
        self.client = Client(
            self.model, self.base_url, key, timeout=self.timeout, max_retries=max_retries
        )
        self.structured = Structured(self.client, self.cache, self.method)
        self._lock = threading.Lock()
        self._sentences: dict[str, list[Numbered]] = {}
        self._summaries: dict[str, str] = {}

    @property
    def usage(self) -> Usage:
        """Calls the server answered and their tokens (a cached answer costs none)."""
        return self.client.usage

    def settings(self) -> dict[str, Any]:
        """Model, server (without credentials) and output method: what changes the answers."""
        return {
            "model": self.model,
            "base_url": without_credentials(self.base_url),
            "method": self.method,
        }

    def chain(self, name: str) -> chains.Chain:
        """A chain by name (its folder under factcheck/engines/llm/chains/)."""
        return {
            "extract_claims": extract_claims.CHAIN,
            "judge_claims": judge_claims.CHAIN,
            "summarize_source": summarize_source.CHAIN,
            "summarize_all": summarize_all.CHAIN,
        }[name]

    def sentences(self, article: Article) -> list[Numbered]:
        """The article's numbered sentences (spaCy runs in the caller's thread, once per text)."""
        with self._lock:
            if article.sha256 not in self._sentences:
                self._sentences[article.sha256] = numbered_sentences(article)
            return self._sentences[article.sha256]

    # --- the Engine interface ---------------------------------------------------------------

    def extract_claims(self, article: Article) -> list[Claim]:
        """One call: the article's claims, each on the sentence it names, quoted exactly."""
        sentences = self.sentences(article)
        if not sentences:
            return []
        asked = extract_claims.request(article, sentences)
        found, problem = self.structured.ask(
            extract_claims.CHAIN,
            asked["inputs"],
            schema=asked["schema"],
            max_tokens=asked["max_tokens"],
            check=lambda answer: extract_claims.check(answer, sentences),
        )
        if found is None:
            log.warning("no claims from %s: %s", article.id, problem)
            return []
        return extract_claims.claims_from(found, article, sentences)

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        """One call per 15 claims, the calls run concurrently (bounded)."""
        sentences = self.sentences(source)
        size = judge_claims.JUDGE_BATCH
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        with ThreadPoolExecutor(max_workers=self.max_concurrency) as pool:
            verdicts = list(
                pool.map(lambda batch: self._judge_batch(batch, source, sentences), batches)
            )
        return [v for batch in verdicts for v in batch]

    def _judge_batch(
        self, batch: list[Candidates], source: Article, sentences: list[Numbered]
    ) -> list[Evidence]:
        shown = judge_claims.shown_sentences(batch, sentences)
        asked = judge_claims.request(batch, source, shown)
        answer, problem = self.structured.ask(
            judge_claims.CHAIN,
            asked["inputs"],
            schema=asked["schema"],
            max_tokens=asked["max_tokens"],
            check=lambda answer: judge_claims.complete(answer, len(batch)),
        )
        given: dict[int, judge_claims.Judgement] = {}
        for judgement in answer.judgements if answer else []:
            given.setdefault(judgement.claim, judgement)
        return [
            judge_claims.evidence_from(given.get(n), item, source, problem, shown)
            for n, item in enumerate(batch, 1)
        ]

    def summarize(self, article: Article, claims: list[Claim]) -> str:
        """The source's neutral summary: one call, made only when a report asks for it."""
        if article.id not in self._summaries:
            sentences = self.sentences(article)
            asked = summarize_source.request(article, sentences)
            answer, problem = self.structured.ask(
                summarize_source.CHAIN,
                asked["inputs"],
                max_tokens=asked["max_tokens"],
                check=summarize_source.check,
            )
            usable = answer is not None and summarize_source.check(answer) is None
            self._summaries[article.id] = (
                " ".join(answer.summary.split())
                if usable
                else f"No summary: {problem or 'the answer was empty'}."
            )
        return self._summaries[article.id]

    def summarize_all(self, articles: list[Article], checks: list[ClaimCheck]) -> Summary:
        """One call over the comparison's results when the sources have something in common;
        the deterministic summary when they do not, or when the answer is unusable."""
        if not summarize_all.worth_a_call(checks):
            return LocalSummarizer().summarize_all(articles, checks)
        ids = [a.id for a in articles]
        asked = summarize_all.request(articles, checks)
        answer, problem = self.structured.ask(
            summarize_all.CHAIN, asked["inputs"], max_tokens=asked["max_tokens"]
        )
        sentences, budget, used = [], word_budget(len(articles)), 0
        for point in [*answer.agreed, *answer.differences, *answer.only_one] if answer else []:
            sources = [s for s in dict.fromkeys(point.sources) if s in ids]
            text = " ".join(point.text.split())
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
