"""One registry of output formats: every built-in by name, suffixes, plugins, and shared status words."""

from __future__ import annotations

import json

import pytest

from factcheck import article_from_text, compare_with_articles
from factcheck.api import Comparison
from factcheck.engines.fake import MemoryStore, fake_engine
from factcheck.errors import FactcheckError
from factcheck.render import Renderer, RendererRegistry, builtin, render, renderers
from factcheck.render.registry import load_plugins
from factcheck.render.statuses import ORDER, STATUS_WORDS, noun, tally
from tests.render_data import many_claims

BUILTINS = ("text", "json", "markdown", "html", "slack", "brief")


@pytest.fixture(scope="module")
def compared() -> Comparison:
    return many_claims(shared=5, only_a=4, only_b=2)


@pytest.fixture(scope="module")
def one_each() -> Comparison:
    """Exactly 1 agreement, 1 discrepancy and 2 unsupported additions."""
    a = "Official 0 said the council met in hall 0 on Friday morning. The bridge will cost 40 million dollars."
    b = (
        "Official 0 said the council met in hall 0 on Friday morning after the vote was delayed "
        "twice. The bridge will cost 55 million dollars, the mayor's office said on Tuesday."
    )
    return compare_with_articles(
        [article_from_text(a, "alpha"), article_from_text(b, "beta")],
        engine=fake_engine({"40 million": "contradicts"}),
        store=MemoryStore(),
    )


def test_every_builtin_format_is_reachable_by_name(compared: Comparison) -> None:
    registry = renderers()
    assert set(BUILTINS) <= set(registry.names())
    outputs = {name: registry.get(name).render(compared) for name in BUILTINS}
    assert all(isinstance(out, str) and out.strip() for out in outputs.values())
    assert json.loads(outputs["json"])["schema_version"] == "1"
    assert outputs["markdown"].startswith("# Fact-check report")
    assert outputs["html"].startswith("<!DOCTYPE html>")
    slack = json.loads(outputs["slack"])
    assert slack["blocks"][0]["type"] == "header" and "discrepanc" in slack["text"]
    assert "Sources: alpha, beta" in outputs["text"]
    assert len(outputs["brief"]) <= 2000


def test_unknown_format_is_one_error_naming_the_valid_ones() -> None:
    with pytest.raises(FactcheckError, match=r"unknown format 'pdf'; choose one of: text, json"):
        renderers().get("pdf")


def test_a_bare_report_renders_except_where_the_texts_are_needed(compared: Comparison) -> None:
    assert render(compared.report, "markdown").startswith("# Fact-check report")
    with pytest.raises(FactcheckError, match="needs the text of every source"):
        render(compared.report, "html")


@pytest.mark.parametrize(
    ("suffix", "name"),
    [(".html", "html"), (".HTM", "html"), (".json", "json"), (".md", "markdown"), (".txt", "text")],
)
def test_file_suffixes_choose_formats(suffix: str, name: str) -> None:
    found = renderers().for_suffix(suffix)
    assert found is not None and found.name == name


def test_an_unclaimed_suffix_chooses_nothing() -> None:
    assert renderers().for_suffix(".pdf") is None


class _EntryPoint:
    """Stands in for an installed package's `factcheck.renderers` entry point."""

    def __init__(self, name: str, target) -> None:
        self.name, self.target = name, target

    def load(self):
        return self.target


def test_a_plugin_registers_a_renderer_as_the_builtins_do(compared: Comparison) -> None:
    def register(registry: RendererRegistry) -> None:
        registry.add(
            Renderer(
                "csv",
                lambda c, o: "\n".join(f"{x.id},{x.status}" for x in c.report.claims),
                (".csv",),
                "text/csv",
            )
        )

    registry = RendererRegistry()
    builtin.register(registry)
    load_plugins(registry, [_EntryPoint("csv-plugin", register)])  # type: ignore[list-item]
    assert registry.names()[-1] == "csv" and registry.for_suffix(".csv").name == "csv"  # type: ignore[union-attr]
    assert registry.get("csv").render(compared).splitlines()[0].endswith(",discrepancy")


def test_a_broken_plugin_is_named() -> None:
    def register(registry: RendererRegistry) -> None:
        raise RuntimeError("boom")

    with pytest.raises(FactcheckError, match="'bad' failed: boom"):
        load_plugins(RendererRegistry(), [_EntryPoint("bad", register)])  # type: ignore[list-item]


def test_status_words_are_defined_once_in_severity_order() -> None:
    assert ORDER == ("discrepancy", "unsupported", "agreement")
    assert [STATUS_WORDS[s].icon for s in ORDER] == ["≠", "+", "✓"]
    assert noun(1, "agreement") == "1 agreement" and noun(0, "agreement") == "0 agreements"
    assert noun(1, "unsupported") == "1 unsupported addition"


def test_counts_are_singular_for_one_in_every_format(one_each: Comparison) -> None:
    stats = one_each.report.stats
    assert (stats.agreement, stats.discrepancy, stats.unsupported) == (1, 1, 2)
    assert tally(stats) == "1 discrepancy, 2 unsupported additions, 1 agreement"
    for name in ("text", "markdown", "slack", "brief"):
        out = " ".join(render(one_each, name).split())
        assert "1 agreement" in out or "*1* agreement" in out, name
        for wrong in ("1 agreements", "1 discrepancies", "*1* agreements", "*1* discrepancies"):
            assert wrong not in out, (name, wrong)
    page = render(one_each, "html")
    assert "1 agreement<" in page and "1 agreements" not in page
    assert ">agreement</span>" in page  # the count button: 1 agreement
