"""factcheck: where news sources agree, contradict each other, or add what no other source supports."""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

# onnxruntime writes a device id and queues telemetry events under the user's cache dir at import
# unless this is set first; factcheck sends nothing anywhere.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

# The public names and the module each lives in: imported on first use, so `factcheck --help` and
# a user error do not pay for LangChain, Chroma and the models.
_EXPORTS = {
    "Article": "factcheck.models",
    "ClaimCheck": "factcheck.models",
    "Evidence": "factcheck.models",
    "FactcheckError": "factcheck.errors",
    "Report": "factcheck.models",
    "article_from_text": "factcheck.ingest",
    "compare": "factcheck.api",
    "compare_with_articles": "factcheck.api",
    "load_article": "factcheck.ingest",
    "load_articles": "factcheck.ingest",
}
__all__ = [
    "Article",
    "ClaimCheck",
    "Evidence",
    "FactcheckError",
    "Report",
    "article_from_text",
    "compare",
    "compare_with_articles",
    "load_article",
    "load_articles",
]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from factcheck.api import compare, compare_with_articles
    from factcheck.errors import FactcheckError
    from factcheck.ingest import article_from_text, load_article, load_articles
    from factcheck.models import Article, ClaimCheck, Evidence, Report


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'factcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
