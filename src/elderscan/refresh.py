"""A meta refresh declaration read as browsers read it (the HTML standard's "shared declarative
refresh steps"): the motion rule judges its delay, and the crawl goes through a home page's
splash (引导页) to the address it names."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = re.compile(r"[0-9]+")
_WS = " \t\n\f\r"


@dataclass(frozen=True)
class Refresh:
    """A valid declaration: its delay in seconds and the address it names, as written ("" when
    it names none: the page reloads itself)."""

    delay: float
    url: str


def parse_refresh(content: str | None) -> Refresh | None:
    """The declaration in a `<meta http-equiv=refresh>`'s content; None when it is invalid (the
    browser then ignores it)."""
    if content is None:
        return None
    pos, n = 0, len(content)
    while pos < n and content[pos] in _WS:
        pos += 1
    digits = _DIGITS.match(content, pos)
    if digits is None:
        if pos >= n or content[pos] != ".":
            return None
        delay = 0
    else:
        delay = int(digits.group())
        pos = digits.end()
    while pos < n and content[pos] in "0123456789.":
        pos += 1
    if pos < n and content[pos] not in ";," + _WS:
        return None
    while pos < n and content[pos] in _WS:
        pos += 1
    if pos < n and content[pos] in ";,":
        pos += 1
    while pos < n and content[pos] in _WS:
        pos += 1
    return Refresh(float(delay), _url_of(content[pos:]))


def first_refresh(declared: list[str]) -> tuple[str, Refresh] | None:
    """The declaration browsers act on: the first valid one, not simply the first (with its
    content as written)."""
    for content in declared:
        parsed = parse_refresh(content)
        if parsed is not None:
            return content, parsed
    return None


def _url_of(rest: str) -> str:
    """What follows the delay: `url=` (any case, spaces around `=`) and quotes are taken off,
    as the standard's steps do; without the `=`, the whole of it is the address."""
    pos, n = 0, len(rest)
    if rest and rest[0] in "Uu":
        if rest[1:2] not in ("R", "r") or rest[2:3] not in ("L", "l"):
            return rest.strip(_WS)
        pos = 3
        while pos < n and rest[pos] in _WS:
            pos += 1
        if pos >= n or rest[pos] != "=":
            return rest.strip(_WS)
        pos += 1
        while pos < n and rest[pos] in _WS:
            pos += 1
    quote = rest[pos] if pos < n and rest[pos] in "'\"" else ""
    url = rest[pos + len(quote):]
    if quote and quote in url:
        url = url[:url.index(quote)]
    return url.strip(_WS)
