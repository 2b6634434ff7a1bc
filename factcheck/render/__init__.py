"""Output formats of a comparison, by name: `renderers().get("html").render(comparison)`, or `render()`.

Every format, built in or from a plugin, is a `Renderer` in one registry (factcheck.render.registry);
status words and icons come from factcheck.render.statuses.
"""

from __future__ import annotations

from factcheck.models import Report
from factcheck.render.base import Comparison, Renderer, RenderOptions, ReportOnly, as_comparison
from factcheck.render.registry import RendererRegistry, renderers

__all__ = [
    "Comparison",
    "RenderOptions",
    "Renderer",
    "RendererRegistry",
    "ReportOnly",
    "as_comparison",
    "render",
    "renderers",
]


def render(subject: Comparison | Report, format: str = "text", **options: object) -> str:
    """`subject` in the named format; options (color, width, show) as in RenderOptions."""
    return renderers().get(format).render(subject, RenderOptions(**options))  # type: ignore[arg-type]
