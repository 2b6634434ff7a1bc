"""The judge chain: up to 15 claims and another source's nearby sentences in, verdicts out.

The model cites evidence by sentence number; the code turns the numbers into the exact quote and
offsets, and keeps a supports/contradicts verdict only when it gives a reason, the cited sentence
was shown, lies in a passage retrieved for that claim, and is about the claim's subject (it shares
a name, or two content words). A contradiction must say which values differ; its aspect and values
become the evidence's `Conflict` when both values are found where the model says they are.
"""

from __future__ import annotations

from typing import Any

from factcheck.engines.base import Candidates
from factcheck.engines.llm.chains import Chain
from factcheck.engines.llm.chains.judge_claims.schema import Judgement, Judgements
from factcheck.engines.llm.text import (
    Numbered,
    escape,
    is_placeholder,
    lines,
    mentions,
    numbered_sentences,
    shares_subject,
)
from factcheck.models import Article, Conflict, Evidence

CHAIN = Chain("judge_claims", Judgements)
JUDGE_BATCH = 15  # claims per judge call: one call per 15 claims per other source
TOKENS_PER_JUDGEMENT = 120

__all__ = [
    "CHAIN",
    "JUDGE_BATCH",
    "Judgement",
    "Judgements",
    "complete",
    "evidence_from",
    "request",
    "shown_sentences",
]


def shown_sentences(batch: list[Candidates], sentences: list[Numbered]) -> list[Numbered]:
    """The source's sentences that overlap a passage retrieved for any claim of the batch."""
    spans = [(h.start, h.end) for item in batch for h in item.hits]
    return [s for s in sentences if any(s.start < end and start < s.end for start, end in spans)]


def request(batch: list[Candidates], source: Article, shown: list[Numbered]) -> dict[str, Any]:
    """Inputs, the schema (exactly one judgement per claim, evidence among the shown numbers)
    and the token limit, scaled to the batch."""
    count = len(batch)
    schema = CHAIN.json_schema()
    judgements = schema["properties"]["judgements"]
    judgements.update(minItems=count, maxItems=count)
    item = judgements["items"]["properties"]
    item["claim"].update(minimum=1, maximum=count)
    if shown:
        item["evidence"]["items"]["enum"] = [s.number for s in shown]
    return {
        "inputs": {
            "source": escape(source.id),
            "claims": "\n".join(f"{n}. {escape(i.claim.text)}" for n, i in enumerate(batch, 1)),
            "sentences": lines(shown) or "(no sentence of this source is close to these claims)",
            "count": count,
        },
        "schema": schema,
        "max_tokens": 200 + TOKENS_PER_JUDGEMENT * count,
    }


def complete(answer: Judgements, count: int) -> str | None:
    """An answer must judge every claim of the batch."""
    missing = set(range(1, count + 1)) - {j.claim for j in answer.judgements}
    if missing:
        return f"no judgement for claims {sorted(missing)}; give one per claim 1 to {count}"
    return None


def evidence_from(
    judgement: Judgement | None,
    item: Candidates,
    source: Article,
    problem: str | None = None,
    sentences: list[Numbered] | None = None,
) -> Evidence:
    """The evidence a verdict may stand on, checked; otherwise not_mentioned, saying why."""
    closest = round(max((h.score for h in item.hits), default=0.0), 3)

    def unchecked(why: str) -> Evidence:
        return Evidence(
            source=source.id, verdict="not_mentioned", score=closest, reason=f"not checked: {why}"
        )

    if judgement is None:
        return unchecked(problem or "no verdict was given for this claim")
    reason = " ".join(judgement.reason.split())
    if is_placeholder(reason):
        return unchecked(f"the '{judgement.verdict}' verdict came without a reason")
    if judgement.verdict == "not_mentioned":
        return Evidence(source=source.id, verdict="not_mentioned", score=closest, reason=reason)
    by_number = {s.number: s for s in (sentences or numbered_sentences(source))}
    cited = [by_number[n] for n in dict.fromkeys(judgement.evidence) if n in by_number]
    if not cited:
        return unchecked(f"the evidence for '{judgement.verdict}' names no sentence of the source")
    near = [s for s in cited if _hit(item, s) is not None]
    if not near:
        return unchecked(
            f"the evidence for '{judgement.verdict}' is not near this claim's passages"
        )
    about = [s for s in near if shares_subject(item.claim.text, s.text)]
    if not about:
        return unchecked(f"the evidence for '{judgement.verdict}' is not about the claim's subject")
    first = about[0]
    last = first  # consecutive cited sentences make one quote
    for sentence in about[1:]:
        if sentence.number != last.number + 1:
            break
        last = sentence
    start, end = first.start, last.end
    quote = source.text[start:end]
    hit = max((h for s in about for h in [_hit(item, s)] if h), key=lambda h: h.score)
    conflict = None
    if judgement.verdict == "contradicts":
        conflict = _conflict(judgement, item.claim.text, quote)
        if conflict == "unsaid":
            return unchecked("the contradiction does not say which values differ")
        if conflict == "same":
            return unchecked("the values given for the contradiction are the same")
    return Evidence(
        source=source.id,
        verdict=judgement.verdict,
        quote=quote,
        start=start,
        end=end,
        score=round(hit.score, 3),
        reason=reason,
        conflict=conflict if isinstance(conflict, Conflict) else None,
    )


def _hit(item: Candidates, sentence: Numbered):
    near = [h for h in item.hits if h.start < sentence.end and sentence.start < h.end]
    return max(near, key=lambda h: h.score, default=None)


def _conflict(judgement: Judgement, claim: str, quote: str) -> Conflict | str | None:
    """The aspect and both values as data, when the claim holds its value and the quote its own;
    "unsaid" when a value is missing, "same" when both are the same (no contradiction then)."""
    aspect = " ".join(judgement.aspect.split())
    ours = " ".join(judgement.claim_value.split()).strip(" .,;:\"'“”")
    theirs = " ".join(judgement.source_value.split()).strip(" .,;:\"'“”")
    if is_placeholder(ours) or is_placeholder(theirs):
        return "unsaid"
    if ours.casefold() == theirs.casefold():
        return "same"
    if is_placeholder(aspect) or not (mentions(ours, claim) and mentions(theirs, quote)):
        return None
    return Conflict(aspect=aspect, claim_value=ours, evidence_value=theirs)
