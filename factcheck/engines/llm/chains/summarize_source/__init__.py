"""The source-summary chain: one article's numbered sentences in, a neutral summary out.

Run only when a report needs the per-source summaries (`factcheck compare`), never with claim
extraction (`factcheck eval` does not use them).
"""

from __future__ import annotations

from typing import Any

from factcheck.engines.llm.chains import Chain
from factcheck.engines.llm.chains.summarize_source.schema import SourceSummary
from factcheck.engines.llm.text import Numbered, escape, is_placeholder, lines, within
from factcheck.models import Article

CHAIN = Chain("summarize_source", SourceSummary)
MAX_ARTICLE_CHARS = 24_000
MAX_TOKENS = 400  # four sentences

__all__ = ["CHAIN", "SourceSummary", "check", "request"]


def request(article: Article, sentences: list[Numbered]) -> dict[str, Any]:
    return {
        "inputs": {
            "source": escape(article.id),
            "sentences": lines(within(sentences, MAX_ARTICLE_CHARS)),
        },
        "max_tokens": MAX_TOKENS,
    }


def check(answer: SourceSummary) -> str | None:
    if is_placeholder(answer.summary):
        return "the summary is empty or a placeholder; write the summary itself"
    return None
