"""Report renderers: one function per format, each Report -> str."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.models import Report
from factcheck.render.json import render_json
from factcheck.render.markdown import render_markdown
from factcheck.render.terminal import render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "json": render_json,
    "markdown": render_markdown,
    "text": render_text,
}
