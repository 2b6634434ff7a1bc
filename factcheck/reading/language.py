"""The language of an article's text: py3langid, whose model ships inside its PyPI package.

py3langid (a maintained fork of langid.py) is 4.5 MB installed, loads in about 1 s and classifies
an article in a few milliseconds; nothing is downloaded at run time. It is imported on first use
only, so reading a file and reporting a user error never pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MIN_LETTERS = 40  # below this a verdict is a guess: short texts count as undetermined
MIN_CONFIDENCE = 0.9  # normalised probability of the best language

# English function words that are not words of other languages written in Latin script. In
# English prose they are about a third of all words; in other languages next to none.
ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "is",
        "that",
        "was",
        "for",
        "with",
        "on",
        "as",
        "by",
        "it",
        "are",
        "at",
        "be",
        "this",
        "have",
        "from",
        "or",
        "had",
        "but",
        "not",
        "which",
        "were",
        "been",
        "has",
        "they",
        "their",
        "said",
        "would",
        "who",
        "will",
        "its",
        "his",
        "her",
        "an",
        "there",
        "what",
        "when",
    ]
)
ENGLISH_SHARE = 0.2  # share of such words above which a text is English without the model
MIN_WORDS_FOR_SHORTCUT = 30

NAMES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "ms": "Malay",
    "nb": "Norwegian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sr": "Serbian",
    "sv": "Swedish",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


@dataclass(frozen=True)
class Language:
    """The detected language: an ISO 639-1 code, or None when the text is too short to tell."""

    code: str | None
    confidence: float = 0.0

    @property
    def name(self) -> str:
        return language_name(self.code)


def language_name(code: str | None) -> str:
    if not code:
        return "an undetermined language"
    return NAMES.get(code.lower().split("-")[0], code)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> Language:
    """The language of `text`; code None when it has too few letters or no clear winner."""
    letters = sum(1 for ch in text[:20_000] if ch.isalpha())
    if letters < MIN_LETTERS and not (letters >= 8 and any(is_cjk(ch) for ch in text[:2000])):
        return Language(None)
    if plainly_english(text[:20_000]):  # most articles: no need to load the model (~0.6 s)
        return Language("en", 1.0)
    code, confidence = _identifier().classify(text[:20_000])
    if confidence < MIN_CONFIDENCE:
        return Language(None, round(float(confidence), 3))
    return Language(code, round(float(confidence), 3))


def plainly_english(text: str) -> bool:
    """Whether English function words make up a large share of the words: English, for certain."""
    words = [w.strip(".,;:!?\"'()“”‘’").lower() for w in text.split()]
    words = [w for w in words if w]
    if len(words) < MIN_WORDS_FOR_SHORTCUT:
        return False
    return sum(w in ENGLISH_FUNCTION_WORDS for w in words) / len(words) >= ENGLISH_SHARE


def is_cjk(ch: str) -> bool:
    """Chinese, Japanese or Korean script: such text has no spaces between words."""
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF  # hiragana, katakana
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= o <= 0xD7AF  # hangul
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FA1F
    )
