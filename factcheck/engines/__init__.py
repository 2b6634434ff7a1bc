"""Engine selection: the local engine unless an LLM is asked for or configured."""

from __future__ import annotations

import os

from factcheck.engines.base import Engine
from factcheck.errors import FactcheckError

ENGINES = ("local", "llm")


def choose_engine_name(requested: str | None) -> str:
    """`requested` if given; otherwise llm when OPENAI_API_KEY is set, else local."""
    if requested:
        if requested not in ENGINES:
            raise FactcheckError(
                f"unknown engine {requested!r}; choose one of: {', '.join(ENGINES)}"
            )
        return requested
    return "llm" if os.environ.get("OPENAI_API_KEY") and _llm_available() else "local"


def _llm_available() -> bool:
    try:
        import factcheck.engines.llm  # noqa: F401
    except ImportError:
        return False
    return True


def make_engine(
    name: str | None = None, *, model: str | None = None, base_url: str | None = None
) -> Engine:
    """Build the engine a user asked for, with a clear error when it cannot run."""
    chosen = choose_engine_name(name)
    if chosen == "local":
        from factcheck.engines.local import LocalEngine

        return LocalEngine()
    if not _llm_available():
        raise FactcheckError("the LLM engine is not part of this version yet; use --engine local")
    from factcheck.engines.llm import LLMEngine  # type: ignore[import-not-found]

    return LLMEngine(model=model, base_url=base_url)
