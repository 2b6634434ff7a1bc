"""The bundled output formats, registered the way a plugin registers its own."""

from __future__ import annotations

import json

from factcheck.render.base import Comparison, Renderer, RenderOptions
from factcheck.render.brief import render_brief
from factcheck.render.html import render_html
from factcheck.render.json import render_json
from factcheck.render.markdown import render_markdown
from factcheck.render.registry import RendererRegistry
from factcheck.render.slack import render_blocks, render_fallback
from factcheck.render.terminal import render_text


def _text(c: Comparison, o: RenderOptions) -> str:
    return render_text(c.report, c.articles, color=o.color, width=o.width, show=o.show)


def _slack(c: Comparison, o: RenderOptions) -> str:
    """A chat.postMessage payload: the notification text and the Block Kit blocks."""
    payload = {"text": render_fallback(c.report), "blocks": render_blocks(c.report)}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def register(registry: RendererRegistry) -> None:
    """Add text, json, markdown, html, slack and brief."""
    for renderer in (
        Renderer("text", _text, (".txt",), "text/plain", "the terminal view"),
        Renderer(
            "json",
            lambda c, o: render_json(c.report),
            (".json",),
            "application/json",
            "the report contract (schema_version 1)",
        ),
        Renderer(
            "markdown",
            lambda c, o: render_markdown(c.report),
            (".md", ".markdown"),
            "text/markdown",
            "every claim with its evidence",
        ),
        Renderer(
            "html",
            lambda c, o: render_html(c.report, c.articles),
            (".html", ".htm"),
            "text/html",
            "the articles side by side, every claim highlighted",
        ),
        Renderer("slack", _slack, (), "application/json", "Slack Block Kit message (JSON)"),
        Renderer(
            "brief",
            lambda c, o: render_brief(c.report),
            (),
            "text/plain",
            "at most 2,000 characters: counts, findings, summary",
        ),
    ):
        registry.add(renderer)
