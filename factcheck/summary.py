"""Neutral summaries composed from the checked claims: the summarizer every engine falls back on.

The joint summary tells, within a word budget that grows with the number of sources: the event, in
one or two sentences that most sources support (in the least loaded wording any of them uses, its
loaded modifiers dropped); each real discrepancy once, as data (aspect and each source's value);
then a few single-source additions, attributed and never more than the corroborated facts; then
who is quoted. Opinions and quotations are never stated in the summary's own voice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from factcheck.engines.base import Usage
from factcheck.engines.lexicon import PRONOUNS
from factcheck.models import Article, Claim, ClaimCheck, Summary, SummarySentence
from factcheck.neutral import neutral_texts

WORDS_BASE = 40
WORDS_PER_SOURCE = 25  # 90 words for two sources, 115 for three, 190 for six
SOURCE_SUMMARY_WORDS = 60
EVENT_SENTENCES = 2
MAX_ADDITIONS = 3
MIN_ADDITION_WORDS = 6
MAX_QUOTE_WORDS = 25


def word_budget(sources: int, max_words: int | None = None) -> int:
    """The joint summary's length limit in words: `max_words` if given, else scaled by sources."""
    return max_words if max_words else WORDS_BASE + WORDS_PER_SOURCE * sources


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Part:
    """A candidate sentence of the summary and where it goes."""

    text: str
    sources: list[str]
    section: int  # 0 event, 1 difference, 2 addition, 3 quotes
    order: float = 0.0


class LocalSummarizer:
    """Deterministic neutral summaries from the structured check results (no LLM)."""

    def __init__(self, max_words: int | None = None) -> None:
        self.max_words = max_words
        self.usage = Usage()

    def settings(self) -> dict[str, Any]:
        return {"max_words": self.max_words}

    def summarize(self, article: Article, claims: list[Claim]) -> str:
        return source_summary(article, claims, self.max_words or SOURCE_SUMMARY_WORDS)

    def summarize_all(self, articles: list[Article], checks: list[ClaimCheck]) -> Summary:
        return joint_summary(articles, checks, word_budget(len(articles), self.max_words))


def joint_summary(articles: list[Article], checks: list[ClaimCheck], budget: int) -> Summary:
    """Event first, then each difference once, then a few attributed additions, within `budget` words."""
    events = _event_parts(checks)
    differences = _difference_parts(checks)
    additions = _addition_parts(articles, checks, limit=min(MAX_ADDITIONS, len(events)))
    quotes = _quote_parts(articles, checks)
    if not events:
        events = _lede_parts(articles, checks)
    priority = events[:1] + differences + events[1:] + additions + quotes
    chosen: list[Part] = []
    used = 0
    for part in priority:
        if used + words(part.text) <= budget:
            chosen.append(part)
            used += words(part.text)
    if not chosen:  # even the first sentence is over budget: cut it
        first = (
            priority[0] if priority else Part("The sources share no checkable statement.", [], 0)
        )
        chosen = [Part(" ".join(first.text.split()[: max(1, budget - 1)]) + " …", first.sources, 0)]
    chosen.sort(key=lambda p: (p.section, p.order))
    sentences = [SummarySentence(text=p.text, sources=p.sources) for p in chosen]
    return Summary(text=" ".join(s.text for s in sentences), sentences=sentences)


def source_summary(article: Article, claims: list[Claim], budget: int) -> str:
    """One source: its lede fact and its most central other facts, neutral wording, then who it quotes."""
    facts = [c for c in claims if c.kind == "fact"]
    ranked = facts[:1] + _central(facts[1:])
    phrased = neutral_texts([c.text for c in ranked])
    parts, used = [], 0
    for claim, (text, loaded) in zip(ranked, phrased, strict=True):
        text = _sentence(text)
        if loaded or words(text) < MIN_ADDITION_WORDS // 2 or used + words(text) > budget:
            continue
        if any(_overlap(claim, other) for other, _ in parts):
            continue
        parts.append((claim, text))
        used += words(text)
        if len(parts) == 3:
            break
    out = [text for _, text in sorted(parts, key=lambda p: p[0].start)]
    speakers = list(dict.fromkeys(c.speaker for c in claims if c.kind == "quote" and c.speaker))
    if speakers and used + 3 + len(speakers) <= budget:
        out.append(f"It quotes {_join(speakers)}.")
    return " ".join(out) if out else "No neutral factual statement was found."


def _event_parts(checks: list[ClaimCheck]) -> list[Part]:
    """The facts most sources support, each told once, in the least loaded wording any source uses."""
    agreed = [c for c in checks if c.status == "agreement" and c.kind == "fact"]
    by_span = {(c.source, c.start, c.end): c for c in checks}
    scored = []
    for check in agreed:
        support = [e for e in check.evidence if e.verdict == "supports"]
        sources = [check.source, *dict.fromkeys(e.source for e in support)]
        wordings = [check, *_supporting_claims(support, by_span)]
        scored.append((-len(sources), check.start, sources, wordings))
    scored.sort(key=lambda s: (s[0], s[1]))
    parts: list[Part] = []
    covered: list[ClaimCheck] = []
    for _, _, sources, wordings in scored:
        if any(_overlap(w, c) for w in wordings for c in covered):
            continue
        text = _least_loaded([w.text for w in wordings])
        if text is None:
            continue
        covered += wordings
        parts.append(Part(text, sources, 0, len(parts)))
        if len(parts) == EVENT_SENTENCES:
            break
    return parts


def _supporting_claims(support: list, by_span: dict) -> list[ClaimCheck]:
    """The other sources' fact claims that lie inside the passages supporting a claim."""
    return [
        other
        for e in support
        if e.start is not None
        for (source, start, end), other in by_span.items()
        if source == e.source and other.kind == "fact" and start < (e.end or 0) and e.start < end
    ]


def _least_loaded(texts: list[str]) -> str | None:
    """The wording with the fewest loaded words once modifiers are dropped, then the most complete
    (every wording is corroborated, so the longest carries the most of what the sources agree on)."""
    phrased = neutral_texts(list(dict.fromkeys(texts)))
    text, loaded = min(phrased, key=lambda p: (p[1], -words(p[0])))
    return None if loaded else _sentence(text)


def _difference_parts(checks: list[ClaimCheck]) -> list[Part]:
    """Each contradiction once: by aspect and values when a rule named them, else by both quotes."""
    parts, seen = [], set()
    for check in checks:
        for ev in check.evidence:
            if ev.verdict != "contradicts":
                continue
            pair = frozenset({check.source, ev.source})
            conflict = ev.conflict
            key = (
                (pair, conflict.aspect, frozenset({conflict.claim_value, conflict.evidence_value}))
                if conflict
                else frozenset({(check.source, check.start), (ev.source, ev.start)})
            )
            if key in seen:
                continue
            seen.add(key)
            if conflict:
                text = (
                    f"Sources differ on {conflict.aspect}: {check.source} reports "
                    f"“{conflict.claim_value}”, {ev.source} reports “{conflict.evidence_value}”."
                )
            else:
                text = (
                    f"{check.source} and {ev.source} differ: {check.source} reports "
                    f"“{_clip(check.quote)}”, {ev.source} reports “{_clip(ev.quote or '')}”."
                )
            parts.append(Part(text, [check.source, ev.source], 1, len(parts)))
    return parts


def _addition_parts(articles: list[Article], checks: list[ClaimCheck], limit: int) -> list[Part]:
    """The most substantive facts only one source reports, attributed, taking sources in turn."""
    if limit <= 0:
        return []
    per_source = []
    for article in articles:
        own = [
            c
            for c in checks
            if c.source == article.id
            and c.status == "unsupported"
            and c.kind == "fact"
            and words(c.text) >= MIN_ADDITION_WORDS
        ]
        phrased = neutral_texts([c.text for c in _central(own)])
        per_source.append(
            [
                Part(f"{article.id} also reports: {_sentence(text)}", [article.id], 2)
                for text, loaded in phrased
                if not loaded
            ]
        )
    parts = []
    for rank in range(max((len(p) for p in per_source), default=0)):
        for candidates in per_source:
            if rank < len(candidates) and len(parts) < limit:
                parts.append(candidates[rank])
    for i, part in enumerate(parts):
        part.order = i
    return parts


def _quote_parts(articles: list[Article], checks: list[ClaimCheck]) -> list[Part]:
    """Who each source quotes, attributed (what they said stays theirs)."""
    parts = []
    for article in articles:
        speakers = list(
            dict.fromkeys(
                c.speaker
                for c in checks
                if c.source == article.id
                and c.kind == "quote"
                and c.speaker
                and c.speaker.lower() not in PRONOUNS  # "b quotes he" names no one
            )
        )
        if speakers:
            parts.append(
                Part(f"{article.id} quotes {_join(speakers[:4])}.", [article.id], 3, len(parts))
            )
    return parts


def _lede_parts(articles: list[Article], checks: list[ClaimCheck]) -> list[Part]:
    """Without any corroborated fact: each source's first neutral fact, attributed."""
    parts = []
    for article in articles:
        facts = [c for c in checks if c.source == article.id and c.kind == "fact"]
        phrased = neutral_texts([c.text for c in facts[:2]])
        neutral = [text for text, loaded in phrased if not loaded]
        if neutral:  # of its first two facts, the more complete neutral one
            text = _sentence(max(neutral, key=words))
            parts.append(Part(f"{article.id} reports: {text}", [article.id], 0, len(parts)))
    return parts


def traceable(text: str, sources: list[str], checks: list[ClaimCheck], share: float = 0.5) -> bool:
    """Whether most content words of a sentence occur in the claims (and evidence) of its sources.

    How a summary written by a model is held to the comparison it was given.
    """
    wanted = _content(text)
    if not wanted:
        return False
    have: set[str] = set()
    for c in checks:
        if c.source in sources:
            have |= _content(c.text)
            for e in c.evidence:
                if e.source in sources and e.quote:
                    have |= _content(e.quote)
    return len(wanted & have) / len(wanted) >= share


def _central(claims: list[Claim]) -> list[Claim]:
    """Claims ordered by how much their words recur among the others (a lexical centrality)."""
    counts = Counter(w for c in claims for w in _content(c.text))

    def score(c: Claim) -> float:
        own = _content(c.text)
        return sum(counts[w] for w in own) / (len(own) + 3)

    return sorted(claims, key=score, reverse=True)


def _content(text: str) -> set[str]:
    return {w.strip(".,;:“”\"'’()").lower() for w in text.split() if len(w) > 3}


def _overlap(a: Claim, b: Claim) -> bool:
    return a.source == b.source and a.start < b.end and b.start < a.end


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", '"')) else text.rstrip(",;:") + "."


def _clip(text: str) -> str:
    cut = text.split()
    return " ".join(cut[:MAX_QUOTE_WORDS]) + (" …" if len(cut) > MAX_QUOTE_WORDS else "")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
