"""The local summarizer: extractive neutral summaries built from the checked claims, no LLM."""

from __future__ import annotations

from collections import Counter
from typing import Any

from factcheck.engines.base import Usage
from factcheck.engines.local import claim_statement, is_loaded
from factcheck.models import Article, Claim, ClaimCheck, Summary, SummarySentence

MAX_SUMMARY_AGREEMENTS = 6
MAX_SUMMARY_ADDITIONS = 4


class LocalSummarizer:
    """Lead with what several sources support, then each difference once, then a few additions."""

    def __init__(self) -> None:
        self.usage = Usage()

    def settings(self) -> dict[str, Any]:
        return {}

    def summarize(self, article: Article, claims: list[Claim]) -> str:
        """Extractive: the most central neutral facts, then who is quoted, attributed."""
        facts = [c for c in claims if c.kind == "fact" and not is_loaded(c.quote)]
        lede = facts[:1]  # news leads with its main fact
        chosen = sorted(_distinct(lede + _central(facts[1:], 4))[:3], key=lambda c: c.start)
        parts = [_sentence(c.text) for c in chosen]
        opinions = [c for c in claims if c.kind == "opinion"]
        speakers = list(dict.fromkeys(c.speaker for c in claims if c.kind == "quote" and c.speaker))
        if speakers:
            parts.append(f"It quotes {_join(speakers)}.")
        if opinions:
            parts.append(
                f"It also carries {len(opinions)} statement{'s' if len(opinions) > 1 else ''} of interpretation or analysis."
            )
        return " ".join(parts) if parts else "No factual statements were found."

    def summarize_all(self, articles: list[Article], checks: list[ClaimCheck]) -> Summary:
        """Lead with what several sources support, then differences, then single-source additions."""
        sentences: list[SummarySentence] = []
        sentences += _agreements(checks)
        sentences += _discrepancies(checks)
        sentences += _additions(articles, checks)
        if not sentences:
            sentences.append(
                SummarySentence(text="The sources share no checkable statement.", sources=[])
            )
        return Summary(text=" ".join(s.text for s in sentences), sentences=sentences)


def _agreements(checks: list[ClaimCheck]) -> list[SummarySentence]:
    """Facts another source supports, each told once (shortest unloaded wording), in reading order."""
    chosen: list[tuple[int, SummarySentence]] = []
    covered: list[tuple[str, int, int]] = []
    candidates = [
        c for c in checks if c.status == "agreement" and c.kind == "fact" and not is_loaded(c.quote)
    ]
    for check in sorted(candidates, key=lambda c: len(c.text)):
        support = [e for e in check.evidence if e.verdict == "supports"]
        spans = [(check.source, check.start, check.end)]
        spans += [(e.source, e.start or 0, e.end or 0) for e in support]
        if any(_overlaps(covered, *span) for span in spans):
            continue
        covered += spans
        sources = [check.source] + [e.source for e in support]
        chosen.append(
            (
                min(start for _, start, _ in spans),
                SummarySentence(text=_sentence(check.text), sources=sources),
            )
        )
    chosen.sort(key=lambda item: item[0])
    return [sentence for _, sentence in chosen[:MAX_SUMMARY_AGREEMENTS]]


def _discrepancies(checks: list[ClaimCheck]) -> list[SummarySentence]:
    out, seen = [], set()
    for check in checks:
        for ev in check.evidence:
            if ev.verdict != "contradicts":
                continue
            conflict = ev.conflict
            pair = frozenset({check.source, ev.source})
            key = (
                (pair, conflict.aspect, frozenset({conflict.claim_value, conflict.evidence_value}))
                if conflict  # the same difference found from both sides is told once
                else frozenset({(check.source, check.start), (ev.source, ev.start)})
            )
            if key in seen:
                continue
            seen.add(key)
            if conflict:  # "Sources differ on the day: a reports “Tuesday”, b reports “Wednesday”."
                text = (
                    f"Sources differ on {conflict.aspect}: {check.source} reports “{conflict.claim_value}” "
                    f"(“{check.quote}”), {ev.source} reports “{conflict.evidence_value}” (“{ev.quote}”)."
                )
            else:
                text = f"Sources differ: {check.source} reports “{check.quote}”, {ev.source} reports “{ev.quote}”."
            out.append(SummarySentence(text=text, sources=[check.source, ev.source]))
    return out


def _additions(articles: list[Article], checks: list[ClaimCheck]) -> list[SummarySentence]:
    out = []
    for article in articles:
        own = [c for c in checks if c.source == article.id and c.status == "unsupported"]
        facts = [c for c in own if c.kind == "fact" and not is_loaded(c.quote)]
        for check in sorted(_distinct(_central(facts, 4))[:2], key=lambda c: c.start):
            out.append(
                SummarySentence(
                    text=f"Only {article.id} reports: {_sentence(check.text)}",
                    sources=[article.id],
                )
            )
        speakers = list(dict.fromkeys(c.speaker for c in own if c.kind == "quote" and c.speaker))
        if speakers:
            out.append(
                SummarySentence(
                    text=f"Only {article.id} quotes {_join(speakers)}; their views are theirs, not established fact.",
                    sources=[article.id],
                )
            )
    return out[: MAX_SUMMARY_ADDITIONS * max(1, len(articles))]


def _central(claims: list[Claim], n: int) -> list[Claim]:
    """The claims whose content words recur most across the given claims (a lexical centrality)."""
    if not claims:
        return []
    counts = Counter(w for c in claims for w in claim_statement(c).content)

    def score(c: Claim) -> float:
        words = claim_statement(c).content
        return sum(counts[w] for w in words) / (len(words) + 3)

    return sorted(claims, key=score, reverse=True)[:n]


def _overlaps(spans: list[tuple[str, int, int]], source: str, start: int, end: int) -> bool:
    return any(s == source and start < e and b < end for s, b, e in spans)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "”", '"')) else text + "."


def _distinct(claims: list[Claim]) -> list[Claim]:
    """Drop a claim whose text another chosen claim repeats and extends ("X" beside "X, killing 12")."""
    return [c for c in claims if not any(o is not c and o.text.startswith(c.text) for o in claims)]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
