"""Errors elderscan raises on purpose.

    ElderscanError                 every error a user should see as one line, never a traceback
    ├── UsageError                 bad input: a malformed URL, a missing file, a bad option
    ├── BrowserNotFound            no Chromium to drive
    ├── BrowserUnavailable         Chromium would not start or keeps crashing
    └── TargetError                the start page could not be scanned (code: dns, tls, …)

Page-level problems are not exceptions: they become `PageFailure` records and the scan goes on.
"""

from __future__ import annotations


def first_line(exc: BaseException, limit: int | None = None) -> str:
    """The message's first line (at most `limit` characters), or the exception's type name
    when it has no message: what a user sees instead of a traceback."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line[:limit] if limit else line


class ElderscanError(Exception):
    """Base of the errors that end a command with exit code 2 and a one-line message."""


class UsageError(ElderscanError):
    pass


class BrowserNotFound(ElderscanError):
    pass


class BrowserUnavailable(ElderscanError):
    pass


class TargetError(ElderscanError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
