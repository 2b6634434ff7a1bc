"""Word lists the value rules read, kept apart from the rules (as spaCy keeps stop words apart)."""

from __future__ import annotations

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

# The slot of who reports a statement (the canonical anchor of "said", "according to"): two
# sources that report it are no rival names for what it reports.
REPORTING_SLOT = "statement"
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
            "declare",
            "disclose",
            "reveal",
            "accord",  # "according to the agency"
        ],
        REPORTING_SLOT,
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

# Words of a name that do not identify it ("the" United States, "Mr" Smith).
NAME_FILLERS = {"the", "of", "and", "mr", "ms", "mrs", "dr"}
# Words that say what kind of body an organisation is, not which one: "the Ways and Means
# Committee" is "House Ways and Means"; "House" and "Senate" name which body, so are not here.
ORG_DESIGNATORS = {
    "administration",
    "agency",
    "authority",
    "board",
    "bureau",
    "co",
    "commission",
    "committee",
    "company",
    "corp",
    "corporation",
    "council",
    "department",
    "dept",
    "inc",
    "llc",
    "ltd",
    "ministry",
    "office",
    "panel",
    "subcommittee",
}
# Units a number measures in: sharing only a unit ("32,000 feet" altitude, "150 feet" depth) is no shared slot.
UNITS = {
    "foot",
    "feet",
    "mile",
    "metre",
    "meter",
    "kilometre",
    "kilometer",
    "km",
    "kilogram",
    "kg",
    "pound",
    "ton",
    "tonne",
    "inch",
    "yard",
    "hour",
    "minute",
    "second",
    "day",
    "week",
    "month",
    "dollar",
    "euro",
    "yuan",
    "yen",
    "cent",
    "percent",
    "%",
    "degree",
    "acre",
    "hectare",
    "litre",
    "liter",
    "gallon",
    "barrel",
}
# Words that turn a figure into an estimate: "some 2,700" agrees with 2,702.
APPROXIMATORS = {
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "nearly",
    "almost",
    "estimated",
    "over",
    "more",
    "than",
    "less",
    "fewer",
    "under",
    "up",
    "least",
    "most",
    "upwards",
    "circa",
}
APPROXIMATE_TOLERANCE = 0.1  # an estimate matches a figure within 10 %
# The words just before a figure that make it a bound: "at least one" agrees with three,
# "up to 40" with 35.
LOWER_BOUNDS = (("at", "least"), ("more", "than"), ("over",), ("above",), ("upwards", "of"))
UPPER_BOUNDS = (
    ("up", "to"),
    ("less", "than"),
    ("fewer", "than"),
    ("under",),
    ("at", "most"),
    ("as", "many", "as"),
)
# Words that make a figure what someone expected rather than what happened: "economists had
# expected 700,000 jobs" is no rival to "the economy added 850,000 jobs".
FORECAST_WORDS = {
    "expect",
    "expectation",
    "estimate",
    "forecast",
    "project",
    "projection",
    "predict",
    "prediction",
    "anticipate",
    "consensus",
}
# State names that news style uses alone for a city (AP style writes "Washington state" for the
# state): such a place is not a state that may contain another.
CITIES_NAMED_AS_STATES = {"washington"}
# Lines that are not the story's statements: bylines, credits, timestamps, captions.
NOT_COMPARABLE = (
    r"^\s*(reporting|writing|editing|additional reporting|compiled|edited|written) by\b",
    r"\b(reporting|editing) by\b",
    r"^\s*(?-i:[Bb]y [A-Z][a-z'-]+(?: [A-Z][a-z.'-]*){0,3})\s*$",  # a byline line
    r"\b(photo|image|picture|video|graphic)s?( credit)?\s*:",
    r"\b(getty images|ap photo|reuters/|afp/|afp via getty|epa-efe)\b",
    r"^\s*\d{1,2}[.:]\d{2}\s*(am|pm|gmt|bst|et|edt|est|utc)?\s*$",  # a timestamp line
    r"\b(updated|published|posted|last modified)\s*:?\s*\d",
    r"\bcontributed (to this )?report(ing)?\b",
)

# Claim kinds: verbs that report speech, hedges and subjects that mark opinion, loaded words.
REPORTING_VERBS = {
    "say",
    "note",
    "tell",
    "add",
    "state",
    "warn",
    "argue",
    "write",
    "explain",
    "insist",
    "claim",
    "declare",
    "remark",
    "comment",
    "ask",
    "reply",
    "continue",
    "read",  # "…," the letter reads
    "tweet",
}
HEDGES = {
    "could",
    "might",
    "may",
    "should",
    "must",
    "ought",
    "likely",
    "perhaps",
    "possibly",
    "seem",
    "appear",
    "suggest",
    "underscore",
    "highlight",
    "signal",
    "reflect",
    "see",
}
OPINION_SUBJECTS = {"analyst", "expert", "critic", "observer", "commentator", "pundit", "editorial"}
# Evaluative words a neutral report would attribute, never assert.
LOADED_WORDS = {
    "outrageous",
    "disastrous",
    "dire",
    "stark",
    "maximalist",
    "shocking",
    "brutal",
    "heroic",
    "shameful",
    "disgraceful",
    "catastrophic",
    "devastating",
    "terrible",
    "horrific",
    "so-called",
    "infamous",
    "notorious",
    "regime",
    "radical",
    "extremist",
    "reckless",
    "absurd",
    "ridiculous",
    "prudent",
    "necessary",
    "overdue",
    "delicate",
    "fragile",
    "tinderbox",
    "damage",
    "coercion",
    "pretend",
    "volatile",
    "key",
    "critical",
    "crucial",
    "urgent",
    "urgency",
    "complex",
    "complexity",
    "sensitive",
    "contentious",
    "pronounced",
    "high-stakes",
    "last-minute",
}

# Pronouns that stand for one person: a quote's speaker given as one of these is the person named
# in its sentence or the one before.
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})

# Personal pronouns: a speaker named only by one of these is not named.
PRONOUNS = frozenset(
    {"i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us", "them", "one"}
)
