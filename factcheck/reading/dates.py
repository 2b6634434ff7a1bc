"""Dates written in an article's text ("Feb 2", "24 July 2015", "2/26/2015") as ISO 8601.

A date without a year ("JERUSALEM, Feb 2 –") takes it from a full date elsewhere in the article
(the year that puts it nearest that date); with none, it stays partial: "--02-02", ISO 8601's
month-and-day form, and the article says so (`Article.date_partial`).
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
PATTERNS = (
    re.compile(rf"\b{_YEAR}-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),  # 2015-02-26(T10:42)
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.IGNORECASE),  # Feb 2(, 2015)
    re.compile(
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?", re.IGNORECASE
    ),  # 2 Feb(, 2015)
    re.compile(rf"\b(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/{_YEAR}\b"),  # 2/26/2015 (US order)
)


def parse_date(text: str | None) -> str | None:
    """The first date written in `text`: "YYYY-MM-DD", "--MM-DD" without a year, or None."""
    if not text:
        return None
    found = []
    for pattern in PATTERNS:
        if match := pattern.search(text):
            found.append((match.start(), match))
    for _, match in sorted(found, key=lambda item: item[0]):
        if (value := _iso(match)) is not None:
            return value
    return None


def full_dates(text: str, limit: int = 20) -> list[str]:
    """Full dates (with a year) written in `text`, in order of appearance."""
    found: list[tuple[int, str]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text[:200_000]):
            if match.group("year") and (value := _iso(match)):
                found.append((match.start(), value))
    return [value for _, value in sorted(found)][:limit]


def with_year(partial: str, context: list[str]) -> str | None:
    """A "--MM-DD" date completed by the year that puts it nearest the first context date."""
    if not context or not partial.startswith("--"):
        return None
    month, day = int(partial[2:4]), int(partial[5:7])
    anchor = date.fromisoformat(context[0])
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:  # 29 February
            continue
    if not options:
        return None
    return min(options, key=lambda d: abs((d - anchor).days)).isoformat()


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else MONTHS[groups["month"].lower()[:3]]
    day = int(groups["d"]) if groups.get("d") else int(groups["day"])
    year = groups.get("year")
    try:
        date(int(year) if year else 2000, month, day)  # 2000: a leap year, so 29 Feb is valid
    except ValueError:
        return None
    return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
