"""Finding fingerprints: the identity of "the same problem" from one scan to the next.

    finding_fingerprint = sha1(rule ␟ URL template ␟ role ␟ text ␟ landmark ␟ index)
                          when the finding has an element anchor, else
    fingerprint         = sha1(rule ␟ URL template ␟ normalised selector)

The anchor (`elderscan.capture.Anchor`) names the element as a person would: "the link 更多,
second of that name in the main navigation". Classes, ids, wrapper divs and sibling positions
change in every redesign and move every CSS selector; the anchor survives them, so a refactor
does not turn known problems into "new" ones. Page and site findings, and elements the scanner
could not anchor (inside frames), keep the selector fingerprint.

The URL template (`elderscan.urls.template_key`) makes `/art/2024/art_1.html` and
`/art/2025/art_9.html` one place, and the host is left out, so http/https or a `www.` change do not
make every finding "new". Selectors are normalised so that list positions and generated ids,
which shift as a portal publishes news, do not either. Mode and viewport are not part of it:
a contrast failure on a page is one problem whether seen in standard or elder mode.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from elderscan.urls import template_key

if TYPE_CHECKING:
    from elderscan.capture import Anchor
    from elderscan.finding import Finding

_NTH = re.compile(r":(nth-(?:last-)?(?:child|of-type))\(\s*[^)]*\)")
_LONG_NUMBER = re.compile(r"\d{3,}")
_SPACES = re.compile(r"\s+")
_COMBINATOR = re.compile(r"\s*([>+~])\s*")


def normalise_selector(selector: str | None) -> str:
    """Whitespace collapsed, `:nth-child(4)` → `:nth-child(n)`, numbers of 3+ digits → `0`."""
    if not selector:
        return ""
    text = _SPACES.sub(" ", selector.strip())
    text = _COMBINATOR.sub(r" \1 ", text)
    text = _NTH.sub(r":\1(n)", text)
    return _LONG_NUMBER.sub("0", text)


def fingerprint(rule: str, url: str, selector: str | None) -> str:
    """40 hex digits identifying a finding across scans of the same site."""
    key = "\x1f".join((rule, template_key(url), normalise_selector(selector)))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def anchor_fingerprint(rule: str, url: str, anchor: Anchor) -> str:
    """40 hex digits identifying a finding on an anchored element, whatever its markup."""
    key = "\x1f".join((rule, template_key(url), anchor.role, anchor.text, anchor.landmark,
                       str(anchor.index)))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def finding_fingerprint(finding: Finding, page_url: str) -> str:
    """The anchor fingerprint when the finding has an anchor, else the selector one."""
    if finding.anchor is not None:
        return anchor_fingerprint(finding.rule, page_url, finding.anchor)
    return fingerprint(finding.rule, page_url, finding.selector)
