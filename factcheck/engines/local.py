"""The local roles: spaCy claims, and the value-rule judge (embedding alignment, explicit value comparison)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from factcheck.engines.base import Candidates, Usage
from factcheck.engines.claim_split import extract_claims
from factcheck.engines.statements import (
    Statement,
    analyze,
    canon,
    conflicts,
    missing_details,
)
from factcheck.errors import FactcheckError
from factcheck.models import Article, Claim, Conflict, Evidence
from factcheck.nlp import article_span, parse_article, parse_texts
from factcheck.store import SENTENCE, Hit


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, calibrated on benchmark data by eval/calibrate_rules.py."""

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
) -> tuple[str, Hit | None, float, str | None, Conflict | None]:
    """(verdict, evidence passage, alignment, reason, conflict) for one claim against passages of one source.

    `context` is the whole source: a number or name the claim adds counts as missing only if the
    source never mentions it (a fact can be stated in one sentence and detailed in another).
    """
    if not windows:
        return "not_mentioned", None, 0.0, "nothing in this source is close to the claim", None
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
            return "contradicts", window, align, found[0].reason(), found[0]
    align, window, _ = scored[0]
    missing = missing_details(claim, context)
    if align >= thresholds.support and len(missing) <= thresholds.max_missing:
        return "supports", window, align, "the same statement, with no differing value", None
    if align >= thresholds.support:
        return "not_mentioned", None, align, "not mentioned: " + ", ".join(missing), None
    return "not_mentioned", None, align, "no passage states this", None


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


def require_english(article: Article) -> None:
    """The local engine's spaCy pipeline and entailment model read English only: refuse another
    language (as detected on reading, or as given with --lang) in one line that names it."""
    if article.language and article.language.split("-")[0].lower() != "en":
        from factcheck.reading.language import language_name

        where = article.path_or_url or article.id
        raise FactcheckError(
            f"{where}: is in {language_name(article.language)} ({article.language}); the local "
            "engine reads English only. Use --engine llm for other languages, or --lang en if "
            "the text is English"
        )


class LocalClaimExtractor:
    """Atomic claims from spaCy's parse: one claim per fact, each quoting its own span."""

    def __init__(self) -> None:
        self.usage = Usage()

    def settings(self) -> dict[str, Any]:
        return {}

    def check_article(self, article: Article) -> None:
        require_english(article)

    def extract_claims(self, article: Article) -> list[Claim]:
        require_english(article)
        return extract_claims(article)


class RulesJudge:
    """Embedding alignment and explicit value comparison only (no entailment model)."""

    evidence_kind = SENTENCE
    evidence_k = 4

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or calibrated_thresholds()
        self.usage = Usage()

    def settings(self) -> dict[str, Any]:
        return asdict(self.thresholds)

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
            verdict, window, align, reason, conflict = judge_statement(
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
                    conflict=conflict,
                )
            )
        return verdicts
