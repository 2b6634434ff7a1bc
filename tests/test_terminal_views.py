"""The terminal view: short by default, every claim with --show all, claims nested under their sentence."""

from __future__ import annotations

import pytest

from factcheck import article_from_text
from factcheck.api import Comparison
from factcheck.errors import FactcheckError
from factcheck.models import ClaimCheck, Evidence, Report, SourceInfo, Stats, Summary
from factcheck.render import ReportOnly, render
from factcheck.render.sentences import group_by_sentence, sentence_spans
from factcheck.render.terminal import TOP_UNSUPPORTED, check_show
from tests.render_data import COST_A, COST_B, many_claims

WIDE = 1000  # no wrapping, so every quote stays on one line


@pytest.fixture(scope="module")
def compared() -> Comparison:
    return many_claims()


def lines(text: str) -> list[str]:
    return text.rstrip("\n").splitlines()


def test_default_view_is_short_however_many_claims(compared: Comparison) -> None:
    report = compared.report
    assert report.stats.claims > 100
    short = render(compared, "text")
    assert len(lines(short)) <= 30
    assert COST_A in short and COST_B in short  # every discrepancy
    assert short.count("Resident ") == TOP_UNSUPPORTED  # the top unsupported additions only
    assert "Official " not in short  # no agreements
    hint = lines(short)[-1]
    assert (
        hint == "Not shown: 35 more unsupported additions, 80 agreements; see them with --show all"
    )


def test_show_all_lists_every_claim(compared: Comparison) -> None:
    full = render(compared, "text", show="all", width=WIDE)
    assert all(claim.quote in full for claim in compared.report.claims)
    assert "Not shown" not in full
    assert len(lines(full)) > len(compared.report.claims)


def test_show_discrepancies_lists_only_discrepancies(compared: Comparison) -> None:
    view = render(compared, "text", show="discrepancies", width=WIDE)
    assert COST_A in view and COST_B in view
    assert "Resident " not in view and "Official " not in view and "Shopkeeper " not in view
    assert "ONLY HERE" not in view and "AGREES" not in view


def test_show_agreements_lists_only_agreements(compared: Comparison) -> None:
    view = render(compared, "text", show="agreements", width=WIDE)
    assert view.count("✓ AGREES · 80 agreements") == 1
    assert "Resident " not in view and "million" not in view


def test_an_unknown_view_is_one_error() -> None:
    with pytest.raises(FactcheckError, match="choose one of: short, all, discrepancies"):
        check_show("everything")


def test_colour_only_when_asked(compared: Comparison) -> None:
    assert "\x1b[" not in render(compared, "text")
    assert "\x1b[" in render(compared, "text", color=True)


TEXT = "The council met on Friday and approved the bridge. Mr. Smith objected.\n\nResidents cheered"


def claim(cid: str, quote: str, status: str = "unsupported") -> ClaimCheck:
    start = TEXT.index(quote)
    return ClaimCheck(
        id=cid, source="a", text=quote, quote=quote, start=start, end=start + len(quote),
        status=status, confidence=0.5,  # type: ignore[arg-type]
        evidence=[Evidence(source="b", verdict="not_mentioned")],
    )  # fmt: skip


def nested_report() -> tuple[Report, list]:
    article = article_from_text(TEXT, "a")
    other = article_from_text("Something else entirely happened.", "b")
    claims = [
        claim("c1", "The council met on Friday"),
        claim("c2", "approved the bridge"),
        claim("c3", "Mr. Smith objected."),
        claim("c4", "Residents cheered"),
    ]
    sources = [
        SourceInfo(
            id=x.id, title=None, outlet=None, byline=None, date=None, path_or_url=None,
            sha256=x.sha256, chars=len(x.text),
        )
        for x in (article, other)
    ]  # fmt: skip
    report = Report(
        engine="fake",
        sources=sources,
        summary=Summary(text="", sentences=[]),
        source_summaries={},
        claims=claims,
        stats=Stats(claims=4, agreement=0, discrepancy=0, unsupported=4, seconds=0),
    )
    return report, [article, other]


def test_sentences_split_on_end_marks_and_blank_lines_not_on_titles() -> None:
    assert [TEXT[s:e] for s, e in sentence_spans(TEXT)] == [
        "The council met on Friday and approved the bridge.",
        "Mr. Smith objected.",
        "Residents cheered",
    ]


def test_claims_of_one_sentence_are_listed_under_it_once() -> None:
    report, articles = nested_report()
    view = render(ReportOnly(report, articles), "text", show="all", width=WIDE)
    sentence = "a: “The council met on Friday and approved the bridge.”"
    assert view.count(sentence) == 1
    after = lines(view)[lines(view).index("  " + sentence) + 1 :]
    assert after[:2] == ["    + The council met on Friday", "    + approved the bridge"]
    # A claim that is its whole sentence is not printed twice.
    assert view.count("Mr. Smith objected.") == 1


def test_without_the_article_text_each_claim_stands_alone() -> None:
    report, _ = nested_report()
    groups = group_by_sentence(report.claims, {"a": None})
    assert [g.text for g in groups] == [c.quote for c in report.claims]
    view = render(report, "text", show="all", width=WIDE)
    assert "a: “The council met on Friday”" in view
