"""The local default judge: the bundled entailment model reads each (evidence window, claim) pair.

A window is a retrieved sentence joined with the sentence after it. A source **supports** a claim
when one of its windows entails it and shares some of its words. It **contradicts** the claim only
through a window about the same thing (most of the claim's words): where a value rule finds the
same slot filled differently there (the figure of the same count, the name in the same role, the
day of the same event, negation, confirmed/denied), or where the model strongly contradicts it and
the two do not differ only in the form of a name. Two different numbers in loosely similar
sentences are not enough. Bylines, credits, timestamps and captions are never evidence.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from factcheck.chunking import sentences as article_sentences
from factcheck.engines.base import Candidates, Usage
from factcheck.engines.lexicon import NOT_COMPARABLE
from factcheck.engines.local import (
    prepare_statements,
    remember_spans,
    statement,
)
from factcheck.engines.nli_model import EntailmentModel, entailment_model
from factcheck.engines.statements import conflicts, differs_only_in_names, retells
from factcheck.models import Article, Claim, Conflict, Evidence, Sentence
from factcheck.store import SENTENCE, Hit

THRESHOLDS_FILE = "nli_thresholds.json"
MAX_WINDOW_WORDS = 70
# A passage asserting what the claim asserts, with this many of its figures, dates and names alike
# and none of them different, retells the same facts: the model alone does not make it a contradiction.
SAME_PARTICULARS = 2
_NOT_COMPARABLE = re.compile("|".join(NOT_COMPARABLE), re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class NLIThresholds:
    """Decision thresholds, fitted by eval/calibrate_judge.py (SummEdits evaluation split, NLI validation)."""

    support: float = 0.5  # P(entailment) of the best window at or above which the source supports
    contradict: float = 0.65  # P(contradiction) for the model alone to contradict (same topic)
    windows: int = 4  # evidence windows scored per claim and source (best retrieved first)
    min_similarity: float = 0.2  # retrieval cosine below which a window is not worth scoring
    related: float = 0.25  # share of the claim's content words a window needs to support it
    same_topic: float = 0.5  # ... to be about the same thing: its values are always compared


@lru_cache(maxsize=1)
def calibrated_nli_thresholds() -> NLIThresholds:
    path = resources.files("factcheck") / "data" / THRESHOLDS_FILE
    if not path.is_file():
        return NLIThresholds()
    values = json.loads(path.read_text(encoding="utf-8"))
    return NLIThresholds(
        **{k: v for k, v in values.items() if k in NLIThresholds.__dataclass_fields__}
    )


_sentences: dict[str, list[Sentence]] = {}


def source_sentences(article: Article) -> list[Sentence]:
    """The article's sentences (from its cached parse), remembered per article."""
    if article.sha256 not in _sentences:
        if len(_sentences) > 256:
            _sentences.clear()
        _sentences[article.sha256] = article_sentences(article)
    return _sentences[article.sha256]


def comparable(text: str) -> bool:
    """False for bylines, credits, timestamps and captions: they state nothing about the event."""
    return not _NOT_COMPARABLE.search(text)


def hypothesis(claim: Claim) -> str:
    """What the value rules compare: the claim as one self-contained statement."""
    return claim.text


_LEADING_ATTRIBUTION = re.compile(r"^(?:according to|as reported by) [^,]{2,80}, ", re.IGNORECASE)
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?:[^,]{2,60}\s)?(?:said|says|told [^,.]{1,40}|reported|added|noted)"
    r"(?: on \w+)?\s*\.$"
)


def model_hypothesis(claim: Claim) -> str:
    """What the model checks: the statement without who reported it ("…, officials said")."""
    text = _TRAILING_ATTRIBUTION.sub(".", _LEADING_ATTRIBUTION.sub("", claim.text.strip()))
    return text[:1].upper() + text[1:] if len(text.split()) >= 3 else claim.text


def coverage(claim: str, window: str) -> float:
    """Share of the claim's content words (crudely stemmed) that the window also has."""
    wanted = _stems(claim)
    return len(wanted & _stems(window)) / len(wanted) if wanted else 0.0


def _stems(text: str) -> set[str]:
    return {
        w[:5]
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if (w not in STOP_WORDS and len(w) > 2) or w.isdigit()
    }


def context_windows(hits: list[Hit], source: Article, sentences: list) -> list[Hit]:
    """Each retrieved sentence joined with the sentence after it (which often says when, where or
    how much of what the first one names), or alone when it ends the article or the pair is long."""
    by_start = {s.start: i for i, s in enumerate(sentences)}
    windows = []
    for hit in hits:
        i = by_start.get(hit.start)
        if i is not None and i + 1 < len(sentences):
            following = sentences[i + 1]
            if len(source.text[hit.start : following.end].split()) <= MAX_WINDOW_WORDS:
                windows.append(
                    Hit(source.text[hit.start : following.end], hit.start, following.end, hit.score)
                )
                continue
        windows.append(hit)
    return windows


class NLIJudge:
    """Entailment-model verdicts, with value rules for precision on contradictions."""

    evidence_kind = SENTENCE
    evidence_k = 4

    def __init__(
        self, thresholds: NLIThresholds | None = None, model: EntailmentModel | None = None
    ) -> None:
        self.thresholds = thresholds or calibrated_nli_thresholds()
        self._model = model
        self.usage = Usage()

    @property
    def model(self) -> EntailmentModel:
        if self._model is None:
            self._model = entailment_model()
        return self._model

    def settings(self) -> dict[str, Any]:
        return {**asdict(self.thresholds), "model": self.model.version}

    def windows(self, item: Candidates, source: Article) -> list[Hit]:
        """The best retrieved sentences worth scoring, each joined with the sentence after it."""
        if not comparable(item.claim.quote):
            return []
        hits = sorted(
            (
                h
                for h in item.hits
                if h.score >= self.thresholds.min_similarity and comparable(h.text)
            ),
            key=lambda h: -h.score,
        )[: self.thresholds.windows]
        return context_windows(hits, source, source_sentences(source))

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        windows = [self.windows(item, source) for item in items]
        pairs = [
            (w.text, model_hypothesis(item.claim))
            for item, found in zip(items, windows, strict=True)
            for w in found
        ]
        probabilities = self.model.scores(pairs)
        scored, row = [], 0
        for found in windows:
            scored.append([(w, probabilities[row + i]) for i, w in enumerate(found)])
            row += len(found)
        entailing = [self._entailing(item.claim, s) for item, s in zip(items, scored, strict=True)]
        suspects = [
            self._suspects(item.claim, s, e)
            for item, s, e in zip(items, scored, entailing, strict=True)
        ]
        self._prepare(items, suspects, source)
        return [
            self._verdict(item.claim, s, found, e, source)
            for item, s, found, e in zip(items, scored, suspects, entailing, strict=True)
        ]

    def _entailing(self, claim: Claim, scored: list) -> tuple[Hit, float] | None:
        """The window that entails the claim best, if it entails it and shares enough of its words."""
        t = self.thresholds
        for window, (p_e, _, p_c) in sorted(scored, key=lambda s: -s[1][0]):
            if p_e < t.support or p_e <= p_c:
                return None
            if coverage(claim.text, window.text) >= t.related:
                return window, p_e
        return None

    def _suspects(self, claim: Claim, scored: list, entailing: tuple[Hit, float] | None) -> list:
        """Windows whose values the rules compare with the claim's, most contradicting first.

        Only windows about the same thing as the claim (most of its words) are compared: between
        statements about different things, a negation or another name is no contradiction (and the
        model, trained on SNLI, calls many unrelated pairs contradictory). When a window entails the
        claim, only that window, if it is about the same thing: the model can miss a one-word swap
        there ("rose" for "fell", one minister for another).
        """
        same_topic = [
            (w, p) for w, p in scored if coverage(claim.text, w.text) >= self.thresholds.same_topic
        ]
        if entailing:
            return [(w, p) for w, p in same_topic if w is entailing[0]]
        return sorted(same_topic, key=lambda s: -s[1][2])

    def _prepare(self, items: list[Candidates], suspects: list[list], source: Article) -> None:
        """Parse, in one spaCy batch, what the value rules will compare."""
        windows = [w for found in suspects for w, _ in found]
        if windows:
            remember_spans(source, windows)
            claims = [
                hypothesis(i.claim) for i, found in zip(items, suspects, strict=True) if found
            ]
            prepare_statements(claims + [w.text for w in windows])

    def _verdict(
        self,
        claim: Claim,
        scored: list,
        suspects: list,
        entailing: tuple[Hit, float] | None,
        source: Article,
    ) -> Evidence:
        """A conflict with a window about the same thing is a discrepancy; else an entailing window supports."""
        if not scored:
            return _evidence(
                source, "not_mentioned", None, 0.0, "nothing comparable is close to the claim"
            )
        for window, (_, _, p_c) in suspects:
            said, passage = statement(hypothesis(claim)), statement(window.text)
            found = conflicts(said, passage, loose_entities=False)
            if found:
                return _evidence(
                    source, "contradicts", window, p_c, found[0].reason(), conflict=found[0]
                )
            if (
                p_c >= self.thresholds.contradict
                and not differs_only_in_names(said, passage)
                and not retells(said, passage, SAME_PARTICULARS)
            ):
                return _evidence(
                    source, "contradicts", window, p_c, "the passage contradicts the claim"
                )
        if entailing:
            window, p_e = entailing
            return _evidence(source, "supports", window, p_e, "the passage entails the claim")
        best = max(p[0] for _, p in scored)
        return _evidence(source, "not_mentioned", None, best, "no passage entails the claim")


def _evidence(
    source: Article,
    verdict: str,
    window: Hit | None,
    score: float,
    reason: str,
    conflict: Conflict | None = None,
) -> Evidence:
    return Evidence(
        source=source.id,
        verdict=verdict,
        quote=window.text if window else None,
        start=window.start if window else None,
        end=window.end if window else None,
        score=round(float(score), 3),
        reason=reason,
        conflict=conflict,
    )
