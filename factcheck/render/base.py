"""What every output format is: a named function of a comparison (the report and its articles) to text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from factcheck.models import Article, Report

SHORT = "short"  # the terminal's default view: the findings, not every claim


class Comparison(Protocol):
    """A report and the articles it was made from, as factcheck.api.Comparison (kept light here)."""

    @property
    def report(self) -> Report: ...

    @property
    def articles(self) -> Sequence[Article]: ...


@dataclass(frozen=True)
class ReportOnly:
    """A comparison whose article texts are not at hand: views that need them say so."""

    report: Report
    articles: Sequence[Article] = ()


@dataclass(frozen=True)
class RenderOptions:
    """Choices of the reader; a format ignores those it has no use for (only the terminal view has all)."""

    color: bool = False  # ANSI colour (only when writing to a terminal)
    width: int = 100  # terminal columns
    show: str = SHORT  # "short", "all", or one status's --show word ("discrepancies", ...)


RenderFunction = Callable[[Comparison, RenderOptions], str]


@dataclass(frozen=True)
class Renderer:
    """One output format: built-ins and plugins register these in the same registry, by name."""

    name: str
    function: RenderFunction
    suffixes: tuple[str, ...] = ()  # file name suffixes that choose this format for --out
    media_type: str = "text/plain"
    description: str = ""

    def render(self, comparison: Comparison | Report, options: RenderOptions | None = None) -> str:
        """The comparison in this format; a bare Report is a comparison without article texts."""
        return self.function(as_comparison(comparison), options or RenderOptions())


def as_comparison(subject: Comparison | Report) -> Comparison:
    """A Report alone is enough for every view but those that show the full texts (html)."""
    return ReportOnly(subject) if isinstance(subject, Report) else subject
