"""What a statement asserts, read off spaCy's parse: quantities, dates, weekdays, entities, negation, direction.

Two aligned statements contradict when they give different values in the same slot: "killed 12"
vs "15 died" (quantities anchored to the same event), "arrives Tuesday" vs "arrives Wednesday",
"met in Washington" vs "met in Jerusalem", "approved" vs "rejected", "did" vs "did not".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
}
SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "bn": 1e9,
}

# Lemmas that name the same event or measure: the anchor a number or date hangs on.
CANON = {
    **dict.fromkeys(
        ["kill", "die", "dead", "death", "fatality", "life", "toll", "perish"], "death"
    ),
    **dict.fromkeys(["injure", "wound", "hurt", "injury", "injured", "casualty"], "injury"),
    **dict.fromkeys(["arrest", "detain", "detention", "custody"], "arrest"),
    **dict.fromkeys(
        [
            "arrive",
            "arrival",
            "visit",
            "travel",
            "trip",
            "land",
            "reach",
            "come",
            "begin",
            "start",
            "head",
        ],
        "arrival",
    ),
    **dict.fromkeys(["leave", "depart", "departure", "end", "conclude"], "departure"),
    **dict.fromkeys(
        [
            "say",
            "confirm",
            "announce",
            "tell",
            "report",
            "state",
            "note",
            "add",
            "declare",
            "disclose",
            "reveal",
        ],
        "statement",
    ),
    **dict.fromkeys(["meet", "meeting", "talk", "talks", "hold", "consultation"], "meeting"),
    **dict.fromkeys(["win", "lose", "beat", "defeat", "victory", "loss"], "contest"),
    **dict.fromkeys(
        [
            "rise",
            "fall",
            "increase",
            "decrease",
            "grow",
            "drop",
            "decline",
            "climb",
            "jump",
            "plunge",
            "gain",
        ],
        "change",
    ),
    **dict.fromkeys(["cost", "pay", "spend", "price", "worth", "value", "fund", "budget"], "money"),
    **dict.fromkeys(["percent", "%", "percentage", "per cent"], "percent"),
    **dict.fromkeys(
        ["expect", "schedule", "plan", "due", "slate", "set", "prepare", "intend"], "intent"
    ),
}
ATTRIBUTION = {"source", "official", "spokesman", "spokeswoman", "spokesperson", "witness"}
GENERIC_ANCHORS = {"be", "have", "do", "people", "person", "thing", "time", "year", "day", "one"}

ANTONYMS = {
    frozenset(p)
    for p in [
        ("rise", "fall"),
        ("increase", "decrease"),
        ("increase", "reduce"),
        ("grow", "shrink"),
        ("gain", "lose"),
        ("climb", "drop"),
        ("raise", "lower"),
        ("higher", "lower"),
        ("more", "less"),
        ("more", "fewer"),
        ("up", "down"),
        ("approve", "reject"),
        ("accept", "reject"),
        ("accept", "refuse"),
        ("agree", "refuse"),
        ("agree", "disagree"),
        ("allow", "ban"),
        ("allow", "forbid"),
        ("allow", "prohibit"),
        ("win", "lose"),
        ("confirm", "deny"),
        ("support", "oppose"),
        ("open", "close"),
        ("start", "end"),
        ("begin", "end"),
        ("arrive", "depart"),
        ("before", "after"),
        ("earlier", "later"),
        ("first", "last"),
        ("acquit", "convict"),
        ("guilty", "innocent"),
        ("alive", "dead"),
        ("survive", "die"),
        ("legal", "illegal"),
        ("strengthen", "weaken"),
        ("expand", "cut"),
        ("hire", "fire"),
        ("north", "south"),
        ("east", "west"),
        ("male", "female"),
        ("success", "failure"),
        ("succeed", "fail"),
        ("positive", "negative"),
        ("largest", "smallest"),
        ("biggest", "smallest"),
        ("highest", "lowest"),
        ("best", "worst"),
        ("old", "young"),
        ("oldest", "youngest"),
        ("minimum", "maximum"),
        ("majority", "minority"),
        ("import", "export"),
        ("buy", "sell"),
        ("lend", "borrow"),
        ("ally", "enemy"),
        ("resign", "appoint"),
        ("elect", "defeat"),
        ("include", "exclude"),
        ("always", "never"),
        ("all", "none"),
        ("remain", "leave"),
        ("enter", "exit"),
        ("resume", "suspend"),
        ("lift", "impose"),
        ("release", "detain"),
        ("uphold", "overturn"),
    ]
}
ANTONYM_OF: dict[str, set[str]] = {}
for pair in ANTONYMS:
    a, b = tuple(pair)
    ANTONYM_OF.setdefault(a, set()).add(b)
    ANTONYM_OF.setdefault(b, set()).add(a)

NEGATORS = {"not", "n't", "never", "no", "without", "nobody", "nothing", "none", "neither", "nor"}
ENTITY_GROUPS = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "ORG": "org",
    "NORP": "group",
    "EVENT": "event",
    "WORK_OF_ART": "work",
    "LAW": "law",
    "PRODUCT": "product",
}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}
WEAK_LEMMAS = {
    "be",
    "have",
    "do",
    "say",
    "also",
    "so",
    "then",
    "just",
    "very",
    "-",
    "’s",
    "'s",
    "mr",
    "ms",
    "mrs",
    "dr",
    "lt",
    "gen",
    "which",
    "when",
    "where",
}


@dataclass(frozen=True)
class Value:
    """One asserted value (a number, a weekday, a date part, an entity) and the slots it fills."""

    kind: str
    value: object
    text: str
    anchors: frozenset[str]


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

    def mentions(self, entity: Value) -> bool:
        """Every word of a name occurs here, though not recognised as that entity."""
        return bool(entity.value) and entity.value <= self.words


@dataclass(frozen=True)
class Conflict:
    """Why two aligned statements cannot both be true."""

    aspect: str
    claim_value: str
    evidence_value: str

    def reason(self) -> str:
        return f"{self.aspect} differs: “{self.claim_value}” vs “{self.evidence_value}”"

    @classmethod
    def from_reason(cls, reason: str | None) -> Conflict | None:
        """Read back a reason written by `reason()` (evidence carries only the text)."""
        match = re.fullmatch(r"(.+) differs: “(.*)” vs “(.*)”", reason or "")
        return cls(*match.groups()) if match else None


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
    plain = text.lower().replace("’s", "").replace("'s", "").replace(".", "")
    words = re.findall(r"[a-z0-9]+", plain)
    return frozenset(w for w in words if w not in ("the", "of", "and", "mr", "ms", "mrs", "dr"))


def same_entity(a: Value, b: Value) -> bool:
    ka, kb = a.value, b.value
    return bool(ka) and bool(kb) and (ka <= kb or kb <= ka)  # "Witkoff" ~ "Steve Witkoff"


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
                    ENTITY_GROUPS[ent.label_], _entity_key(ent.text), ent.text, anchors_of(ent.root)
                )
            )
    statement.values.extend(_quantities(span, date_tokens))
    for tok in span:
        lemma = tok.lemma_.lower()
        statement.lemmas.add(lemma)
        if (
            tok.pos_ in CONTENT_POS
            and not tok.is_stop
            and lemma not in WEAK_LEMMAS
            and tok.is_alpha
        ):
            statement.content.add(lemma)
        if tok.pos_ in ("VERB", "AUX", "ADJ") and lemma not in ("be", "have", "do"):
            statement.verbs.add(lemma)
        if tok.lower_ in NEGATORS or tok.dep_ == "neg":
            target = tok.head if tok.dep_ in ("neg", "advmod", "det", "preconj") else tok
            statement.negated.add(target.lemma_.lower())
    statement.words = statement.lemmas | {w.lower() for w in statement.text.split()}
    return statement


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


def _quantities(span: Span | Doc, skip: set[int]) -> list[Value]:
    values, group = [], []
    tokens = list(span)
    for i, tok in enumerate(tokens):
        numeric = (
            tok.like_num or tok.lower_ in SCALES or tok.lower_ == "dozens"
        ) and tok.i not in skip
        if numeric and tok.ent_type_ not in ("ORDINAL",):
            group.append(tok)
        if group and (not numeric or i == len(tokens) - 1):
            value = parse_number(group)
            if value is not None:
                last = group[-1]
                unit = (
                    "%"
                    if last.i + 1 < len(last.doc) and last.nbor().text in ("%", "percent")
                    else ""
                )
                anchors = anchors_of(last) | ({canon(unit)} if unit else frozenset())
                text = " ".join(t.text for t in group) + (f" {unit}" if unit else "")
                values.append(Value("number", value, text, frozenset(anchors)))
            group = []
    return values


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
            v.kind == "number" and _close(v.value, value.value) for v in context.values
        ):
            missing.append(value.text)
    for ent in claim.entities:
        if not any(same_entity(ent, other) for other in context.entities) and not context.mentions(
            ent
        ):
            missing.append(ent.text)
    return missing


def _close(a: object, b: object) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)
    return a == b


def conflicts(claim: Statement, evidence: Statement, *, loose_entities: bool) -> list[Conflict]:
    """Values that the two statements assert differently in the same slot."""
    found: list[Conflict] = []
    found += _value_conflicts(claim, evidence)
    found += _entity_conflicts(claim, evidence, loose=loose_entities)
    shared_verbs = claim.verbs & evidence.verbs
    for verb in sorted(shared_verbs):
        if (verb in claim.negated) != (verb in evidence.negated):
            said, other = ("not " + verb, verb) if verb in claim.negated else (verb, "not " + verb)
            found.append(Conflict("negation", said, other))
            break
    for lemma in sorted(claim.lemmas):
        for opposite in sorted(ANTONYM_OF.get(lemma, ())):
            if (
                opposite in evidence.lemmas
                and opposite not in claim.lemmas
                and lemma not in evidence.lemmas
            ):
                found.append(Conflict("direction", lemma, opposite))
    return found


def _value_conflicts(claim: Statement, evidence: Statement) -> list[Conflict]:
    found = []
    for value in claim.values:
        rivals = [v for v in evidence.values if v.kind == value.kind and v.anchors & value.anchors]
        if rivals and not any(_close(v.value, value.value) for v in rivals):
            aspect = {
                "number": "the figure",
                "weekday": "the day",
                "month": "the month",
                "year": "the year",
                "day of month": "the date",
            }.get(value.kind, value.kind)
            anchor = sorted(value.anchors & rivals[0].anchors)[0]
            found.append(Conflict(f"{aspect} ({anchor})", value.text, rivals[0].text))
    return found


def _entity_conflicts(claim: Statement, evidence: Statement, *, loose: bool) -> list[Conflict]:
    found = []
    for ent in claim.entities:
        if any(same_entity(ent, other) for other in evidence.entities):
            continue
        if evidence.mentions(ent):
            continue
        rivals = [
            o
            for o in evidence.entities
            if o.kind == ent.kind
            and not any(same_entity(o, c) for c in claim.entities)
            and (loose or o.anchors & ent.anchors)
        ]
        if rivals:
            found.append(Conflict(f"the {ent.kind}", ent.text, rivals[0].text))
    return found
