"""One registry for the roles and the engines that bundle them; built-ins register through the plugin hook.

A plugin is a function `register(registry: Registry) -> None` exposed under the entry-point group
`factcheck.plugins` (in its pyproject: `[project.entry-points."factcheck.plugins"] name = "pkg:register"`).
It may add claim extractors, judges, summarizers and engines, exactly as `factcheck.engines.builtin` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from factcheck import plugins
from factcheck.engines.base import ClaimExtractor, Engine, Judge, Summarizer
from factcheck.errors import FactcheckError

PLUGIN_GROUP = "factcheck.plugins"
ROLES: dict[str, type] = {"extractor": ClaimExtractor, "judge": Judge, "summarizer": Summarizer}


@dataclass
class BuildOptions:
    """What the user chose (model, server) and the objects already built for this engine.

    `shared` lets roles filled by one object (the LLM engine's client) share it within one engine.
    """

    model: str | None = None
    base_url: str | None = None
    summary_words: int | None = None  # the joint summary's word limit (default: scaled by sources)
    llm_timeout: float | None = None  # seconds per LLM call, retries included (default: env or 300)
    llm_concurrency: int | None = None  # LLM calls at once (default: env or 4)
    llm_cache: bool = True  # read and write the LLM answer cache
    shared: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = build()
        return self.shared[key]


RoleFactory = Callable[[BuildOptions], Any]


@dataclass(frozen=True)
class EngineSpec:
    """An engine: which registered extractor, judge and summarizer it bundles."""

    name: str
    extractor: str
    judge: str
    summarizer: str
    description: str = ""
    name_for: Callable[[BuildOptions], str] | None = None  # the report's engine name, if not `name`


class Registry:
    """Role implementations by role and name, and engines by name."""

    def __init__(self) -> None:
        self.roles: dict[str, dict[str, RoleFactory]] = {role: {} for role in ROLES}
        self.engines: dict[str, EngineSpec] = {}

    def add_role(self, role: str, name: str, factory: RoleFactory) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
        self.roles[role][name] = factory

    def add_extractor(self, name: str, factory: RoleFactory) -> None:
        self.add_role("extractor", name, factory)

    def add_judge(self, name: str, factory: RoleFactory) -> None:
        self.add_role("judge", name, factory)

    def add_summarizer(self, name: str, factory: RoleFactory) -> None:
        self.add_role("summarizer", name, factory)

    def add_engine(self, spec: EngineSpec) -> None:
        self.engines[spec.name] = spec

    def spec(self, name: str) -> EngineSpec:
        """The named engine's spec; an unknown name is one line listing the engines."""
        if name not in self.engines:
            raise FactcheckError(
                f"unknown engine {name!r}; choose one of: {', '.join(self.engines)}"
            )
        return self.engines[name]

    def build(self, name: str, options: BuildOptions | None = None) -> Engine:
        """Build the named engine's roles; a role that does not honour its protocol is refused."""
        spec, options = self.spec(name), options or BuildOptions()
        built = {}
        for role, protocol in ROLES.items():
            wanted = getattr(spec, role)
            if wanted not in self.roles[role]:
                raise FactcheckError(f"engine {name!r} needs the {role} {wanted!r}, not registered")
            impl = self.roles[role][wanted](options)
            if not isinstance(impl, protocol):
                raise FactcheckError(
                    f"the {role} {wanted!r} does not implement {protocol.__name__}"
                )
            built[role] = impl
        label = spec.name_for(options) if spec.name_for else spec.name
        return Engine(name=label, **built)


def load_plugins(registry: Registry, found: Iterable[EntryPoint]) -> None:
    """Call every engine plugin's register(registry) (factcheck.plugins.load_plugins)."""
    plugins.load_plugins(registry, found)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The process-wide registry: built-ins first, then installed plugins (which may override)."""
    from factcheck.engines import builtin

    reg = Registry()
    builtin.register(reg)
    load_plugins(reg, entry_points(group=PLUGIN_GROUP))
    return reg
