"""The LLM engine: LangChain chains on any OpenAI-compatible chat API, batched, cached and checked.

- `client`: settings, auth, base URL, the deadline of a call, retries, errors (LLMServerError);
- `structured`: the structured-output method per server, validation, one retry, the cache;
- `cache`: validated answers only, size-capped, keyed by prompt version;
- `chains/NAME/`: each chain's schema.py and the code that reads its answers (its prompt is the
  top-level prompts/NAME.md, shipped in the wheel);
- `text`: numbered, escaped sentences and the checks on answers;
- `engine`: LLMEngine, the three roles.
"""

from __future__ import annotations

from factcheck.engines.llm.cache import AnswerCache, clear_cache, default_cache_path
from factcheck.engines.llm.chains.extract_claims import MAX_CLAIMS, ClaimList, ExtractedClaim
from factcheck.engines.llm.chains.extract_claims import claims_from as _claims_from
from factcheck.engines.llm.chains.judge_claims import (
    JUDGE_BATCH,
    Judgement,
    Judgements,
    evidence_from,
)
from factcheck.engines.llm.chains.summarize_all import comparison_text
from factcheck.engines.llm.client import DEFAULT_MODEL, DEFAULT_TIMEOUT
from factcheck.engines.llm.engine import LLMEngine
from factcheck.engines.llm.structured import AUTO, METHODS
from factcheck.engines.llm.text import numbered_sentences
from factcheck.models import Article, Claim

__all__ = [
    "AUTO",
    "DEFAULT_MODEL",
    "DEFAULT_TIMEOUT",
    "JUDGE_BATCH",
    "MAX_CLAIMS",
    "METHODS",
    "AnswerCache",
    "ClaimList",
    "ExtractedClaim",
    "Judgement",
    "Judgements",
    "LLMEngine",
    "claims_from",
    "clear_cache",
    "comparison_text",
    "default_cache_path",
    "evidence_from",
]


def claims_from(found: ClaimList, article: Article, sentences=None) -> list[Claim]:
    """Claims whose sentence exists and is what they are about (see chains/extract_claims)."""
    return _claims_from(found, article, sentences or numbered_sentences(article))
