"""Neutral summaries composed from the checked claims: the summarizer every engine falls back on.

The joint summary tells, within a word budget that grows with the number of sources: the event, in
one or two sentences that most sources support (in the least loaded wording any of them uses, its
loaded modifiers dropped); each discrepancy whose aspect and values were named, once; then a few
single-source additions, attributed and never more than the corroborated facts; then who is
quoted. Among candidates, a sentence is worth the words it adds that several sources use.
Opinions and quotations are never stated in the summary's own voice.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from factcheck.engines.base import Usage
from factcheck.engines.lexicon import PRONOUNS
from factcheck.models import Article, Claim, ClaimCheck, Summary, SummarySentence
from factcheck.neutral import neutral_texts, shared_descriptions
from factcheck.nlp import parse_text

NAMES_NO_ONE = PRONOUNS | STOP_WORDS  # a speaker given as "he", "that" or "which"
WORDS_BASE = 40
WORDS_PER_SOURCE = 25  # 90 words for two sources, 115 for three, 190 for six
SOURCE_SUMMARY_WORDS = 60
EVENT_SENTENCES = 2
MAX_ADDITIONS = 3
MIN_ADDITION_WORDS = 6
NEW_SHARE = 0.5  # share of an addition's words the summary must not have told yet
SAME_FACT = 0.5  # share of a claim's content words another claim must repeat to restate it
RESTATED = 0.8  # share of a told sentence's content words that an addition repeating it has
MIN_RESTATED = 4  # ...counted for told sentences of at least this many content words


def word_budget(sources: int, max_words: int | None = None) -> int:
    """The joint summary's length limit in words: `max_words` if given, else scaled by sources."""
    return max_words if max_words else WORDS_BASE + WORDS_PER_SOURCE * sources


def words(text: str) -> int:
    return len(text.split())


class Coverage:
    """The words several sources use, weighted by how many, and which of them the summary tells:
    a sentence is worth the shared words it adds (concept coverage, as in Gillick and Favre 2009).
    It also holds the loaded modifiers several sources share, which neutral wording keeps."""

    def __init__(self, articles: list[Article]) -> None:
        # each article's title and body: what it says, not the page furniture around it
        read = [f"{a.title or ''}\n{a.body_text()}" for a in articles]
        used_by = Counter(w for text in read for w in _terms(text))
        self.weight = {w: n - 1 for w, n in used_by.items() if n > 1}
        self.told: set[str] = set()
        self.sentences: list[set[str]] = []  # the content words of each sentence told
        # loaded modifiers several sources put on the same word: their shared description, kept
        self.descriptions = shared_descriptions(articles)

    def gain(self, text: str) -> float:
        return sum(self.weight.get(w, 0) for w in _terms(text) - self.told)

    def mostly_new(self, text: str) -> bool:
        """Whether most of a sentence's words are not told yet (else it mostly repeats the summary)."""
        terms = _terms(text)
        return len(terms - self.told) >= NEW_SHARE * len(terms)

    def take(self, text: str) -> None:
        terms = _terms(text)
        self.told |= terms
        self.sentences.append(terms)

    def restates(self, text: str) -> bool:
        """Whether a sentence tells again, almost word for word, a sentence already told (with
        more around it: "… 263,000 jobs in April, suggesting that …")."""
        terms = _terms(text)
        return any(
            len(told) >= MIN_RESTATED and len(told & terms) >= RESTATED * len(told)
            for told in self.sentences
        )


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
    coverage = Coverage(articles)
    events = _event_parts(checks, coverage)
    differences = _difference_parts(checks)
    additions = _addition_parts(articles, checks, coverage, limit=min(MAX_ADDITIONS, len(events)))
    quotes = _quote_parts(articles, checks)
    if not events:
        events = _lede_parts(articles, checks, coverage)
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
        if not _tells(text):
            continue
        if any(_overlap(claim, other) for other, _ in parts):
            continue
        parts.append((claim, text))
        used += words(text)
        if len(parts) == 3:
            break
    out = [text for _, text in sorted(parts, key=lambda p: p[0].start)]
    speakers = _speakers(claims)
    if speakers and used + 3 + len(speakers) <= budget:
        out.append(f"It quotes {_join(speakers)}.")
    return " ".join(out) if out else "No neutral factual statement was found."


def _event_parts(checks: list[ClaimCheck], coverage: Coverage) -> list[Part]:
    """The facts most sources support, each told once, in the least loaded wording any source uses;
    of facts as widely supported, the one adding most of what the sources share."""
    agreed = [c for c in checks if c.status == "agreement" and c.kind == "fact"]
    by_span = {(c.source, c.start, c.end): c for c in checks}
    found = []
    for check in agreed:
        support = [e for e in check.evidence if e.verdict == "supports"]
        sources = [check.source, *dict.fromkeys(e.source for e in support)]
        wordings = [check, *_same_fact(check, _supporting_claims(support, by_span))]
        found.append((sources, wordings))
    texts = list(dict.fromkeys(w.text for _, wordings in found for w in wordings))
    # one spaCy batch for all
    phrased = dict(zip(texts, neutral_texts(texts, coverage.descriptions), strict=True))
    candidates = []
    for sources, wordings in found:
        usable = [phrased[w.text] for w in wordings if _tells(w.text)]
        text = _least_loaded(list(dict.fromkeys(usable)), coverage)
        if text is not None:
            candidates.append((sources, wordings, text))
    parts: list[Part] = []
    covered: list[ClaimCheck] = []
    while len(parts) < EVENT_SENTENCES:
        fresh = [
            c
            for c in candidates
            if coverage.mostly_new(c[2]) and not any(_overlap(w, o) for w in c[1] for o in covered)
        ]
        if not fresh:
            break
        sources, wordings, text = max(fresh, key=lambda c: (len(c[0]), coverage.gain(c[2])))
        coverage.take(text)
        covered += wordings
        parts.append(Part(text, sources, 0, len(parts)))
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


def _same_fact(claim: Claim, others: list[ClaimCheck]) -> list[ClaimCheck]:
    """Of the claims in the supporting passages, those that restate the claim (share most of its words)."""
    own = _content(claim.text)
    return [o for o in others if own and len(own & _content(o.text)) >= SAME_FACT * len(own)]


def _tells(text: str) -> bool:
    """Whether a sentence can be told on its own in the summary: it names whom it is about and
    asserts something (a question, "Why are asylum seekers entering the U.S.?", asserts nothing)."""
    if _leans_back(text) or text.rstrip(" ”’\"'").endswith("?"):
        return False
    return not _pronoun_subject(text)


@lru_cache(maxsize=4096)
def _pronoun_subject(text: str) -> bool:
    """Whether the main clause's subject is a pronoun after an opening phrase ("In a statement it
    said …", "After the vote, she could not …"): like an opening pronoun, it names no one."""
    root = parse_text(text)[:].root
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and c.pos_ == "PRON"
        and c.lower_ in PRONOUNS
        and (c.i == 0 or c.text.islower())  # "Vice Premier Liu He" is a name
        and not any(g.lower_ == "of" for g in c.children)  # "one of the nominees"
        for c in root.children
    )


def _leans_back(text: str) -> bool:
    """Whether a sentence opens with a pronoun ("He said…"): on its own in a summary it names no one.
    A pronoun's letters in capitals are an abbreviation ("US"); "one of" names whom it picks from."""
    opening = text.split(maxsplit=3)
    if not opening or opening[0].lower() not in PRONOUNS:
        return False
    first = opening[0]
    if len(first) > 1 and first.isupper():
        return False
    picks_from = first.lower() == "one" and len(opening) > 2 and opening[1] == "of"
    return not (picks_from and opening[2].lower() not in PRONOUNS)


def _least_loaded(phrased: list[tuple[str, int]], coverage: Coverage) -> str | None:
    """Of (wording with its loaded modifiers dropped, loaded words left) pairs: the one with the
    fewest loaded words, then the one carrying most of what the sources share."""
    if not phrased:
        return None
    text, loaded = min(phrased, key=lambda p: (p[1], -coverage.gain(p[0])))
    return None if loaded else _sentence(text)


def _difference_parts(checks: list[ClaimCheck]) -> list[Part]:
    """Each contradiction whose aspect and values were named (by a value rule or the LLM judge),
    once. One the entailment model alone found names neither: it stays in the claim list, where
    both passages are quoted, rather than being told as a difference the summary cannot state."""
    parts, seen = [], set()
    for check in checks:
        for ev in check.evidence:
            conflict = ev.conflict
            if ev.verdict != "contradicts" or conflict is None:
                continue
            values = frozenset({conflict.claim_value, conflict.evidence_value})
            key = (frozenset({check.source, ev.source}), conflict.aspect, values)
            if key in seen:
                continue
            seen.add(key)
            text = (
                f"Sources differ on {conflict.aspect}: {check.source} reports "
                f"“{conflict.claim_value}”, {ev.source} reports “{conflict.evidence_value}”."
            )
            parts.append(Part(text, [check.source, ev.source], 1, len(parts)))
    return parts


def _addition_parts(
    articles: list[Article], checks: list[ClaimCheck], coverage: Coverage, limit: int
) -> list[Part]:
    """The facts only one source reports that add most of what the sources share, attributed."""
    if limit <= 0:
        return []
    order = {article.id: i for i, article in enumerate(articles)}  # sources in turn, as given
    own = [
        c
        for c in checks
        if c.source in order
        and c.status == "unsupported"
        and c.kind == "fact"
        and words(c.text) >= MIN_ADDITION_WORDS
    ]
    own.sort(key=lambda c: order[c.source])
    phrased = neutral_texts([c.text for c in own], coverage.descriptions)  # one spaCy batch
    candidates = [
        (claim.source, _sentence(text))
        for claim, (text, loaded) in zip(own, phrased, strict=True)
        if not loaded and _tells(text)
    ]
    parts: list[Part] = []
    while candidates and len(parts) < limit:
        source, text = best = max(candidates, key=lambda c: coverage.gain(c[1]))
        if coverage.gain(text) <= 0:
            break
        candidates.remove(best)
        if coverage.mostly_new(text) and not coverage.restates(text):
            coverage.take(text)
            parts.append(Part(f"{source} also reports: {text}", [source], 2, len(parts)))
    return parts


def _quote_parts(articles: list[Article], checks: list[ClaimCheck]) -> list[Part]:
    """Who the sources quote, attributed (what they said stays theirs); a speaker several sources
    quote is named once, with all of them ("a and b quote Mark Esper")."""
    quoted_by: dict[tuple[str, str], list[str]] = {}
    for article in articles:
        for speaker in _speakers([c for c in checks if c.source == article.id]):
            # a name is one person in every source; "the spokesman" of one may not be another's
            who = (speaker, "" if speaker[:1].isupper() else article.id)
            quoted_by.setdefault(who, []).append(article.id)
    by_sources: dict[tuple[str, ...], list[str]] = {}
    for (speaker, _), sources in quoted_by.items():
        by_sources.setdefault(tuple(sources), []).append(speaker)
    parts = []
    for sources, speakers in by_sources.items():
        verb = "quotes" if len(sources) == 1 else "quote"
        text = f"{_join(list(sources))} {verb} {_join(speakers[:4])}."
        parts.append(Part(text, list(sources), 3, len(parts)))
    return parts


def _speakers(claims: list[Claim]) -> list[str]:
    """The people quoted, in order, as written inside a sentence; a pronoun names no one, and a
    description is left out when a name the source quotes says it ("the pope", "Pope Francis")."""
    named = [
        c.speaker
        for c in claims
        if c.kind == "quote" and c.speaker and c.speaker.lower() not in NAMES_NO_ONE
    ]
    speakers = list(dict.fromkeys(_mid_sentence(s) for s in named))
    names = [s.lower().split() for s in speakers if s[:1].isupper()]
    return [
        s
        for s in speakers
        if s[:1].isupper() or not any(s.split()[-1].lower() in name for name in names)
    ]


def _lede_parts(
    articles: list[Article], checks: list[ClaimCheck], coverage: Coverage
) -> list[Part]:
    """Without any corroborated fact: from each source's first two facts, the neutral one adding
    most of what the sources share, attributed."""
    parts = []
    for article in articles:
        facts = [c for c in checks if c.source == article.id and c.kind == "fact"]
        phrased = neutral_texts([c.text for c in facts[:2]], coverage.descriptions)
        neutral = [_sentence(t) for t, loaded in phrased if not loaded and _tells(t)]
        if neutral:
            text = max(neutral, key=coverage.gain)
            coverage.take(text)
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


def _terms(text: str) -> set[str]:
    """Content words, lower-cased, without possessives or a plural "s" (rough, but the same for every source)."""
    found = set()
    for w in _WORD.findall(text.lower()):
        w = w.removesuffix("'s").removesuffix("’s")
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if (len(w) > 3 or w.isdigit()) and w not in STOP_WORDS:
            found.add(w)
    return found


_WORD = re.compile(r"[\w'’.-]*\w")


def _content(text: str) -> set[str]:
    return {w.strip(".,;:“”\"'’()").lower() for w in text.split() if len(w) > 3}


def _overlap(a: Claim, b: Claim) -> bool:
    return a.source == b.source and a.start < b.end and b.start < a.end


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", '"')) else text.rstrip(",;:") + "."


def _mid_sentence(name: str) -> str:
    """A speaker as written inside a sentence: "The spokesman" -> "the spokesman"."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "A", "An") and rest else name


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
