"""Page furniture by kind (share widgets, comment sections, credits, promos...): patterns live in
factcheck/data/furniture.json, one list per kind, each matched against a whole line."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# List markers, bullets and brackets around widget items ("- Share on Twitter", "[Sign up ...]").
MARKER = re.compile(r"^[\s\-–—•*·>|#\[]+|[\s|·\]]+$")
DEFAULT_MAX_WORDS = 20
# A live blog's time stamp: "10:42", "10.42am", "2:15 p.m. GMT", then a separator or a space.
TIMESTAMP = re.compile(
    r"^\s*(?:\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\.\d{2}\s*[ap]\.?m\.?)"
    r"\s*(?:(?-i:[A-Z]{2,4})\b)?\s*(?:[:|–—-]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Patterns:
    line: dict[str, re.Pattern[str]]
    tail: dict[str, re.Pattern[str]]
    credit: re.Pattern[str]
    max_words: dict[str, int]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    data = json.loads(
        (resources.files("factcheck") / "data" / "furniture.json").read_text(encoding="utf-8")
    )
    return Patterns(
        line={kind: _compile(p) for kind, p in data["line"].items()},
        tail={kind: _compile(p) for kind, p in data["tail"].items()},
        credit=_compile(data["credit"]),
        max_words=data.get("max_words", {}),
    )


def bare(line: str) -> str:
    """The line without list markers and surrounding space."""
    return MARKER.sub("", line).strip()


def line_kind(line: str) -> str | None:
    """The kind of furniture a whole line is ("share", "comments", "media"...), or None."""
    text = bare(line)
    if not text:
        return None
    words = len(text.split())
    found = patterns()
    for kind, pattern in found.line.items():
        if words <= found.max_words.get(kind, DEFAULT_MAX_WORDS) and pattern.fullmatch(text):
            return kind
    return None


def tail_kind(line: str) -> str | None:
    """The kind of page tail a heading line starts (comments, related stories), or None."""
    text = bare(line)
    found = patterns()
    if not text or len(text.split()) > found.max_words.get("tail", 8) or text.endswith("."):
        return None
    for kind, pattern in found.tail.items():
        if pattern.fullmatch(text):
            return kind
    return None


def credit_line(line: str) -> re.Match[str] | None:
    """'Reporting by X; editing by Y': the credits at an article's end (group `names`, if any),
    in parentheses or not."""
    text = bare(line).rstrip(".")
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip().rstrip(".")
    if len(text.split()) > patterns().max_words.get("credit", 30):
        return None
    return patterns().credit.fullmatch(text)


def trailing_credit(paragraph: str) -> int | None:
    """Where a credit in parentheses closing a paragraph starts ("... said. (Reporting by X;
    Editing by Y)"), or None."""
    text = paragraph.rstrip()
    if not text.endswith(")") or (opening := text.rfind("(")) <= 0:
        return None
    return opening if credit_line(text[opening:]) else None


def timestamp_prefix(line: str) -> int:
    """The length of a live blog's time stamp opening a line ("10:42 GMT: ", "2.15pm - "), or 0."""
    match = TIMESTAMP.match(line)
    return match.end() if match else 0


def bracketed_link(line: str) -> bool:
    """A short line all in square brackets: a link to another story ("[Museum reopens]")."""
    text = line.strip()
    return (
        text.startswith("[")
        and text.endswith("]")
        and "]" not in text[1:-1]
        and 0 < len(text[1:-1].split()) <= 20
    )
