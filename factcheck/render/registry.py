"""One registry of output formats; the built-ins register through the same hook a plugin uses.

A plugin is a function `register(registry: RendererRegistry) -> None` exposed under the entry-point
group `factcheck.renderers` (in its pyproject:
`[project.entry-points."factcheck.renderers"] name = "pkg:register"`); it calls `registry.add(Renderer(...))`,
exactly as `factcheck.render.builtin` does. Engines use the separate group `factcheck.plugins`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points

from factcheck import plugins
from factcheck.errors import FactcheckError
from factcheck.render.base import Renderer

PLUGIN_GROUP = "factcheck.renderers"


class RendererRegistry:
    """Renderers by format name, in the order they were added (a later one of the same name wins)."""

    def __init__(self) -> None:
        self.renderers: dict[str, Renderer] = {}

    def add(self, renderer: Renderer) -> None:
        self.renderers[renderer.name] = renderer

    def names(self) -> list[str]:
        return list(self.renderers)

    def get(self, name: str) -> Renderer:
        """The named format; an unknown name is a one-line error listing the valid ones."""
        if name not in self.renderers:
            raise FactcheckError(
                f"unknown format {name!r}; choose one of: {', '.join(self.names())}"
            )
        return self.renderers[name]

    def for_suffix(self, suffix: str) -> Renderer | None:
        """The format whose files end in `suffix` (".html"), case-insensitively; None if none does."""
        wanted = suffix.lower()
        for renderer in reversed(self.renderers.values()):  # a plugin added later wins
            if wanted in (s.lower() for s in renderer.suffixes):
                return renderer
        return None


def load_plugins(registry: RendererRegistry, found: Iterable[EntryPoint]) -> None:
    """Call every renderer plugin's register(registry) (factcheck.plugins.load_plugins)."""
    plugins.load_plugins(registry, found, kind="renderer plugin")


@lru_cache(maxsize=1)
def renderers() -> RendererRegistry:
    """The process-wide registry: built-ins first, then installed plugins (which may override)."""
    from factcheck.render import builtin

    reg = RendererRegistry()
    builtin.register(reg)
    load_plugins(reg, entry_points(group=PLUGIN_GROUP))
    return reg
