"""What may reach a user, a log or Slack: secrets redacted, control and bidi characters neutralised.

Every message built from outside text (server answers, URLs, exceptions) passes `redact`; every
piece of article text shown on a terminal, in Markdown or in HTML passes `printable`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # the CLI imports this module first thing; pydantic is not needed for that
    from pydantic import BaseModel

REDACTED = "(redacted)"

# Secret shapes, each (pattern, replacement). Kept as data: add a provider's key format here.
SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # user:password@ (or a bare token@) in any URL
    # (the scheme is bounded: an unbounded one makes long unbroken text quadratic to scan)
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,30}://)[^\s/?#@]{1,512}@"), rf"\1{REDACTED}@"),
    # Authorization header values
    (re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=:-]{6,}"), rf"\1 {REDACTED}"),
    # OpenAI-style and Anthropic-style keys, Slack tokens, GitHub tokens, AWS key ids
    (re.compile(r"\bsk-[A-Za-z0-9_-]{6,}"), f"sk-{REDACTED}"),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{6,}"), REDACTED),
    (re.compile(r"\bxapp-[A-Za-z0-9-]{6,}"), REDACTED),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{16,}"), REDACTED),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), REDACTED),
    # key=value in query strings, headers and JSON-ish text
    (
        re.compile(
            r"(?i)\b(api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|password|passwd)"
            r"(\"?\s*[:=]\s*\"?)[^\s\"'&,;}]{4,}"
        ),
        rf"\1\2{REDACTED}",
    ),
)

# Environment variables whose values are secrets wherever they appear.
SECRET_ENV_VARS = (
    "OPENAI_API_KEY",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
)

_known_secrets: set[str] = set()


def add_secret(value: str | None) -> None:
    """Redact this exact value from now on (a token read from a file or passed as an argument)."""
    if value and len(value) >= 6:
        _known_secrets.add(value)


def _secrets() -> Iterable[str]:
    yield from _known_secrets
    for name in SECRET_ENV_VARS:
        value = os.environ.get(name, "")
        if len(value) >= 6:
            yield value


def redact(text: str) -> str:
    """`text` with every known secret and every secret-shaped string replaced by "(redacted)"."""
    for secret in sorted(_secrets(), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


# C0 controls but tab, newline and carriage return; DEL; C1 controls; bidi embeddings, overrides
# and isolates. Each becomes U+FFFD, one character for one, so offsets into the text still hold.
_UNPRINTABLE = (
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
    + [0x7F]
    + list(range(0x80, 0xA0))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
_PRINTABLE_TABLE = dict.fromkeys(_UNPRINTABLE, "\ufffd")


def printable(text: str) -> str:
    """Text safe for a terminal, Markdown or HTML: no escape sequences, no bidi overrides.

    Same length as the input, so spans computed on the original text apply unchanged.
    """
    return text.translate(_PRINTABLE_TABLE)


Model = TypeVar("Model", bound="BaseModel")


def _printable_data(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: _printable_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_printable_data(item) for item in value]
    return value


def printable_model(model: Model) -> Model:
    """A copy of a report (or article) with every string in it passed through `printable`."""
    return type(model).model_validate(_printable_data(model.model_dump()))


def shown(text: str) -> str:
    """A message for a person: secrets redacted and control characters neutralised."""
    return printable(redact(text))


class RedactingFilter(logging.Filter):
    """Redacts every record that passes a handler, whoever logged it (httpx, openai, bolt)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = shown(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Put the redacting filter on every handler of `logger` (the root logger by default)."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
