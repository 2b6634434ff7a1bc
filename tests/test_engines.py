"""Engine roles and the registry: built-ins and plugins register alike; every judge honours the contract."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from factcheck import article_from_text, compare
from factcheck.engines import engine_names, make_engine
from factcheck.engines.base import Candidates, ClaimExtractor, Engine, Judge, Summarizer
from factcheck.engines.fake import FakeJudge, MemoryStore, fake_engine
from factcheck.engines.fake import register as register_fakes
from factcheck.engines.registry import EngineSpec, Registry, load_plugins, registry
from factcheck.errors import FactcheckError
from factcheck.store import Hit

A = "The storm killed 12 people on Saturday. The mayor declared an emergency. Schools stayed shut."
B = "Officials said the storm killed 12 people on Saturday. Power was cut to 4,000 homes."
C = "The storm killed 30 people on Saturday, rescuers said. The mayor declared an emergency."


def test_built_in_engines_are_registered_and_built_by_one_function():
    assert {"local", "local-rules", "llm"} <= set(engine_names())
    engine = make_engine("local")
    assert engine.name == "local"
    assert isinstance(engine.extractor, ClaimExtractor)
    assert isinstance(engine.judge, Judge)
    assert isinstance(engine.summarizer, Summarizer)
    assert type(engine.judge).__name__ == "NLIJudge"
    assert type(make_engine("local-rules").judge).__name__ == "RulesJudge"


def test_an_unknown_engine_is_one_clear_error():
    with pytest.raises(FactcheckError, match="unknown engine 'nope'; choose one of: local"):
        make_engine("nope")


def entry_point(name: str, register) -> SimpleNamespace:
    return SimpleNamespace(name=name, load=lambda: register)


def test_a_plugin_adds_a_judge_and_an_engine_through_the_same_hook():
    reg = Registry()
    from factcheck.engines import builtin

    builtin.register(reg)

    def register(r: Registry) -> None:
        r.add_judge("always-supports", lambda options: FakeJudge(script={"": "supports"}))
        r.add_engine(EngineSpec("mine", "local", "always-supports", "local"))

    load_plugins(reg, [entry_point("mine", register)])
    engine = reg.build("mine")
    assert engine.name == "mine" and engine.judge.script == {"": "supports"}


def test_a_broken_plugin_is_named_in_one_line():
    def register(r: Registry) -> None:
        raise RuntimeError("boom")

    with pytest.raises(FactcheckError, match="plugin 'bad' failed: boom"):
        load_plugins(Registry(), [entry_point("bad", register)])


def test_a_role_that_breaks_its_protocol_is_refused():
    reg = Registry()
    register_fakes(reg)
    reg.add_judge("half", lambda options: object())
    reg.add_engine(EngineSpec("half", "fake", "half", "fake"))
    with pytest.raises(FactcheckError, match="does not implement Judge"):
        reg.build("half")


def test_the_process_registry_builds_the_fakes_registered_as_a_plugin_would():
    register_fakes(registry())
    assert make_engine("fake").name == "fake"


def test_usage_counts_an_object_filling_several_roles_once():
    class Client(FakeJudge):
        name = "client"

        def extract_claims(self, article):
            return []

        def summarize(self, article, claims):
            return ""

        def summarize_all(self, articles, checks):
            return None

    client = Client()
    client.usage.llm_calls = 3
    assert Engine.whole(client).usage.llm_calls == 3


# --- the checker with the fakes: no spaCy, no embedding model, no Chroma ------------------------


def test_status_rules_with_three_sources_and_a_scripted_judge():
    a, b, c = (article_from_text(t, i) for t, i in ((A, "a"), (B, "b"), (C, "c")))
    engine = fake_engine({"killed 30": "contradicts"})
    report = compare([a, b, c], engine=engine, store=MemoryStore())
    by_text = {(cl.source, cl.text): cl for cl in report.claims}
    killed_a = by_text[("a", "The storm killed 12 people on Saturday.")]
    assert sorted(e.source for e in killed_a.evidence) == ["b", "c"]
    assert killed_a.status == "agreement"  # b supports; the fake judge gives c not_mentioned
    assert by_text[("c", "The storm killed 30 people on Saturday, rescuers said.")].status == (
        "discrepancy"
    )
    assert by_text[("b", "Power was cut to 4,000 homes.")].status == "unsupported"
    assert report.stats.claims == len(report.claims) == 7
    assert engine.judge.calls == [3, 3, 2, 2, 2, 2]  # one batch per claim source and other source


def test_every_quote_of_the_fake_run_is_the_text_it_points_at():
    a, b = article_from_text(A, "a"), article_from_text(B, "b")
    report = compare([a, b], engine=fake_engine(), store=MemoryStore())
    texts = {"a": a.text, "b": b.text}
    for claim in report.claims:
        assert texts[claim.source][claim.start : claim.end] == claim.quote
        for ev in claim.evidence:
            if ev.quote is not None:
                assert texts[ev.source][ev.start : ev.end] == ev.quote


# --- the contract every registered judge honours ----------------------------------------------

OFFLINE_JUDGES = sorted(n for n in registry().roles["judge"] if n != "llm")


@pytest.mark.parametrize("name", OFFLINE_JUDGES)
def test_every_judge_gives_one_verdict_per_item_in_order_quoting_the_source(name):
    """The LLM judge honours the same contract in tests/test_llm_replay.py (it needs a server)."""
    register_fakes(registry())
    judge = registry().roles["judge"][name](SimpleNamespace(model=None, base_url=None, shared={}))
    source = article_from_text(B, "b")
    claims = make_engine("fake").extractor.extract_claims(article_from_text(A, "a"))
    store = MemoryStore()
    store.add_article(source)
    items = [Candidates(c, store.search(c.text, source, k=judge.evidence_k)) for c in claims]
    items.append(Candidates(claims[0], []))  # nothing retrieved: still one verdict
    verdicts = judge.judge(items, source)
    assert len(verdicts) == len(items)
    assert all(v.source == "b" for v in verdicts)
    assert verdicts[-1].verdict == "not_mentioned"
    for v in verdicts:
        assert v.verdict in ("supports", "contradicts", "not_mentioned")
        if v.verdict != "not_mentioned":
            assert v.quote == source.text[v.start : v.end]
    assert verdicts[0].verdict == "supports"  # "killed 12 people on Saturday" is in b
    assert isinstance(judge.settings(), dict)


def test_hits_in_the_fake_store_point_into_the_text():
    source = article_from_text(B, "b")
    store = MemoryStore()
    store.add_article(source)
    for hit in store.search("storm", source):
        assert isinstance(hit, Hit) and source.text[hit.start : hit.end] == hit.text
