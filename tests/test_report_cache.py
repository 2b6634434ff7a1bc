"""A comparison already made is read back, and only when nothing it depends on has changed."""

from __future__ import annotations

from pathlib import Path

import pytest

import factcheck.api as api
from factcheck import article_from_text, compare
from factcheck import report_cache as report_cache_module

A = "The council approved the new bridge on Friday. It will cost 40 million dollars, the mayor said."
B = "On Friday the council approved the bridge, which the mayor said will cost 55 million dollars."


@pytest.fixture
def articles():
    return [article_from_text(A, "a"), article_from_text(B, "b")]


def forbid_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the comparison was recomputed")

    monkeypatch.setattr(api, "check", refuse)


def test_the_same_comparison_is_read_back(tmp_path: Path, articles, monkeypatch) -> None:
    first = compare(articles, engine="local", store=tmp_path)
    forbid_checking(monkeypatch)
    again = compare(articles, engine="local", store=tmp_path)
    assert again.claims == first.claims and again.summary == first.summary
    assert list((tmp_path / "reports").glob("*.json"))


@pytest.mark.parametrize(
    "change",
    ["summary", "engine", "article", "code", "no-reuse"],
)
def test_any_change_recomputes(tmp_path: Path, articles, monkeypatch, change: str) -> None:
    compare(articles, engine="local", store=tmp_path)
    calls = []
    real = api.check
    monkeypatch.setattr(api, "check", lambda *a, **k: calls.append(1) or real(*a, **k))
    kwargs = {"engine": "local", "store": tmp_path}
    sources = articles
    if change == "summary":
        kwargs["summary_words"] = 30
    elif change == "engine":
        kwargs["engine"] = "local-rules"
    elif change == "article":
        sources = [articles[0], article_from_text(B.replace("55", "65"), "b")]
    elif change == "code":
        monkeypatch.setattr(report_cache_module, "code_version", lambda: "0.1.0+edited")
    else:
        kwargs["reuse"] = False
    compare(sources, **kwargs)
    assert calls == [1]


def test_an_unreadable_cached_report_is_recomputed(tmp_path: Path, articles) -> None:
    first = compare(articles, engine="local", store=tmp_path)
    for path in (tmp_path / "reports").glob("*.json"):
        path.write_text("{not json")
    assert compare(articles, engine="local", store=tmp_path).claims == first.claims


def test_engine_objects_and_store_objects_are_never_cached(tmp_path: Path, articles) -> None:
    from factcheck.engines.fake import MemoryStore, fake_engine

    compare(articles, engine=fake_engine(), store=MemoryStore())
    compare(articles, engine="local", store=api_store(tmp_path))
    assert not (tmp_path / "reports").exists()


def api_store(folder: Path):
    from factcheck.store import Store

    return Store(folder)
