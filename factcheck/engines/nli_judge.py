"""The local default judge: the bundled entailment model reads each (evidence window, claim) pair.

A source **supports** a claim when one of its retrieved windows entails it. It **contradicts** the
claim when the model finds a window contradicting it, either strongly on its own, or moderately
while a value rule finds the same slot filled differently (the figure of the same count, the name
in the same role, the day of the same event). Two different numbers in loosely similar sentences
are not enough: without the model's contradiction there is no discrepancy. Bylines, credits,
timestamps and captions are never evidence.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from factcheck.engines.base import Candidates, Usage
from factcheck.engines.lexicon import NOT_COMPARABLE
from factcheck.engines.local import evidence_windows, prepare_statements, remember_spans, statement
from factcheck.engines.nli_model import EntailmentModel, entailment_model
from factcheck.engines.statements import conflicts
from factcheck.models import Article, Claim, Conflict, Evidence
from factcheck.store import SENTENCE, Hit

THRESHOLDS_FILE = "nli_thresholds.json"
_NOT_COMPARABLE = re.compile("|".join(NOT_COMPARABLE), re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class NLIThresholds:
    """Decision thresholds, fitted by eval/calibrate_judge.py (SummEdits evaluation split, NLI validation)."""

    support: float = 0.5  # P(entailment) of the best window at or above which the source supports
    contradict: float = 0.7  # P(contradiction) at or above which the model alone contradicts
    rule_contradict: float = 0.3  # P(contradiction) enough when a value rule finds a differing slot
    windows: int = 4  # evidence windows scored per claim and source (best retrieved first)
    min_similarity: float = 0.2  # retrieval cosine below which a window is not worth scoring


@lru_cache(maxsize=1)
def calibrated_nli_thresholds() -> NLIThresholds:
    path = resources.files("factcheck") / "data" / THRESHOLDS_FILE
    if not path.is_file():
        return NLIThresholds()
    values = json.loads(path.read_text(encoding="utf-8"))
    return NLIThresholds(
        **{k: v for k, v in values.items() if k in NLIThresholds.__dataclass_fields__}
    )


def comparable(text: str) -> bool:
    """False for bylines, credits, timestamps and captions: they state nothing about the event."""
    return not _NOT_COMPARABLE.search(text)


def hypothesis(claim: Claim) -> str:
    """What the model checks: the claim as one self-contained statement."""
    return claim.text


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
        """The retrieved passages (and adjacent ones joined) worth scoring, best retrieved first."""
        if not comparable(item.claim.quote):
            return []
        found = [
            w
            for w in evidence_windows(item.hits, source.text)
            if w.score >= self.thresholds.min_similarity and comparable(w.text)
        ]
        found.sort(key=lambda w: -w.score)
        return found[: self.thresholds.windows]

    def judge(self, items: list[Candidates], source: Article) -> list[Evidence]:
        windows = [self.windows(item, source) for item in items]
        pairs = [
            (w.text, hypothesis(item.claim))
            for item, found in zip(items, windows, strict=True)
            for w in found
        ]
        probabilities = self.model.scores(pairs)
        scored, row = [], 0
        for found in windows:
            scored.append([(w, probabilities[row + i]) for i, w in enumerate(found)])
            row += len(found)
        suspects = [self._suspects(s) for s in scored]
        self._prepare(items, suspects, source)
        return [
            self._verdict(item.claim, s, found, source)
            for item, s, found in zip(items, scored, suspects, strict=True)
        ]

    def _entailing(self, scored: list) -> tuple[Hit, float] | None:
        """The window that entails the claim best, if it entails it at all."""
        if not scored:
            return None
        window, (p_e, _, p_c) = max(scored, key=lambda s: s[1][0])
        return (window, p_e) if p_e >= self.thresholds.support and p_e > p_c else None

    def _suspects(self, scored: list) -> list:
        """Windows that may contradict a claim no window entails, most contradicting first."""
        if self._entailing(scored):
            return []
        found = [s for s in scored if s[1][2] >= self.thresholds.rule_contradict]
        return sorted(found, key=lambda s: -s[1][2])

    def _prepare(self, items: list[Candidates], suspects: list[list], source: Article) -> None:
        """Parse, in one spaCy batch, what the value rules will compare."""
        windows = [w for found in suspects for w, _ in found]
        if windows:
            remember_spans(source, windows)
            claims = [
                hypothesis(i.claim) for i, found in zip(items, suspects, strict=True) if found
            ]
            prepare_statements(claims + [w.text for w in windows])

    def _verdict(self, claim: Claim, scored: list, suspects: list, source: Article) -> Evidence:
        if not scored:
            return _evidence(
                source, "not_mentioned", None, 0.0, "nothing comparable is close to the claim"
            )
        if entailing := self._entailing(scored):
            window, p_e = entailing
            return _evidence(source, "supports", window, p_e, "the passage entails the claim")
        for window, (_, _, p_c) in suspects:
            found = conflicts(
                statement(hypothesis(claim)), statement(window.text), loose_entities=False
            )
            if found:
                return _evidence(
                    source, "contradicts", window, p_c, found[0].reason(), conflict=found[0]
                )
            if p_c >= self.thresholds.contradict:
                return _evidence(
                    source, "contradicts", window, p_c, "the passage contradicts the claim"
                )
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
