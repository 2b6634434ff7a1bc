"""Engine selection: the local engine unless an LLM is asked for or configured."""

from __future__ import annotations

import os

from factcheck.engines.base import Engine
from factcheck.engines.registry import BuildOptions, registry

DEFAULT_ENGINE = "local"


def engine_names() -> list[str]:
    """Every registered engine (built-ins and plugins)."""
    return list(registry().engines)


def choose_engine_name(requested: str | None) -> str:
    """`requested` if given; otherwise llm when OPENAI_API_KEY is set, else local."""
    if requested:
        return requested
    return "llm" if os.environ.get("OPENAI_API_KEY") else DEFAULT_ENGINE


def make_engine(
    name: str | None = None,
    *,
    model: str | None = None,
    base_url: str | None = None,
    summary_words: int | None = None,
    llm_timeout: float | None = None,
    llm_concurrency: int | None = None,
    llm_cache: bool = True,
) -> Engine:
    """Build the engine a user asked for, with a clear error when it cannot run.

    The API, the CLI, the Runnable, the Slack bot and the evaluation runner all build engines here.
    """
    options = BuildOptions(
        model=model,
        base_url=base_url,
        summary_words=summary_words,
        llm_timeout=llm_timeout,
        llm_concurrency=llm_concurrency,
        llm_cache=llm_cache,
    )
    return registry().build(choose_engine_name(name), options)
