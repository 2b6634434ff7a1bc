"""The terminal view: short by default (the findings, not every claim); colour only when asked for.

Views (`show`): "short" lists every discrepancy and the unsupported additions of highest confidence,
then says what it left out; "all" lists every claim; a status's --show word lists only that status.
Claims are listed under the source sentence they rest on (see factcheck.render.sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from factcheck.errors import FactcheckError
from factcheck.models import Article, ClaimCheck, Report
from factcheck.redact import printable, printable_model
from factcheck.render.base import SHORT
from factcheck.render.sentences import SentenceGroup, group_by_sentence
from factcheck.render.statuses import ORDER, STATUS_WORDS, claim_count, verdict_words, words

SHOW_ALL = "all"
SHOW_CHOICES: tuple[str, ...] = (SHORT, SHOW_ALL, *(w.show for w in STATUS_WORDS.values()))
TOP_UNSUPPORTED = 5  # unsupported additions in the short view, by confidence
SHORT_QUOTE_CHARS = 240  # evidence quotes are cut in the short view (the other formats keep them)


def check_show(show: str) -> str:
    """`show` if it names a view; otherwise a one-line error listing the views."""
    if show not in SHOW_CHOICES:
        raise FactcheckError(
            f"unknown view --show {show!r}; choose one of: {', '.join(SHOW_CHOICES)}"
        )
    return show


def _lists(show: str, status: str) -> bool:
    """Whether a view lists this status (its section is printed even when empty)."""
    if show == SHORT:
        return status != "agreement"
    return show == SHOW_ALL or words(status).show == show


@dataclass(frozen=True)
class Selection:
    """The claims a view prints, by status, and how many of each it leaves out."""

    shown: dict[str, list[ClaimCheck]]
    hidden: dict[str, int]


def select(report: Report, show: str = SHORT, top: int = TOP_UNSUPPORTED) -> Selection:
    """Which claims a view prints: all of its statuses', except the short view's top unsupported."""
    check_show(show)
    shown: dict[str, list[ClaimCheck]] = {}
    for status in ORDER:
        claims = report.claims_with(status) if _lists(show, status) else []  # type: ignore[arg-type]
        if show == SHORT and status == "unsupported":
            best = {c.id for c in sorted(claims, key=lambda c: -c.confidence)[:top]}
            claims = [c for c in claims if c.id in best]  # keep report order
        shown[status] = claims
    hidden = {s: len(report.claims_with(s)) - len(shown[s]) for s in ORDER}  # type: ignore[arg-type]
    return Selection(shown, hidden)


def _texts(report: Report, articles: Sequence[Article]) -> dict[str, str | None]:
    """Each source's text as compared (None where missing or changed: offsets would be wrong)."""
    by_id = {a.id: a for a in articles}
    texts: dict[str, str | None] = {}
    for source in report.sources:
        article = by_id.get(source.id)
        ok = article is not None and article.sha256 == source.sha256
        texts[source.id] = printable(article.text) if ok else None  # type: ignore[union-attr]
    return texts


def _clip(text: str, limit: int | None) -> str:
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _header(report: Report) -> Text:
    s = report.stats
    head = Text()
    head.append("Sources: ", style="bold")
    head.append(
        ", ".join(src.id + (f" ({src.title})" if src.title else "") for src in report.sources)
    )
    head.append(f"\nEngine: {report.engine} · {claim_count(s.claims)}: ")
    for n, status in enumerate(ORDER):
        head.append(", " if n else "")
        head.append(words(status).count(getattr(s, status)), style=words(status).style)
    head.append(f" · {s.seconds:.1f} s")
    return head


def _heading(status: str, shown: int, total: int) -> Text:
    w = words(status)
    count = w.count(total) if shown == total else f"top {shown} of {w.count(total)}"
    line = Text(f"\n{w.icon} {w.label.upper()}", style=w.style)
    line.append(f" · {count}" if total else f" · no {w.plural}")
    return line


def _evidence(claim: ClaimCheck, limit: int | None) -> list[Text]:
    """What the other sources say: each contradiction and support quoted, the silent ones in one line."""
    lines, silent = [], []
    for ev in claim.evidence:
        if ev.verdict == "not_mentioned":
            silent.append(ev.source)
            continue
        icon, phrase = verdict_words(ev.verdict)
        line = Text(f"{icon} ", style="dim")
        line.append(ev.source, style="bold")
        line.append(f" {phrase}", style="dim")
        if ev.quote:
            line.append(f": “{_clip(ev.quote, limit)}”", style="italic")
        if ev.reason and ev.verdict == "contradicts":
            line.append(f" — {ev.reason}", style=words("discrepancy").style)
        lines.append(line)
    if silent and claim.status != "unsupported":  # "only here" already says no one else has it
        icon, _ = verdict_words("not_mentioned")
        lines.append(Text(f"{icon} not mentioned by {', '.join(silent)}", style="dim"))
    return lines


def _claim_line(claim: ClaimCheck) -> Text:
    w = words(claim.status)
    line = Text(f"{w.icon} ", style=w.style)
    line.append(" ".join(claim.text.split()))
    if claim.kind != "fact":
        who = f", {claim.speaker}" if claim.speaker else ""
        line.append(f" ({claim.kind}{who})", style="dim")
    return line


def _group(group: SentenceGroup, limit: int | None) -> list[RenderableType]:
    """The sentence once, each claim resting on it below, and the other sources' evidence under that."""
    sentence = " ".join(group.text.split())
    out: list[RenderableType] = []
    head = Text(f"{group.source}: ", style="bold")
    head.append(f"“{sentence}”", style="italic")
    out.append(Padding(head, (0, 0, 0, 2)))
    first = group.claims[0]
    alone = len(group.claims) == 1 and first.kind == "fact" and _clip(first.text, None) == sentence
    for claim in group.claims:
        if not alone:  # a claim that is the whole sentence is not printed twice
            out.append(Padding(_claim_line(claim), (0, 0, 0, 4)))
        indent = 4 if alone else 6
        out += [Padding(line, (0, 0, 0, indent)) for line in _evidence(claim, limit)]
    return out


def _hint(hidden: dict[str, int], shown: dict[str, list[ClaimCheck]]) -> Text | None:
    """One line: what the short view left out, and the option that shows it."""
    parts, statuses = [], []
    for status in ORDER:
        n = hidden[status]
        if n:
            w = words(status)
            parts.append(f"{n} more {w.noun(n)}" if shown[status] else w.count(n))
            statuses.append(w.show)
    if not parts:
        return None
    option = "--show all" if len(statuses) > 1 else f"--show {statuses[0]}"
    return Text(f"\nNot shown: {', '.join(parts)}; see them with {option}", style="dim")


def build(report: Report, articles: Sequence[Article] = (), *, show: str = SHORT) -> Group:
    """The view as rich renderables: header, summary, then a section per status the view covers."""
    report = printable_model(report)  # article text may hold escape sequences; never replay them
    selection = select(report, show)
    texts = _texts(report, articles)
    limit = SHORT_QUOTE_CHARS if show == SHORT else None
    parts: list[RenderableType] = [_header(report)]
    for warning in report.warnings:  # e.g. sources about different events: read the rest warily
        parts.append(Text(f"⚠ Warning: {warning}", style="bold yellow"))
    if show in (SHORT, SHOW_ALL):
        summary = Text("\n".join(f"• {x.text}" for x in report.summary.sentences))
        parts.append(Panel(summary, title="Neutral summary", title_align="left"))
    for status in ORDER:
        if not _lists(show, status):
            continue
        claims = selection.shown[status]
        parts.append(_heading(status, len(claims), len(report.claims_with(status))))  # type: ignore[arg-type]
        for group in group_by_sentence(claims, texts):
            parts += _group(group, limit)
    if show == SHORT and (hint := _hint(selection.hidden, selection.shown)):
        parts.append(hint)
    return Group(*parts)


def render_text(
    report: Report,
    articles: Sequence[Article] = (),
    *,
    color: bool = False,
    width: int = 100,
    show: str = SHORT,
) -> str:
    """The terminal view as a string; ANSI colour only when asked for. Articles let claims nest."""
    console = Console(
        record=True, width=width, force_terminal=color, color_system="auto" if color else None
    )
    with console.capture() as capture:
        console.print(build(report, articles, show=show))
    return "\n".join(line.rstrip(" ") for line in capture.get().split("\n"))  # indents pad lines
