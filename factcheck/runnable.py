"""factcheck inside LangChain apps: the comparison as a Runnable, and as a Tool an agent can call."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from factcheck.api import compare
from factcheck.engines import make_engine
from factcheck.engines.base import Engine
from factcheck.errors import FactcheckError
from factcheck.ingest import article_from_text
from factcheck.models import Article, Report
from factcheck.redact import shown
from factcheck.store import Store

Source = str | Path | Article


def as_source(item: Source, n: int) -> Source:
    """An Article, a path, or a URL as is; any other string is the article's text itself."""
    if isinstance(item, Article | Path):
        return item
    if item.startswith(("http://", "https://")) or item == "-":
        return item
    if "\n" not in item and len(item) < 4096 and _is_file(item):
        return item
    return article_from_text(item, f"text{n}")


def _is_file(item: str) -> bool:
    """Whether `item` names a file; a one-line text too long for a file name is not one."""
    try:
        return Path(item).expanduser().is_file()
    except (OSError, ValueError):  # ENAMETOOLONG; a NUL byte
        return False


class FactcheckRunnable(Runnable[Sequence[Source], Report]):
    """Input: two or more articles, paths, URLs or texts (or {"sources": [...]}). Output: the Report."""

    def __init__(
        self,
        engine: str | Engine | None = None,
        *,
        model: str | None = None,
        base_url: str | None = None,
        store: Store | str | Path | None = None,
        embeddings: str | Embeddings | None = None,
    ) -> None:
        self.engine: Engine = (
            engine
            if engine is not None and not isinstance(engine, str)
            else make_engine(engine, model=model, base_url=base_url)
        )
        self.store = store
        self.embeddings = embeddings

    def invoke(
        self,
        input: Sequence[Source] | dict[str, Any],
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> Report:
        sources = input["sources"] if isinstance(input, dict) else input
        return compare(
            [as_source(s, n) for n, s in enumerate(sources, 1)],
            engine=self.engine,
            store=self.store,
            embeddings=self.embeddings,
        )


class _ToolInput(BaseModel):
    sources: list[str] = Field(
        description="Two or more news articles about one event: URLs, file paths, or the full texts."
    )


def _answer(checker: FactcheckRunnable, sources: Sequence[Source]) -> str:
    """The Tool's reply: the compact summary, or the error as text the agent can act on."""
    from factcheck.render.brief import render_brief

    try:
        return render_brief(checker.invoke(sources))
    except FactcheckError as exc:  # a bad source or one source only: the agent should hear why
        return f"error: {shown(str(exc))}"


def factcheck_tool(runnable: FactcheckRunnable | None = None) -> BaseTool:
    """A LangChain Tool: compares the articles and answers in at most 2,000 characters.

    The answer holds the counts, the neutral summary, the top discrepancies and additions; an agent's
    context is too small for the full report. Errors come back as text, never as exceptions.
    """
    checker = runnable or FactcheckRunnable()

    def run(sources: list[str]) -> str:
        return _answer(checker, sources)

    return StructuredTool.from_function(
        func=run,
        name="factcheck_compare",
        description=(
            "Compare news articles about the same event claim by claim: where they agree, "
            "where they contradict each other, and what only one source claims, with a neutral summary. "
            "Answers with the counts, the summary and the top findings (at most 2,000 characters), "
            "or with 'error: ...' when the sources cannot be compared."
        ),
        args_schema=_ToolInput,
    )
