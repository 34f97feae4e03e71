"""Errors elderscan raises on purpose.

    ElderscanError                 every error a user should see as one line, never a traceback
    ├── UsageError                 bad input: a malformed URL, a missing file, a bad option
    ├── BrowserNotFound            no Chromium to drive
    ├── BrowserUnavailable         Chromium would not start or keeps crashing
    └── TargetError                the start page could not be scanned (code: dns, tls, …)
    Phrased                        an error that names its catalogue phrase (said in a language)
    ├── PhrasedValueError          a validator's refusal
    └── store.db.NotFound          a scan, site or batch that does not exist

Page-level problems are not exceptions: they become `PageFailure` records and the scan goes on.
`failure_code` names each of these errors by the code a failed scan stores (`error.code`); the
runner and the command line both read it, so a scan that ends with an error is told the same
way whichever started it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from elderscan.i18n import Lang


def first_line(exc: BaseException, limit: int | None = None) -> str:
    """The message's first line (at most `limit` characters), or the exception's type name
    when it has no message: what a user sees instead of a traceback."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line[:limit] if limit else line


def one_line(exc: BaseException, limit: int) -> str:
    """The whole message on one line (whitespace runs folded, at most `limit` characters), or
    the exception's type name: what a failed scan stores, where later lines carry the cause."""
    text = " ".join(str(exc).split())
    return text[:limit] if text else type(exc).__name__


class Phrased(Exception):
    """An error with its catalogue `key` and `values`: English as a string (a reason the store
    keeps, a log line, a detail for scripts), said in a person's language by `said`."""

    def __init__(self, key: str, /, **values: object) -> None:
        from elderscan.i18n import english

        super().__init__(english(key, **values))
        self.key = key
        self.values = values

    def said(self, lang: Lang) -> str:
        from elderscan.i18n import text

        return text(self.key, lang, **self.values)


class PhrasedValueError(Phrased, ValueError):
    """A validator's refusal (a setting, a text field of the API, a site address)."""


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


STORE_CODE = "database-unavailable"
"""The error code of a scan whose result the store would not take (docs/batch.md); here, not
in the runner, so the command line's error policy names it without loading the runner."""

FAILURE_CODES: tuple[tuple[type[BaseException], str], ...] = (
    (BrowserNotFound, "browser-missing"),
    (BrowserUnavailable, "browser-unavailable"),
    (UsageError, "bad-target"),
    (ValueError, "bad-target"),
    (ElderscanError, "error"),
)
"""A failed scan's `error.code` by the kind of error that ended it, first match wins (a
`TargetError` carries its own code: dns, tls, refused, …)."""


def failure_code(exc: BaseException) -> str | None:
    """The failure code of an error elderscan knows, else None (the caller's to name)."""
    if isinstance(exc, TargetError):
        return exc.code
    return next((code for kind, code in FAILURE_CODES if isinstance(exc, kind)), None)
