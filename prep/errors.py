"""Errors that point at content.

A user who mistyped one key in a 2,000-line deck needs `decks/x.yaml:812: cards[40].q:`
and every other mistake in the same run, not a traceback. So content problems are
values (`ContentError`) collected into a list, and raised together as `ContentErrors`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class ContentErrors(Exception):
    """One or more content errors; the knowledge base was not (re)indexed."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


class PrepError(Exception):
    """A user-facing error that is not about content (bad DB file, bad option...).

    `str(e)` is the English sentence; `zh`, where the raiser wrote one, the same in Chinese,
    so the command line can answer in the knowledge base's language (`text`)."""

    def __init__(self, message: str = "", *, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else str(self)
