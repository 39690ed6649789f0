"""User-facing errors: bad input that the CLI reports as one line, exit status 2."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input; the message names it and the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
