"""The local engine: no LLM, no network. Sentence-level atomic claims, embedding alignment, explicit value comparison."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from factcheck.engines.base import Candidates, Usage
from factcheck.engines.claim_split import LOADED_WORDS, extract_claims
from factcheck.engines.statements import (
    Conflict,
    Statement,
    analyze,
    canon,
    conflicts,
    missing_details,
)
from factcheck.models import Article, Claim, ClaimCheck, Evidence, Summary, SummarySentence
from factcheck.nlp import article_span, parse_article, parse_texts
from factcheck.store import Hit

MAX_SUMMARY_AGREEMENTS = 6
MAX_SUMMARY_ADDITIONS = 4


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, calibrated on benchmark data by eval/calibrate_local.py."""

    sim_weight: float = 0.5  # alignment = w * cosine + (1 - w) * content-word coverage
    support: float = 0.55  # alignment at or above which an evidence passage supports a claim
    contradict: float = 0.45  # alignment at or above which differing values contradict
    loose_entities: float = 0.7  # alignment above which any swapped name of the same type conflicts
    max_missing: int = (
        0  # numbers and names the claim adds that the evidence lacks, still supported
    )


@lru_cache(maxsize=1)
def calibrated_thresholds() -> Thresholds:
    """Thresholds from the calibration file shipped with the package, or the defaults."""
    path = resources.files("factcheck") / "data" / "local_thresholds.json"
    if not path.is_file():
        return Thresholds()
    values = json.loads(path.read_text(encoding="utf-8"))
    return Thresholds(**{k: v for k, v in values.items() if k in Thresholds.__dataclass_fields__})


_statements: dict[str, Statement] = {}
_sources: dict[str, Statement] = {}
_MAX_CACHED = 20_000


def statement(text: str) -> Statement:
    """Parse and analyse a passage once per process."""
    if text not in _statements:
        prepare_statements([text])
    return _statements[text]


def prepare_statements(texts: list[str]) -> None:
    """Parse and analyse, in one spaCy batch, the passages not analysed yet."""
    missing = list(dict.fromkeys(t for t in texts if t not in _statements))
    if len(_statements) + len(missing) > _MAX_CACHED:
        _statements.clear()
        _sources.clear()
    for text, doc in zip(missing, parse_texts(missing), strict=True):
        _statements[text] = analyze(doc)


def remember_spans(article: Article, windows: list[Hit]) -> None:
    """Analyse evidence passages from the article's own parse, so they are not parsed twice."""
    for window in windows:
        if window.text not in _statements and (
            span := article_span(article, window.start, window.end)
        ):
            _statements[window.text] = analyze(span)


def claim_statement(claim: Claim) -> Statement:
    """What a claim asserts: a quote is compared by its words, a fact by its self-contained text."""
    return statement(claim.quote if claim.kind == "quote" else claim.text)


def evidence_windows(hits: list[Hit], source_text: str) -> list[Hit]:
    """Each retrieved sentence, plus adjacent retrieved sentences joined: a fact can span two."""
    ordered = sorted(hits, key=lambda h: h.start)
    windows = list(hits)
    for first, second in pairwise(ordered):
        if 0 <= second.start - first.end <= 3 and not source_text[first.end : second.start].strip():
            windows.append(
                Hit(
                    source_text[first.start : second.end],
                    first.start,
                    second.end,
                    max(first.score, second.score),
                )
            )
    return windows


def judge_statement(
    claim: Statement,
    windows: list[Hit],
    thresholds: Thresholds,
    context: Statement | None = None,
) -> tuple[str, Hit | None, float, str | None]:
    """(verdict, evidence passage, alignment, reason) for one claim against passages of one source.

    `context` is the whole source: a number or name the claim adds counts as missing only if the
    source never mentions it (a fact can be stated in one sentence and detailed in another).
    """
    if not windows:
        return "not_mentioned", None, 0.0, "nothing in this source is close to the claim"
    context = context or _merge([statement(w.text) for w in windows])
    scored = []
    for window in windows:
        evidence = statement(window.text)
        cov = _canon_coverage(claim, evidence)
        align = thresholds.sim_weight * window.score + (1 - thresholds.sim_weight) * cov
        scored.append((align, window, evidence))
    scored.sort(key=lambda item: -item[0])
    for align, window, evidence in scored:
        if align < thresholds.contradict:
            break
        found = conflicts(claim, evidence, loose_entities=align >= thresholds.loose_entities)
        if found:
            return "contradicts", window, align, found[0].reason()
    align, window, _ = scored[0]
    missing = missing_details(claim, context)
    if align >= thresholds.support and len(missing) <= thresholds.max_missing:
        return "supports", window, align, "the same statement, with no differing value"
    if align >= thresholds.support:
        return "not_mentioned", None, align, "not mentioned: " + ", ".join(missing)
    return "not_mentioned", None, align, "no passage states this"


def source_statement(article: Article) -> Statement:
    """The whole body of an article as one Statement (for what it mentions anywhere)."""
    if article.sha256 not in _sources:
        _sources[article.sha256] = _merge([analyze(block.doc) for block in parse_article(article)])
    return _sources[article.sha256]


def _canon_coverage(claim: Statement, evidence: Statement) -> float:
    wanted = {canon(w) for w in claim.content}
    if not wanted:
        return 0.0
    have = {canon(w) for w in evidence.lemmas}
    return len(wanted & have) / len(wanted)


def _merge(statements: list[Statement]) -> Statement:
    merged = Statement(text=" ".join(s.text for s in statements))
    for s in statements:
        merged.lemmas |= s.lemmas
        merged.words |= s.words
        merged.content |= s.content
        merged.values += s.values
        merged.entities += s.entities
    return merged


def is_loaded(text: str) -> bool:
    words = {w.strip(".,;:“”\"'’()").lower() for w in text.split()}
    return bool(words & LOADED_WORDS)


class LocalEngine:
    """Runs on the bundled models only; the default when no LLM is configured."""

    name = "local"

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or calibrated_thresholds()
        self.usage = Usage()

    def extract_claims(self, article: Article) -> list[Claim]:
        return extract_claims(article)

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        all_windows = [evidence_windows(item.hits, source.text) for item in items]
        for windows in all_windows:
            remember_spans(source, windows)
        prepare_statements(
            [c.quote if c.kind == "quote" else c.text for c in (i.claim for i in items)]
            + [w.text for windows in all_windows for w in windows]
        )
        verdicts = []
        for item, windows in zip(items, all_windows, strict=True):
            verdict, window, align, reason = judge_statement(
                claim_statement(item.claim), windows, self.thresholds, source_statement(source)
            )
            verdicts.append(
                Evidence(
                    source=source.id,
                    verdict=verdict,
                    quote=window.text if window else None,
                    start=window.start if window else None,
                    end=window.end if window else None,
                    score=round(float(align), 3),
                    reason=reason,
                )
            )
        return verdicts

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
            conflict = Conflict.from_reason(ev.reason)
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
