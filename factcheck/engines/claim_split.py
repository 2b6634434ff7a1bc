"""Sentence -> atomic claims with exact spans, their kind (fact / quote / opinion), and a quote's speaker."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from factcheck.engines.lexicon import (
    HEDGES,
    LOADED_WORDS,
    OPINION_SUBJECTS,
    PERSONAL_PRONOUNS,
    REPORTING_VERBS,
)
from factcheck.models import Article, Claim
from factcheck.neutral import SCARE_QUOTE_WORDS
from factcheck.nlp import parse_article

OPEN_QUOTES = '“"«„'
CLOSE_QUOTES = '”"»“'
MIN_UNIT_TOKENS = 3


@dataclass(frozen=True)
class QuoteRegion:
    start: int  # doc character offsets, quotation marks excluded
    end: int
    speaker: str | None


def extract_claims(article: Article) -> list[Claim]:
    """Atomic claims for every body sentence of an article, numbered in reading order.

    A claim's span never lies inside another's: each sentence's units are disjoint, and a span
    that would still lie inside a wider one of its sentence is left out (the wider one stays).
    A quote's speaker comes from its paragraph, else from the sentence before it (a pronoun
    resolved to the person named there, or the speaker of the quote before it).
    """
    claims: list[Claim] = []
    previous: Span | None = None  # the last sentence read, across paragraphs
    previous_speaker: str | None = None  # who spoke the last sentence, when it was a quote
    for block in parse_article(article):
        regions = quote_regions(block.doc, previous, previous_speaker)
        for sent in block.doc.sents:
            if not any(t.is_alpha for t in sent):
                continue
            units = sorted(_outermost(sentence_claims(sent, regions)), key=lambda u: u[1])
            quoted = [u[4] for u in units if u[3] == "quote"]
            previous_speaker = quoted[-1] if quoted else None
            previous = sent
            for text, start, end, kind, speaker in units:
                if kind != "quote":
                    text, end = _closing_mark_kept(block.doc.text, text, start, end)
                speaker = _plain_name(speaker)
                quote = article.text[block.offset + start : block.offset + end]
                claims.append(
                    Claim(
                        id=f"{article.id}#{len(claims) + 1}",
                        source=article.id,
                        text=text,
                        quote=quote,
                        start=block.offset + start,
                        end=block.offset + end,
                        kind=kind,
                        speaker=speaker,
                    )
                )
    return claims


def _closing_mark_kept(doc_text: str, text: str, start: int, end: int) -> tuple[str, int]:
    """A claim whose quotation mark opens but whose span stops before the mark that closes it
    (the sentence split after “… a ‘PR stunt.”) takes that mark in."""
    span = doc_text[start:end]
    unclosed = span.count("“") > span.count("”") or span.count('"') % 2 == 1
    closing = re.match(r"[.!?]?[”\"]", doc_text[end : end + 2])
    if not unclosed or closing is None:
        return text, end
    kept = closing.group()
    return (text + kept if text.endswith(span[-12:]) else text), end + len(kept)


def _plain_name(speaker: str | None) -> str | None:
    """A speaker's name without stray quotation marks ('“Tucker Carlson Tonight” host')."""
    if speaker is None:
        return None
    plain = " ".join(speaker.translate(_NO_QUOTES).split()).strip(" ,;:")
    return plain or None


_NO_QUOTES = str.maketrans("", "", '“”"')


def _outermost(
    units: list[tuple[str, int, int, str, str | None]],
) -> list[tuple[str, int, int, str, str | None]]:
    """The units whose span no other (wider, or the same and earlier) unit's span contains."""
    kept = []
    for i, unit in enumerate(units):
        inside = any(
            other[1] <= unit[1]
            and unit[2] <= other[2]
            and (other[2] - other[1] > unit[2] - unit[1] or j < i)
            for j, other in enumerate(units)
            if j != i
        )
        if not inside:
            kept.append(unit)
    return kept


def quote_regions(
    doc: Doc, previous: Span | None = None, previous_speaker: str | None = None
) -> list[QuoteRegion]:
    """Direct-speech regions of a paragraph with the speaker they are attributed to.

    `previous` is the sentence before the paragraph (a pronoun's person may be named there) and
    `previous_speaker` who spoke it, when it was a quote: a paragraph that only goes on quoting
    is theirs.
    """
    text = doc.text
    regions: list[tuple[int, int]] = []
    opened: int | None = None
    for i, ch in enumerate(text):
        if opened is None and ch in OPEN_QUOTES and ch != "”":
            opened = i + 1
        elif opened is not None and ch in CLOSE_QUOTES and (ch != "“"):
            if i > opened:
                regions.append((opened, i))
            opened = None
    if opened is not None and len(text) > opened:  # a quote running to the paragraph's end
        regions.append((opened, len(text)))
    speaker = paragraph_speaker(doc, regions, previous)
    if speaker is None and regions and _only_quoting(doc, regions):
        speaker = previous_speaker or (_introduced_speaker(previous) if previous else None)
    return [QuoteRegion(s, e, speaker) for s, e in regions]


def paragraph_speaker(
    doc: Doc, regions: list[tuple[int, int]], previous: Span | None = None
) -> str | None:
    """Who speaks in a paragraph: "Name, title: “…”", a reporting verb's subject outside the
    quotes ("he" resolved to the person named in its sentence or the one before), or "according
    to Name"."""
    if not regions:
        return None
    lead = doc.text[: regions[0][0]]
    if re.search(r":\s*[“\"]$", lead.rstrip()) or lead.rstrip().endswith(":"):
        verbs = [t for t in doc if t.idx < regions[0][0] and t.lemma_ in REPORTING_VERBS]
        subjects = [c for v in verbs for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:  # "A British Airways spokesman said: “…”"
            return _speaker_name(subjects[0], regions, previous)
        people = [e for e in doc.ents if e.end_char <= regions[0][0] and e.label_ == "PERSON"]
        if people:
            return people[0].text
        name = lead.split(",")[0].split(":")[0].strip()
        return name or None
    return attributed_speaker(doc, regions, previous)


def attributed_speaker(
    words: Doc | Span, regions: list[tuple[int, int]], previous: Span | None = None
) -> str | None:
    """The speaker named outside the quotation marks of a paragraph or sentence: a reporting
    verb's subject, else "according to Name"."""
    for tok in words:
        if tok.lemma_ in REPORTING_VERBS and not _inside(tok.idx, regions):
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                return _speaker_name(subjects[0], regions, previous)
    for tok in words:  # "According to the mayor, Tom Banks, “…”"
        if tok.lower_ == "according" and not _inside(tok.idx, regions):
            for prep in (c for c in tok.children if c.lower_ == "to"):
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    return _speaker_name(obj, regions, previous)
    return None


def _speaker_name(subj: Token, regions: list[tuple[int, int]], previous: Span | None) -> str:
    """The name a speaker's phrase gives: the person named in it, the phrase itself, or for a
    pronoun the person it stands for (named in its sentence or the one before), if any."""
    doc = subj.doc
    if subj.lower_ in PERSONAL_PRONOUNS and (person := _antecedent(subj, regions, previous)):
        return person
    people = [
        e
        for e in doc.ents
        if e.label_ == "PERSON"
        and (e.root.head == subj or e.root == subj or subj.left_edge.i <= e.root.i <= subj.i)
    ]
    if people:
        return people[0].text
    return doc[subj.left_edge.i : subj.right_edge.i + 1].text


def _antecedent(
    pronoun: Token, regions: list[tuple[int, int]], previous: Span | None
) -> str | None:
    """The person a "he"/"she" stands for: named before it in its sentence (outside the quotes),
    else in the sentence before (its subject if that is a person, else the last one named)."""
    sent = pronoun.sent
    before = [
        e
        for e in sent.ents
        if e.label_ == "PERSON" and e.end <= pronoun.i and not _inside(e.start_char, regions)
    ]
    if before:
        return before[-1].text
    sents = list(pronoun.doc.sents)
    at = next(i for i, s in enumerate(sents) if s.start == sent.start)
    candidates = [sents[at - 1]] if at > 0 else ([previous] if previous is not None else [])
    for candidate in candidates:
        people = [e for e in candidate.ents if e.label_ == "PERSON"]
        subjects = [e for e in people if e.root.dep_ in ("nsubj", "nsubjpass")]
        if subjects or people:
            return (subjects or people)[-1 if not subjects else 0].text
        for tok in candidate:  # a name the tagger did not mark, as the subject
            phrase = tok.doc[tok.left_edge.i : tok.i + 1]
            if tok.dep_ == "nsubj" and all(t.pos_ == "PROPN" for t in phrase):
                return phrase.text
    return None


def _only_quoting(doc: Doc, regions: list[tuple[int, int]]) -> bool:
    """A paragraph of direct speech with no words outside the quotation marks."""
    return not any(t.is_alpha and not _inside(t.idx, regions) for t in doc)


def _introduced_speaker(sent: Span) -> str | None:
    """Who the sentence before a quote names as speaking: "Smith told reporters:", "Smith said
    the damage was extensive." (a reporting verb with a person as its subject)."""
    for tok in sent:
        if tok.lemma_ in REPORTING_VERBS:
            for subj in (c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")):
                people = [
                    e
                    for e in sent.ents
                    if e.label_ == "PERSON" and subj.left_edge.i <= e.root.i <= subj.right_edge.i
                ]
                if people:
                    return people[0].text
                phrase = sent.doc[subj.left_edge.i : subj.right_edge.i + 1]
                if all(t.pos_ == "PROPN" for t in phrase):  # a name the tagger did not mark
                    return phrase.text
    return None


def _inside(offset: int, regions: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in regions)


def sentence_claims(
    sent: Span, regions: list[QuoteRegion]
) -> list[tuple[str, int, int, str, str | None]]:
    """(text, start, end, kind, speaker) for each atomic claim of one sentence; offsets into the doc."""
    region = _quote_region_of(sent, regions)
    if region is not None:
        start, end = _trim(
            sent.doc.text, max(sent.start_char, region.start), min(sent.end_char, region.end)
        )
        if end - start < 8:
            return []
        inner = sent.doc.text[start:end]
        # the sentence's own attribution ("…," a letter from her lawyer reads) before the
        # paragraph's, unless it is a pronoun only the paragraph's context resolves
        own = attributed_speaker(sent, [(r.start, r.end) for r in regions])
        speaker = own if own and own.lower() not in PERSONAL_PRONOUNS else region.speaker
        text = f"{speaker} said: “{inner}”" if speaker else f"Quoted: “{inner}”"
        return [(text, start, end, "quote", speaker)]
    kind = "opinion" if is_opinion(sent) else "fact"
    units = atomic_units(sent, [(r.start, r.end) for r in regions])
    out = []
    for text, start, end in units:
        start, end = _trim(sent.doc.text, start, end)
        if end > start:
            out.append((text, start, end, kind, None))
    return out


def _quote_region_of(sent: Span, regions: list[QuoteRegion]) -> QuoteRegion | None:
    """The direct speech a sentence carries: most of its words, or all but an attribution ("…,"
    a letter reads, according to The Hill). A few words in quotation marks inside a clause are a
    name or a scare quote ("on the “Campaign HQ” podcast", "called it a “witch hunt”"), not speech."""
    words = [t for t in sent if t.is_alpha]
    sized = [(r, [t for t in words if r.start <= t.idx < r.end]) for r in regions]
    sized = [(r, inside) for r, inside in sized if len(inside) >= 2]
    if any(len(inside) > SCARE_QUOTE_WORDS for _, inside in sized):  # the speech, not a name in it
        sized = [(r, inside) for r, inside in sized if len(inside) > SCARE_QUOTE_WORDS]
    for region, inside in sized:
        if len(inside) <= SCARE_QUOTE_WORDS and not _stands_alone(sent, region):
            continue
        outside = [t for t in sent if t.is_alpha and t not in inside]
        attribution = any(_attributes(t) for t in outside) or any(
            t.text == ":" and t.idx < region.start for t in sent
        )
        if len(inside) / len(words) >= 0.6 or attribution:
            return region
    return None


def _attributes(tok: Token) -> bool:
    """A word that says whose words a quotation is: a reporting verb, or "according" (to)."""
    if tok.lower_ == "according":
        return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to"
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_ in REPORTING_VERBS


def _stands_alone(sent: Span, region: QuoteRegion) -> bool:
    """Whether a short quotation is a clause of its own (“No,” he said. / He said: “No way.”):
    it opens the sentence or follows a colon or comma, and ends with punctuation, rather than
    sitting inside a phrase (a “PR stunt.”, the “Campaign HQ” podcast)."""
    text = sent.doc.text
    before = text[sent.start_char : region.start].rstrip(OPEN_QUOTES + " ")
    after = text[region.end : sent.end_char].lstrip(CLOSE_QUOTES + " ")
    inner = text[region.start : region.end].rstrip()
    ends = (
        inner.endswith((",", ".", "!", "?")) or not after or after.startswith((",", ".", "!", "?"))
    )
    return (not before or before.endswith((":", ","))) and ends


def is_opinion(sent: Span) -> bool:
    """Interpretation rather than report: hedged, evaluative, or an analyst's view."""
    lemmas = {t.lemma_.lower() for t in sent}
    subjects = {t.lemma_.lower() for t in sent if t.dep_ in ("nsubj", "nsubjpass")}
    if subjects & OPINION_SUBJECTS:
        return True
    if (
        "see" in lemmas
        and any(t.lower_ == "as" for t in sent)
        and any(t.dep_ == "nsubjpass" for t in sent)
    ):
        return True  # "are seen as a critical step"
    root = sent.root
    return (root.lemma_.lower() in HEDGES and root.lemma_.lower() != "see") or bool(
        {t.lower_ for t in sent if t.tag_ == "MD"} & {"could", "might", "should", "must"}
        and lemmas & LOADED_WORDS
    )


def atomic_units(sent: Span, quotations: list[tuple[int, int]] = ()) -> list[tuple[str, int, int]]:
    """Split "X struck Y, killing 12 and injuring 80" into one unit per asserted fact; words in
    `quotations` (doc offsets) are someone's, kept whole ("was “awake, responsive, recovering”")."""
    root = sent.root
    splits = [
        t
        for t in _split_points(root)
        if _unit_size(t) >= MIN_UNIT_TOKENS and not _inside(t.idx, quotations)
    ]
    if not splits:
        return [(sent.text.strip(), sent.start_char, sent.end_char)]
    removed = set()
    for tok in splits:
        removed.update(t.i for t in tok.subtree)
    main_tokens = [
        t
        for t in sent
        if t.i not in removed
        and not (
            (t.is_punct or t.dep_ == "cc") and ({t.i - 1, t.i + 1} & removed or t.i == sent.end - 1)
        )
    ]
    words = [t for t in main_tokens if not t.is_punct]
    main_start, main_end = words[0].idx, words[-1].idx + len(words[-1].text)
    main_text = _join_tokens(main_tokens)
    units = [(main_text, main_start, main_end)]
    subject = _subject_phrase(root)
    auxiliaries = " ".join(t.text for t in root.children if t.dep_ in ("aux", "auxpass", "neg"))
    runs = _runs(main_tokens)
    if len(runs) > 1:  # a clause inside the main one: the main claim quotes the run of its verb
        run = next((r for r in runs if root in r), max(runs, key=len))
        words = [t for t in run if not t.is_punct] or words
        main_start, main_end = words[0].idx, words[-1].idx + len(words[-1].text)
        units[0] = (main_text, main_start, main_end)
    for tok in splits:
        span_tokens = [t for t in tok.subtree if not _belongs_to_other(t, tok, splits)]
        start = min(t.idx for t in span_tokens)
        end = max(t.idx + len(t.text) for t in span_tokens)
        if span_tokens[0].dep_ == "cc" or span_tokens[0].lower_ in ("and", "but", "or"):
            start = span_tokens[1].idx if len(span_tokens) > 1 else start
        start, end = _trim(sent.doc.text, start, end)
        unit_text = sent.doc.text[start:end]
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        if tok.dep_ == "acl":  # "The visit, expected to begin on Tuesday, ..."
            head = tok.head
            noun = "".join(t.text_with_ws for t in head.subtree if t not in tok.subtree).strip(" ,")
            verb = "are" if head.tag_ in ("NNS", "NNPS") else "is"
            text = f"{noun} {verb} {unit_text}"
        elif tok.tag_ == "VBG" or has_subject or not subject:
            text = unit_text if has_subject else f"{main_text}, {unit_text}"
        elif _finite(tok, span_tokens):  # "... and is also being tested": its own auxiliary
            text = f"{subject} {unit_text}"
        else:
            text = " ".join(p for p in (subject, auxiliaries, unit_text) if p)
        units.append((text, start, end))
    return units


def _runs(tokens: list[Token]) -> list[list[Token]]:
    """Tokens split where they are not adjacent in the sentence."""
    runs: list[list[Token]] = []
    for tok in tokens:
        if runs and tok.i == runs[-1][-1].i + 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return runs


def _finite(verb: Token, span_tokens: list[Token]) -> bool:
    """A conjoined verb that carries its own tense: an auxiliary of its own, or a finite form."""
    own = any(c.dep_ in ("aux", "auxpass") and c in span_tokens for c in verb.children)
    return own or verb.tag_ in ("VBZ", "VBP")


def _split_points(root: Token) -> list[Token]:
    """Conjoined verbs and participle clauses that assert a further fact."""
    points = []
    for child in root.children:
        if child.dep_ in (
            "nsubj",
            "nsubjpass",
        ):  # a participle aside on the subject, set off by commas
            points.extend(
                c
                for c in child.children
                if c.dep_ == "acl"
                and c.tag_ in ("VBN", "VBG")
                and c.i > 0
                and c.doc[c.i - 1].text == ","
            )
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            points.append(child)
        elif (
            child.dep_ == "advcl"
            and child.tag_ == "VBG"
            and not any(c.dep_ == "mark" for c in child.children)
        ):
            points.append(child)
            points.extend(c for c in child.children if c.dep_ == "conj" and c.tag_ == "VBG")
    return points


def _unit_size(tok: Token) -> int:
    return sum(1 for t in tok.subtree if not t.is_punct)


def _belongs_to_other(t: Token, owner: Token, splits: list[Token]) -> bool:
    return any(
        other is not owner and t in other.subtree and other in owner.subtree for other in splits
    )


def _join_tokens(tokens: list[Token]) -> str:
    """Text of possibly non-adjacent tokens, spaced as in the source where they were adjacent."""
    parts = []
    for tok, nxt in zip(tokens, [*tokens[1:], None], strict=True):
        adjacent = nxt is not None and nxt.i == tok.i + 1
        parts.append(tok.text_with_ws if adjacent else tok.text + " ")
    return re.sub(r"\s+([,;.])", r"\1", "".join(parts)).strip(" ,;")


def _subject_phrase(root: Token) -> str | None:
    for child in root.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return root.doc[child.left_edge.i : child.right_edge.i + 1].text
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding spaces, stray punctuation and a dangling conjunction."""
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in ",;—–-"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;—–-“"):
            end -= 1
        if m := re.search(r"\s(and|or|but)$", text[start:end]):
            end = start + m.start()
        if (start, end) == before:
            return start, end
