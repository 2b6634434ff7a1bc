"""factcheck: where news sources agree, contradict each other, or add what no other source supports."""

import os

# onnxruntime writes a device id and queues telemetry events under the user's cache dir at import
# unless this is set first; factcheck sends nothing anywhere.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from factcheck.api import compare, compare_with_articles
from factcheck.errors import FactcheckError
from factcheck.ingest import article_from_text, load_article, load_articles
from factcheck.models import Article, ClaimCheck, Evidence, Report

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
