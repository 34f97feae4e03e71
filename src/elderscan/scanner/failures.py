"""How a page capture fails: the reason codes a `PageFailure` carries, and the two exceptions
that carry them out of a capture step (`PageFailed` for this page, `BrowserCrashed` for the
whole browser, which the caller retries on a fresh one)."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError


class BrowserCrashed(Exception):
    """The whole browser went away mid-page; the caller retries the page on a new one."""


class PageFailed(Exception):
    def __init__(self, reason: str, message: str, status: int | None = None,
                 final_url: str | None = None) -> None:
        super().__init__(message)
        self.reason, self.message, self.status, self.final_url = reason, message, status, final_url


_NET_ERRORS = (
    ("ERR_TOO_MANY_REDIRECTS", "too-many-redirects"),
    ("ERR_NAME_NOT_RESOLVED", "dns"),
    ("ERR_NAME_RESOLUTION_FAILED", "dns"),
    ("ERR_CONNECTION_REFUSED", "connect"),
    ("ERR_CONNECTION_RESET", "connect"),
    ("ERR_ADDRESS_UNREACHABLE", "connect"),
    ("ERR_CERT", "tls"),
    ("ERR_SSL", "tls"),
    ("Download is starting", "download"),
    ("ERR_ABORTED", "aborted"),
    ("ERR_INVALID_RESPONSE", "protocol"),
    ("ERR_CONTENT_DECODING_FAILED", "protocol"),
    ("ERR_EMPTY_RESPONSE", "protocol"),
    ("Page crashed", "crash"),
)
OUT_OF_MEMORY = "the page's renderer crashed (out of memory, or killed by the memory guard)"
_BROWSER_GONE = ("Target page, context or browser has been closed", "Browser has been closed",
                 "Target closed", "browser has disconnected", "Connection closed")
ERROR_PAGE = "chrome-error:"
REUSABLE_AFTER = frozenset({"http", "not-html", "redirect"})
"""Failures after which a tab goes on to the site's next page: the page answered, it was just
not one to capture. After a timeout or a crash the tab is closed."""


def classify(exc: BaseException) -> str:
    text = str(exc)
    if any(marker in text for marker in _BROWSER_GONE):
        return "browser-crash"
    for marker, code in _NET_ERRORS:
        if marker in text:
            return code
    return "error"


def reraise_crash(exc: PlaywrightError) -> None:
    """A step that survives the page's errors still lets a dead browser end the capture."""
    if classify(exc) == "browser-crash":
        raise exc


def context_gone(exc: PlaywrightError) -> bool:
    return "Execution context was destroyed" in str(exc)


def failed_redirect() -> PageFailed:
    return PageFailed("redirect", "the page sent the browser on to a page that failed to load "
                      "(meta refresh or script redirect)")
