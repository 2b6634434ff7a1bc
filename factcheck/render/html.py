"""A self-contained HTML report: the sources side by side, every claim highlighted by its status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from factcheck.errors import FactcheckError
from factcheck.models import Article, ClaimCheck, Report
from factcheck.redact import printable_model
from factcheck.render.statuses import ORDER, STATUS_WORDS, VERDICT_WORDS, noun

# Severity order: the first wins where two claims of equal length cover the same text.
STATUSES = ORDER
# The template's lookups, derived from the one definition in statuses.py.
LABEL = {s: w.label for s, w in STATUS_WORDS.items()}
PLURAL = {s: w.plural for s, w in STATUS_WORDS.items()}
ICON = {s: w.icon for s, w in STATUS_WORDS.items()}


@dataclass(frozen=True)
class Segment:
    """A run of text with one constant set of covering claims: overlapping spans become flat runs."""

    start: int
    end: int
    text: str
    claims: tuple[str, ...]  # covering claim ids, innermost (shortest) first
    status: str | None  # the status shown: the innermost claim's
    opens: tuple[str, ...]  # claims that start here (their badge and keyboard stop)


def segments(text: str, claims: Sequence[ClaimCheck], marks: Iterable[int] = ()) -> list[Segment]:
    """Cut `text` at every claim boundary (and at `marks`, e.g. evidence offsets) into flat runs."""
    size = len(text)
    spans = [c for c in claims if 0 <= c.start < c.end <= size]
    cuts = {0, size, *(c.start for c in spans), *(c.end for c in spans)}
    cuts |= {m for m in marks if 0 <= m <= size}
    points = sorted(cuts)
    rank = {s: i for i, s in enumerate(STATUSES)}
    out = []
    for start, end in pairwise(points):
        covering = sorted(
            (c for c in spans if c.start <= start and end <= c.end),
            key=lambda c: (c.end - c.start, rank[c.status]),
        )
        out.append(
            Segment(
                start=start,
                end=end,
                text=text[start:end],
                claims=tuple(c.id for c in covering),
                status=covering[0].status if covering else None,
                opens=tuple(c.id for c in covering if c.start == start),
            )
        )
    return out


def _evidence_marks(report: Report, source_id: str) -> list[int]:
    """Offsets of every evidence quote that points into this source, so the page can highlight it."""
    marks = []
    for claim in report.claims:
        for ev in claim.evidence:
            if ev.source == source_id and ev.start is not None and ev.end is not None:
                marks += [ev.start, ev.end]
    return marks


def _articles_by_source(report: Report, articles: Sequence[Article]) -> list[Article]:
    """The articles in report order; refuse a missing or different text (offsets would be wrong)."""
    by_id = {a.id: a for a in articles}
    ordered = []
    for source in report.sources:
        article = by_id.get(source.id)
        if article is None or article.sha256 != source.sha256:
            raise FactcheckError(
                f"the HTML report needs the text of every source as compared; {source.id!r} "
                "is missing or differs"
            )
        ordered.append(article)
    return ordered


_env = Environment(
    loader=PackageLoader("factcheck.render", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _asset(name: str) -> Markup:
    """A static file of the template folder inlined as is (the page loads nothing from outside)."""
    source, _, _ = _env.loader.get_source(_env, name)  # type: ignore[union-attr]
    return Markup(source)


def render_html(report: Report, articles: Sequence[Article]) -> str:
    """One HTML file with the summary, counts and the articles side by side; works offline."""
    report = printable_model(report)  # bidi overrides and control characters shown as U+FFFD
    articles = [printable_model(article) for article in articles]
    columns = []
    for article in _articles_by_source(report, articles):
        own = [c for c in report.claims if c.source == article.id]
        columns.append(
            {
                "article": article,
                "segments": segments(article.text, own, _evidence_marks(report, article.id)),
                "counts": {s: sum(1 for c in own if c.status == s) for s in STATUSES},
            }
        )
    claims = {c.id: c for c in report.claims}
    findings = [c for s in ("discrepancy", "unsupported") for c in report.claims_with(s)]  # type: ignore[arg-type]
    return _env.get_template("report.html.j2").render(
        report=report,
        columns=columns,
        claims=claims,
        findings=findings,
        statuses=STATUSES,
        label=LABEL,
        plural=PLURAL,
        noun=noun,
        words=STATUS_WORDS,
        icon=ICON,
        verdict=VERDICT_WORDS,
        data=report.model_dump(mode="json"),
        style=_asset("report.css"),
        script=_asset("report.js"),
    )
