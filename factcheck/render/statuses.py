"""The words, icons and order of the three statuses (and the verdicts), defined once for every view."""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.models import Stats, Status, Verdict


@dataclass(frozen=True)
class StatusWords:
    """How one status reads: each view picks the form it needs, so they never drift apart."""

    status: Status
    label: str  # the tag on one claim: "Differs"
    heading: str  # a section title: "Discrepancies"
    singular: str  # "1 discrepancy"
    plural: str  # "2 discrepancies"
    icon: str  # shown with the colour, so colour is never the only cue
    show: str  # the word `factcheck compare --show` takes for this status
    style: str  # the terminal colour (a rich style)
    emoji: str  # Slack's icon

    def noun(self, n: int) -> str:
        """The noun that goes with the number n: 'agreement' for 1, 'agreements' otherwise."""
        return self.singular if n == 1 else self.plural

    def count(self, n: int) -> str:
        """'1 agreement', '3 agreements'."""
        return f"{n} {self.noun(n)}"


# Severity order: every view lists statuses, and breaks ties between overlapping claims, this way.
STATUS_WORDS: dict[str, StatusWords] = {
    "discrepancy": StatusWords(
        "discrepancy", "Differs", "Discrepancies", "discrepancy", "discrepancies",
        "≠", "discrepancies", "bold red", ":warning:",
    ),
    "unsupported": StatusWords(
        "unsupported", "Only here", "Unsupported additions", "unsupported addition",
        "unsupported additions", "+", "unsupported", "yellow", ":grey_question:",
    ),
    "agreement": StatusWords(
        "agreement", "Agrees", "Agreements", "agreement", "agreements",
        "✓", "agreements", "green", ":white_check_mark:",
    ),
}  # fmt: skip
ORDER: tuple[str, ...] = tuple(STATUS_WORDS)

VERDICT_WORDS: dict[str, tuple[str, str]] = {
    "contradicts": ("≠", "contradicts"),
    "supports": ("✓", "supports"),
    "not_mentioned": ("∅", "does not mention this"),
}


def words(status: str) -> StatusWords:
    """The words of one status; an unknown status is a KeyError naming the known ones."""
    try:
        return STATUS_WORDS[status]
    except KeyError:
        raise KeyError(f"unknown status {status!r}; one of: {', '.join(ORDER)}") from None


def noun(count: int, status: str) -> str:
    """'1 agreement', '3 agreements' (and likewise for the other statuses)."""
    return words(status).count(count)


def verdict_words(verdict: Verdict) -> tuple[str, str]:
    """(icon, phrase) of an evidence verdict: ("∅", "does not mention this")."""
    return VERDICT_WORDS[verdict]


def claim_count(n: int) -> str:
    """'1 claim', '3 claims'."""
    return f"{n} claim{'' if n == 1 else 's'}"


def tally(stats: Stats) -> str:
    """'2 discrepancies, 1 unsupported addition, 1 agreement', in severity order."""
    return ", ".join(noun(getattr(stats, status), status) for status in ORDER)
