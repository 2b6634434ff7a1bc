"""What a statement asserts, read off spaCy's parse: quantities, dates, weekdays, entities, negation, direction.

Two aligned statements contradict when they give different values in the same slot: "killed 12"
vs "15 died" (quantities anchored to the same event), "arrives Tuesday" vs "arrives Wednesday",
"met in Washington" vs "met in Jerusalem", "approved" vs "rejected", "did" vs "did not".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from factcheck.engines.lexicon import (
    ANTONYM_OF,
    APPROXIMATE_TOLERANCE,
    APPROXIMATORS,
    ATTRIBUTION,
    CANON,
    CITIES_NAMED_AS_STATES,
    CONTENT_POS,
    ENTITY_GROUPS,
    FORECAST_WORDS,
    GENERIC_ANCHORS,
    LOWER_BOUNDS,
    MONTHS,
    NAME_FILLERS,
    NEGATORS,
    NUMBER_WORDS,
    ORG_DESIGNATORS,
    REPORTING_SLOT,
    SCALES,
    UNITS,
    UPPER_BOUNDS,
    WEAK_LEMMAS,
    WEEKDAYS,
)
from factcheck.models import Conflict

DESCRIBING_DEPS = {"compound", "amod", "nmod", "poss"}
DATE_KINDS = {"weekday", "month", "year", "day of month"}
ASSERTING_DEPS = {"conj", "ccomp", "acomp", "attr", "parataxis"}


@dataclass(frozen=True)
class Value:
    """One asserted value (a number, a weekday, a date part, an entity) and the slots it fills."""

    kind: str
    value: object
    text: str
    anchors: frozenset[str]
    approximate: bool = False  # "some 2,700", "about 40": matches a figure within a tolerance
    measure: str = ""  # what a figure measures: "%", "money" or a count (""); others never compare
    # "min" for "at least 3", "max" for "up to 40": the figure is a limit, not a value
    bound: str = ""
    forecast: bool = False  # what was expected or estimated, never compared with what happened


@dataclass
class Statement:
    """A parsed statement reduced to what can be compared."""

    text: str
    lemmas: set[str] = field(default_factory=set)
    content: set[str] = field(default_factory=set)
    values: list[Value] = field(default_factory=list)
    entities: list[Value] = field(default_factory=list)
    negated: set[str] = field(default_factory=set)
    verbs: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # lemmas and lower-cased words, for name look-ups
    # lemma -> lemmas of the words it modifies (where two opposite words stand)
    heads: dict[str, set[str]] = field(default_factory=dict)
    # verb lemma -> the nouns it is about (its subjects and objects): whose rise, what was not done
    arguments: dict[str, set[str]] = field(default_factory=dict)

    def mentions(self, entity: Value) -> bool:
        """Every word of a name occurs here, though not recognised as that entity."""
        return bool(entity.value) and entity.value <= self.words


def canon(lemma: str) -> str:
    return CANON.get(lemma.lower(), lemma.lower())


def anchors_of(token: Token) -> frozenset[str]:
    """The slots a value fills: the noun it counts and the verbs above it, canonicalised."""
    found: set[str] = set()
    node, steps = token, 0
    while node.head is not node and steps < 6:
        head = node.head
        if head.pos_ in ("NOUN", "PROPN") and node.dep_ in (
            "nummod",
            "compound",
            "amod",
            "quantmod",
            "npadvmod",
            "appos",
            "nmod",
        ):
            found.add(canon(head.lemma_))
        if head.pos_ in ("VERB", "AUX", "ADJ") and head.lemma_ not in GENERIC_ANCHORS:
            found.add(canon(head.lemma_))
            if head.pos_ == "VERB":
                break
        node, steps = head, steps + 1
    if node.dep_ == "ROOT" and node.pos_ in ("NOUN", "PROPN"):
        found.add(canon(node.lemma_))
    return frozenset(found - GENERIC_ANCHORS)


def _entity_anchors(ent: Span) -> frozenset[str]:
    """A name that describes a noun ("Vermont Senator", "the Texas plant") fills that noun's slot
    only, not the event's: "Vermont Senator Sanders lost in Arizona" gives no place of the loss."""
    root = ent.root
    if (
        root.dep_ in DESCRIBING_DEPS
        and root.head.pos_ in ("NOUN", "PROPN")
        and root.head not in ent
    ):
        return frozenset({canon(root.head.lemma_)}) - GENERIC_ANCHORS
    return anchors_of(root)


def asserted(token: Token) -> bool:
    """Whether a predicate is stated, not only mentioned: the main verb, one joined to it, or one
    reported by it ("said he would not meet"); not "criticised for not visiting", "refused meeting"."""
    node, steps = token, 0
    while node.dep_ != "ROOT" and steps < 8:
        if node.dep_ not in ASSERTING_DEPS or _asks(node):
            return False
        node, steps = node.head, steps + 1
    return node.dep_ == "ROOT"


def _asks(clause: Token) -> bool:
    """A clause that asks rather than states: "asked if he would condemn", "whether it rose"."""
    return any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in clause.children)


def parse_number(tokens: list[Token]) -> float | None:
    value: float | None = None
    for tok in tokens:
        word = tok.lower_.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", word):
            value = float(word) if value is None else value + float(word)
        elif word in NUMBER_WORDS and word not in SCALES:
            value = NUMBER_WORDS[word] if value is None else value + NUMBER_WORDS[word]
        elif word in SCALES:
            value = (value or 1.0) * SCALES[word]
        elif m := re.fullmatch(r"(\d+(?:\.\d+)?)(k|m|bn)", word):
            value = float(m.group(1)) * SCALES[m.group(2)]
    return value


def _entity_key(text: str) -> frozenset[str]:
    """Comparable words of a name: case, dots ("U.S."), possessives and titles dropped."""
    plain = _without_possessive(text.lower()).replace(".", "")
    words = re.findall(r"[a-z0-9]+", plain)
    return frozenset(w for w in words if w not in NAME_FILLERS)


def same_entity(a: Value, b: Value) -> bool:
    """One name's words all occur in the other, up to nicknames and short forms.

    "Witkoff" ~ "Steve Witkoff", "Matt" ~ "Matthew Whitaker", "Bill Clinton" ~ "William Clinton".
    """
    if is_acronym_of(a.text, b.text) or is_acronym_of(b.text, a.text):
        return True
    state = us_state(a.text)
    if state is not None and state == us_state(b.text):
        return True  # "Va." ~ "Virginia"
    small, large = sorted((_naming_words(a), _naming_words(b)), key=len)
    return bool(small) and all(any(same_name_word(w, x) for x in large) for w in small)


def _naming_words(name: Value) -> frozenset[str]:
    """The words that say which one: an organisation's without those saying what kind of body."""
    if name.kind == "org" and name.value - ORG_DESIGNATORS:
        return name.value - ORG_DESIGNATORS
    return name.value


def _without_possessive(name: str) -> str:
    return name.replace("’s", "").replace("'s", "")


def is_acronym_of(short: str, name: str) -> bool:
    """Initials of the capitalised words: "US" / "U.S." of "the United States", "UN" of "United
    Nations"; a short form in one word, "UChicago" of "the University of Chicago"; an acronym of
    a name cut short by one word, "NSA" of "National Security" (from "National Security Adviser")."""
    initials = "".join(
        w[0]
        for w in re.findall(r"[A-Za-z]+", _without_possessive(name))
        if w[0].isupper() and w.lower() not in NAME_FILLERS
    )
    letters = _without_possessive(short).replace(".", "").strip()
    if _SHORT_FORM.fullmatch(letters):  # "UChicago", "UConn": its capitals are the initials
        return "".join(c for c in letters if c.isupper()) == initials
    if not (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()):
        return False
    return letters == initials or (len(initials) >= 2 and letters[:-1] == initials)


_SHORT_FORM = re.compile(r"[A-Z]{1,3}[A-Z][a-z]{2,}")


@lru_cache(maxsize=20_000)
def same_name_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if (
        a.isalpha()
        and b.isalpha()
        and min(len(a), len(b)) >= 3
        and (a.startswith(b) or b.startswith(a))
    ):
        return True
    return a in name_variants(b) or b in name_variants(a)


@lru_cache(maxsize=20_000)
def us_state(name: str) -> str | None:
    """The U.S. state a name or abbreviation stands for ("Va.", "VA", "Virginia"), from the `us` package."""
    import us

    found = us.states.lookup(name.strip())
    if found is None:
        found = next(
            (s for s in us.states.STATES_AND_TERRITORIES if s.ap_abbr == name.strip()), None
        )
    return found.name if found else None


@lru_cache(maxsize=20_000)
def name_variants(word: str) -> frozenset[str]:
    """Nicknames and formal names of a first name (the `nicknames` dataset), lower-cased."""
    namer = _nick_namer()
    return frozenset(n.lower() for n in namer.nicknames_of(word) | namer.canonicals_of(word))


@lru_cache(maxsize=1)
def _nick_namer():
    from nicknames import NickNamer

    return NickNamer()


def analyze(span: Span | Doc) -> Statement:
    """Reduce a parsed sentence or claim to its comparable parts."""
    statement = Statement(text=span.text)
    date_tokens: set[int] = set()
    for ent in span.ents:
        if ent.label_ in ("DATE", "TIME"):
            date_tokens.update(t.i for t in ent)
            statement.values.extend(_date_values(ent))
        elif ent.label_ in ENTITY_GROUPS:
            statement.entities.append(
                Value(
                    _entity_kind(ent),
                    _entity_key(ent.text),
                    ent.text,
                    _entity_anchors(ent),
                )
            )
    statement.values.extend(_quantities(span, date_tokens))
    for tok in span:
        lemma = tok.lemma_.lower()
        statement.lemmas.add(lemma)
        statement.heads.setdefault(lemma, set()).add(canon(tok.head.lemma_))
        if (
            tok.pos_ in CONTENT_POS
            and not tok.is_stop
            and lemma not in WEAK_LEMMAS
            and tok.is_alpha
        ):
            statement.content.add(lemma)
        if (
            tok.pos_ in ("VERB", "AUX", "ADJ")
            and lemma not in ("be", "have", "do")
            and asserted(tok)
        ):
            statement.verbs.add(lemma)
            statement.arguments.setdefault(lemma, set()).update(_arguments(tok))
        if tok.lower_ in NEGATORS or tok.dep_ == "neg":
            target = tok.head if tok.dep_ in ("neg", "advmod", "det", "preconj") else tok
            while target.dep_ == "advmod" and target.pos_ == "ADV":  # "no longer allow"
                target = target.head
            if asserted(target):
                statement.negated.add(target.lemma_.lower())
    statement.words = statement.lemmas | {w.lower() for w in statement.text.split()}
    return statement


def _entity_kind(ent: Span) -> str:
    """The entity's group; a place that acts or is acted on ("the U.S. and China agreed", "Russia
    invaded Ukraine") is a party to the event, not where it happened ("a dinner in Argentina")."""
    kind = ENTITY_GROUPS[ent.label_]
    if kind != "place" or ent.label_ != "GPE":
        return kind
    root = ent.root
    while root.dep_ == "conj":
        root = root.head
    return "party" if root.dep_ in ("nsubj", "nsubjpass", "dobj") else kind


def _arguments(verb: Token) -> set[str]:
    """The nouns a predicate is about: its subjects and objects (a joined verb shares its head's
    subject); pronouns say nothing about whom."""
    roles = ("nsubj", "nsubjpass", "dobj")
    found = [c for c in verb.children if c.dep_ in roles]
    if verb.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in found):
        found += [c for c in verb.head.children if c.dep_.startswith("nsubj")]
    return {canon(c.lemma_) for c in found if c.pos_ in ("NOUN", "PROPN")}


def _date_values(ent: Span) -> list[Value]:
    values = []
    anchors = anchors_of(ent.root)
    for tok in ent:
        word = tok.lower_.strip(".")
        if word in WEEKDAYS:
            values.append(Value("weekday", word, tok.text, anchors))
        elif word in MONTHS and (tok.pos_ == "PROPN" or tok.text[0].isupper()):
            values.append(Value("month", MONTHS[word], tok.text, anchors))
        elif re.fullmatch(r"(1[89]|20)\d\d", word):
            values.append(Value("year", int(word), tok.text, anchors))
        elif re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", word) and any(
            t.lower_.strip(".") in MONTHS for t in ent
        ):
            values.append(Value("day of month", int(re.sub(r"\D", "", word)), tok.text, anchors))
    return values


CLOCK = re.compile(r"\d{1,2}:\d{2}|0\d\.\d{2}")  # "06.59", "14:30": a time of day, not a figure
COUNTED = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")


def _is_figure(tok: Token, skip: set[int]) -> bool:
    """A token of a figure: digits, or a number word that counts something ("one of them" does not)."""
    if tok.i in skip or tok.ent_type_ == "ORDINAL" or CLOCK.fullmatch(tok.text):
        return False
    if tok.lower_ in SCALES or tok.lower_ == "dozens":
        return True
    if not tok.like_num:
        return False
    return any(c.isdigit() for c in tok.text) or tok.dep_ == "nummod" or tok.ent_type_ in COUNTED


def _quantities(span: Span | Doc, skip: set[int]) -> list[Value]:
    values, group = [], []
    tokens = list(span)
    for i, tok in enumerate(tokens):
        numeric = _is_figure(tok, skip)
        if numeric:
            group.append(tok)
        if group and (not numeric or i == len(tokens) - 1):
            value = parse_number(group)
            first, last = group[0], group[-1]
            before = tuple(t.lower_ for t in first.doc[max(0, first.i - 3) : first.i])
            # "not one Republican vote" counts nothing
            if value is not None and before[-1:] != ("not",):
                unit = (
                    "%"
                    if last.i + 1 < len(last.doc) and last.nbor().text in ("%", "percent")
                    else ""
                )
                anchors = anchors_of(last) | ({canon(unit)} if unit else frozenset())
                text = " ".join(t.text for t in group) + (f" {unit}" if unit else "")
                approximate = bool(set(before[-2:]) & APPROXIMATORS)
                measure = unit or ("money" if _is_money(group) else "")
                values.append(
                    Value(
                        "number",
                        value,
                        text,
                        frozenset(anchors),
                        approximate,
                        measure,
                        _bound(before),
                        _forecast(last),
                    )
                )
            group = []
    return values


def _bound(before: tuple[str, ...]) -> str:
    """Given the words before a figure: "min" after "at least", "more than"...; "max" after
    "up to", "fewer than"...; else ""."""
    if any(before[-len(words) :] == words for words in LOWER_BOUNDS):
        return "min"
    if any(before[-len(words) :] == words for words in UPPER_BOUNDS):
        return "max"
    return ""


def _forecast(token: Token) -> bool:
    """Whether a figure is what was expected or estimated: a forecast word governs it ("had
    expected 700,000 jobs") or is the subject of a clause above it ("the consensus being that…")."""
    for node in token.ancestors:
        if node.lemma_.lower() in FORECAST_WORDS:
            return True
        if any(
            c.dep_.startswith("nsubj") and c.lemma_.lower() in FORECAST_WORDS for c in node.children
        ):
            return True
    return False


def _is_money(group: list[Token]) -> bool:
    """A sum of money: tagged so, or following a currency sign ("$1.9 trillion")."""
    first = group[0]
    after_sign = first.i > 0 and first.nbor(-1).is_currency
    return after_sign or any(t.ent_type_ == "MONEY" for t in group)


def coverage(claim: Statement, evidence: Statement) -> float:
    """Share of the claim's content words (and entities) that the evidence also has."""
    if not claim.content:
        return 0.0
    return len(claim.content & evidence.lemmas) / len(claim.content)


def missing_details(claim: Statement, context: Statement) -> list[str]:
    """Numbers and names the claim asserts that the context never mentions."""
    missing = []
    for value in claim.values:
        if value.anchors & ATTRIBUTION:
            continue  # "two senior sources confirmed": who told the reporter, not what happened
        if value.kind == "number" and not any(
            v.kind == "number" and same_value(v, value) for v in context.values
        ):
            missing.append(value.text)
    for ent in claim.entities:
        if not any(same_entity(ent, other) for other in context.entities) and not context.mentions(
            ent
        ):
            missing.append(ent.text)
    return missing


def _close(a: object, b: object, tolerance: float = 1e-6) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return abs(a - b) <= tolerance * max(abs(a), abs(b), 1.0)
    return a == b


def same_value(a: Value, b: Value) -> bool:
    """Equal values; an estimate ("some 2,700", "about 40") matches within APPROXIMATE_TOLERANCE,
    a bound ("at least one", "up to 40") any figure on its side."""
    tolerance = APPROXIMATE_TOLERANCE if (a.approximate or b.approximate) else 1e-6
    if _close(a.value, b.value, tolerance):
        return True
    if not (a.bound or b.bound) or not all(isinstance(v.value, int | float) for v in (a, b)):
        return False
    (a_low, a_high), (b_low, b_high) = _interval(a, tolerance), _interval(b, tolerance)
    return a_low <= b_high and b_low <= a_high


def _interval(value: Value, tolerance: float) -> tuple[float, float]:
    number = float(value.value)  # type: ignore[arg-type]
    low, high = number * (1 - tolerance), number * (1 + tolerance)
    if value.bound == "min":
        return low, float("inf")
    if value.bound == "max":
        return float("-inf"), high
    return low, high


def conflicts(claim: Statement, evidence: Statement, *, loose_entities: bool) -> list[Conflict]:
    """Values that the two statements assert differently in the same slot."""
    found: list[Conflict] = []
    found += _value_conflicts(claim, evidence)
    found += _entity_conflicts(claim, evidence, loose=loose_entities)
    shared_verbs = claim.verbs & evidence.verbs
    for verb in sorted(shared_verbs):
        if (verb in claim.negated) != (verb in evidence.negated) and _about_the_same(
            claim, verb, evidence, verb
        ):
            said, other = ("not " + verb, verb) if verb in claim.negated else (verb, "not " + verb)
            found.append(Conflict(aspect="negation", claim_value=said, evidence_value=other))
            break
    for lemma in sorted(claim.lemmas):
        for opposite in sorted(ANTONYM_OF.get(lemma, ())):
            if (
                opposite in evidence.lemmas
                and opposite not in claim.lemmas
                and lemma not in evidence.lemmas
                # "no longer allow" says what "prohibit" says
                and (lemma in claim.negated) == (opposite in evidence.negated)
                and _same_slot(claim, lemma, evidence, opposite)
            ):
                found.append(
                    Conflict(aspect="direction", claim_value=lemma, evidence_value=opposite)
                )
    return found


def _same_slot(claim: Statement, lemma: str, evidence: Statement, opposite: str) -> bool:
    """Two opposite words say opposite things only in the same place: both the predicate stated
    ("rose" / "fell"), or both modifying the same word ("the first trip" / "the last trip"; not
    "the first trip" / "last week"), and of the same thing ("pay rose" / "unemployment fell" is not)."""
    if lemma in claim.verbs and opposite in evidence.verbs:
        return _about_the_same(claim, lemma, evidence, opposite)
    return bool(claim.heads.get(lemma, set()) & evidence.heads.get(opposite, set()))


def _about_the_same(claim: Statement, verb: str, evidence: Statement, other: str) -> bool:
    """Whether two predicates can be about the same thing: they share a subject or object, or one
    names none (a pronoun could be anyone). "A new name was not announced" is not about "the team
    announced a review"."""
    ours, theirs = claim.arguments.get(verb, set()), evidence.arguments.get(other, set())
    return not ours or not theirs or bool(ours & theirs)


def _value_conflicts(claim: Statement, evidence: Statement) -> list[Conflict]:
    """Values of one kind in a shared slot (a shared anchor that is more than a unit) that never match.

    A range or a list counts as a whole: "between Tuesday and Thursday" does not conflict with
    "Tuesday", nor "12 or 15" with "15". A figure the passage also gives, however it attaches
    it, is not contradicted by another figure there. A figure and a date that both differ are two
    moments, not one fact told two ways: "196,000 jobs in March" vs "33,000 jobs in February".
    """
    found: list[tuple[str, Conflict]] = []
    for value in claim.values:
        comparable = [v for v in evidence.values if _same_measure(v, value)]
        rivals = [v for v in comparable if _slot(v, value)]
        if not rivals:
            continue
        if any(same_value(value, v) for v in comparable):
            continue  # the passage gives this very figure: its other figure is another quantity
        group = [
            v for v in claim.values if _same_measure(v, value) and (v is value or _slot(v, value))
        ]
        if any(same_value(g, r) for g in group for r in rivals):
            continue
        aspect = {
            "number": "the figure",
            "weekday": "the day",
            "month": "the month",
            "year": "the year",
            "day of month": "the date",
        }.get(value.kind, value.kind)
        anchor = sorted(_slot(value, rivals[0]))[0]
        conflict = Conflict(
            aspect=f"{aspect} ({anchor})", claim_value=value.text, evidence_value=rivals[0].text
        )
        found.append((value.kind, conflict))
    kinds = {kind for kind, _ in found}
    if "number" in kinds and kinds & DATE_KINDS:
        return []
    return [conflict for _, conflict in found]


def _same_measure(a: Value, b: Value) -> bool:
    """Values that can be compared at all: of one kind, figures of one measure, and both what
    happened or both what was expected."""
    return a.kind == b.kind and a.measure == b.measure and a.forecast == b.forecast


def _slot(a: Value, b: Value) -> frozenset[str]:
    """The anchors two values share, units aside (feet of altitude and feet of depth share none)."""
    return (a.anchors & b.anchors) - UNITS


def differs_only_in_names(claim: Statement, evidence: Statement) -> bool:
    """Every content word the claim adds belongs to a name the evidence gives in another form
    ("Benjamin Netanyahu" for "Netanyahu"): nothing there for the two to disagree on."""
    added = claim.content - evidence.lemmas - evidence.words
    for ent in claim.entities:
        if any(_same_named(ent, other) for other in evidence.entities):
            added -= {w.lower() for w in ent.text.split()} | set(ent.value)
    return not added


def retells(claim: Statement, evidence: Statement, particulars: int) -> bool:
    """Whether the evidence states what the claim states (every predicate the claim asserts) with at
    least `particulars` of its figures, dates and names alike: the same facts, told again."""
    if not claim.verbs or not {canon(v) for v in claim.verbs} <= {canon(v) for v in evidence.verbs}:
        return False
    values = sum(
        any(same_value(v, o) for o in evidence.values if o.kind == v.kind) for v in claim.values
    )
    names = sum(
        any(_same_named(e, o) for o in evidence.entities) or evidence.mentions(e)
        for e in claim.entities
    )
    return values + names >= particulars


def _same_named(a: Value, b: Value) -> bool:
    """The same entity, of the same kind ("Israel" the place is not "Israel Katz" the person)."""
    return (a.kind == b.kind or a.value == b.value) and same_entity(a, b)


def _may_contain(a: Value, b: Value) -> bool:
    """Two places of which one is a U.S. state and the other is not: one may lie in the other
    ("Manhattan" / "New York", "the Midwest" / "Wisconsin", "the U.S." / "California")."""
    if a.kind != "place" or b.kind != "place":
        return False
    return _is_state(a) != _is_state(b)


def _is_state(place: Value) -> bool:
    return place.text.lower() not in CITIES_NAMED_AS_STATES and us_state(place.text) is not None


def _entity_conflicts(claim: Statement, evidence: Statement, *, loose: bool) -> list[Conflict]:
    found = []
    for ent in claim.entities:
        if any(_same_named(ent, other) for other in evidence.entities):
            continue
        if evidence.mentions(ent):
            continue
        rivals = [
            o
            for o in evidence.entities
            if o.kind == ent.kind
            and not any(_same_named(o, c) for c in claim.entities)
            # who reports a statement is no rival to who reports it elsewhere
            and (loose or (o.anchors & ent.anchors) - {REPORTING_SLOT})
            and not _may_contain(o, ent)
        ]
        if rivals:
            found.append(
                Conflict(
                    aspect=f"the {ent.kind}", claim_value=ent.text, evidence_value=rivals[0].text
                )
            )
    return found
