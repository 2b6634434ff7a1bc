"""Synthetic NLI pairs made from the training premises: the value edits news claims differ by.

A sentence of a training premise, kept verbatim, is entailed by the premise; the same sentence with
one number, year, month, weekday or name swapped, a negation added or removed, or a direction word
turned into its opposite is contradicted; a sentence of the same passage that the chosen window
leaves out is neutral. Only premises of `train.jsonl` are used (never validation, never benchmarks).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Surface forms turned into their opposite (both directions are used).
OPPOSITES = [
    ("increased", "decreased"),
    ("rose", "fell"),
    ("won", "lost"),
    ("confirmed", "denied"),
    ("approved", "rejected"),
    ("accepted", "rejected"),
    ("before", "after"),
    ("largest", "smallest"),
    ("highest", "lowest"),
    ("first", "last"),
    ("more", "fewer"),
    ("north", "south"),
    ("east", "west"),
    ("opened", "closed"),
    ("began", "ended"),
    ("supported", "opposed"),
    ("allowed", "banned"),
    ("older", "younger"),
    ("higher", "lower"),
    ("arrived", "departed"),
    ("bought", "sold"),
    ("male", "female"),
    ("acquitted", "convicted"),
    ("survived", "died"),
    ("early", "late"),
]
AUXILIARIES = [
    "is",
    "was",
    "are",
    "were",
    "will",
    "can",
    "could",
    "would",
    "should",
    "has been",
    "have been",
]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
_NAME = re.compile(r"(?<=\s)(?:[A-Z][a-z]+(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][a-z]+)*)")
_OPPOSITE_OF = {a: b for a, b in OPPOSITES} | {b: a for a, b in OPPOSITES}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _usable(sentence: str) -> bool:
    words = sentence.split()
    return 6 <= len(words) <= 45 and sentence[-1] in '.!?"”'


def change_number(sentence: str, rng: random.Random) -> str | None:
    matches = list(_NUMBER.finditer(sentence))
    if not matches:
        return None
    match = rng.choice(matches)
    raw = match.group(1)
    value = float(raw.replace(",", ""))
    if raw.isdigit() and 1800 <= value <= 2099 and len(raw) == 4:
        new = str(int(value) + rng.choice([-10, -5, -3, -2, -1, 1, 2, 3, 5, 10]))
    else:
        factor = rng.choice([0.5, 0.6, 0.75, 1.25, 1.5, 2, 3, 10])
        changed = value * factor if value >= 4 else value + rng.choice([1, 2, 3, 5])
        if changed == value:
            return None
        if "." in raw:
            new = f"{changed:.{len(raw.split('.')[1])}f}"
        elif "," in raw:
            new = f"{round(changed):,}"
        else:
            new = str(round(changed))
        if new == raw:
            return None
    return sentence[: match.start(1)] + new + sentence[match.end(1) :]


def swap_word(sentence: str, choices: list[str], rng: random.Random) -> str | None:
    present = [w for w in choices if re.search(rf"\b{w}\b", sentence)]
    if not present:
        return None
    old = rng.choice(present)
    new = rng.choice([w for w in choices if w != old])
    return re.sub(rf"\b{old}\b", new, sentence, count=1)


def swap_opposite(sentence: str, rng: random.Random) -> str | None:
    words = [w for w in _OPPOSITE_OF if re.search(rf"\b{w}\b", sentence)]
    if not words:
        return None
    old = rng.choice(words)
    return re.sub(rf"\b{old}\b", _OPPOSITE_OF[old], sentence, count=1)


def flip_negation(sentence: str, rng: random.Random) -> str | None:
    if m := re.search(r"\b(\w+) not\b", sentence):
        return sentence[: m.end(1)] + sentence[m.end() :]
    if m := re.search(r"\b(\w+)n't\b", sentence):
        return sentence[: m.start()] + m.group(1) + sentence[m.end() :]
    found = list(re.finditer(r"\b(" + "|".join(AUXILIARIES) + r")\b", sentence))
    if not found:
        return None
    m = rng.choice(found)
    first, _, rest = m.group(0).partition(" ")
    return (
        sentence[: m.start()] + f"{first} not" + (f" {rest}" if rest else "") + sentence[m.end() :]
    )


def swap_name(sentence: str, other_names: list[str], rng: random.Random) -> str | None:
    names = [m for m in _NAME.finditer(sentence) if m.group(0) not in WEEKDAYS + MONTHS]
    if not names:
        return None
    match = rng.choice(names)
    rivals = [n for n in other_names if n != match.group(0) and n not in match.group(0)]
    if not rivals:
        return None
    return sentence[: match.start()] + rng.choice(rivals) + sentence[match.end() :]


def first_clause(sentence: str) -> str | None:
    """The sentence up to its first comma, when that is still a statement of six words or more."""
    head = sentence.split(", ", 1)[0]
    if head == sentence or len(head.split()) < 6:
        return None
    return head.rstrip(",;:") + "."


def synthetic_pairs(premises: list[str], rng: random.Random, limit: int) -> Iterator[dict]:
    """Up to `limit` labelled pairs built from these premises, in a reproducible order."""
    premises = sorted(set(premises))
    rng.shuffle(premises)
    names = [m.group(0) for p in premises for m in _NAME.finditer(p)]
    edits = [
        ("number", change_number),
        ("weekday", lambda s, r: swap_word(s, WEEKDAYS, r)),
        ("month", lambda s, r: swap_word(s, MONTHS, r)),
        ("opposite", swap_opposite),
        ("negation", flip_negation),
    ]
    made = 0
    for premise in premises:
        if made >= limit:
            return
        parts = sentences(premise)
        usable = [i for i, s in enumerate(parts) if _usable(s)]
        if not usable:
            continue
        i = rng.choice(usable)
        target = parts[i]
        window = " ".join(parts[max(0, i - 1) : i + 2]) if rng.random() < 0.6 else target
        local_names = [m.group(0) for p in parts for m in _NAME.finditer(p)]
        kind = rng.random()
        if kind < 0.3:
            hypothesis = first_clause(target) if rng.random() < 0.4 else None
            yield _pair(window, hypothesis or target, "entailment", "synthetic_copy")
            made += 1
            continue
        if kind < 0.42 and len(parts) >= 2:
            rest = [j for j in range(len(parts)) if j != i and _usable(parts[j])]
            if rest:
                yield _pair(target, parts[rng.choice(rest)], "neutral", "synthetic_elsewhere")
                made += 1
                continue
        if kind < 0.6:
            pool = [n for n in local_names if n not in target] or names
            edited = swap_name(target, pool if rng.random() < 0.7 else names, rng)
            if edited:
                yield _pair(window, edited, "contradiction", "synthetic_name")
                made += 1
                continue
        rng.shuffle(edits)
        edits.sort(
            key=lambda e: e[0] == "negation"
        )  # negation fits almost anything: the last resort
        for name, edit in edits:
            edited = edit(target, rng)
            if edited and edited != target:
                yield _pair(window, edited, "contradiction", f"synthetic_{name}")
                made += 1
                break


def _pair(premise: str, hypothesis: str, label: str, source: str) -> dict:
    return {"premise": premise, "hypothesis": hypothesis, "label": label, "source": source}
