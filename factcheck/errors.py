"""The one error type users see: a message that says what is wrong and what to do."""


class FactcheckError(Exception):
    """A problem with the user's input or environment, reported as one line without a traceback."""


class LLMServerError(FactcheckError):
    """The LLM server failed: its HTTP status (None when it never answered) and a redacted summary."""

    def __init__(self, message: str, *, status_code: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
