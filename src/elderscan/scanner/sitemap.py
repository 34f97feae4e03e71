"""Sitemap and robots.txt discovery.

Sitemaps come from strangers' servers, so parsing is defensive: no entity expansion, no DTD or
network loads, a cap on decompressed size and on the number of entries.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from elderscan.urls import normalize_url

MAX_DECOMPRESSED = 10_000_000
MAX_LOCS = 50_000  # the sitemaps.org limit per file; more is a broken or hostile generator

SitemapKind = Literal["urlset", "sitemapindex", "invalid"]


@dataclass(frozen=True)
class SitemapDoc:
    """One parsed sitemap file: page URLs (urlset) or further sitemaps (sitemapindex)."""

    kind: SitemapKind
    locs: tuple[str, ...] = ()


_INVALID = SitemapDoc("invalid")


def _gunzip(data: bytes, cap: int) -> bytes | None:
    """Inflate at most `cap` bytes; None for corrupt or oversized bodies (gzip bombs)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(cap + 1)
    except (OSError, EOFError, zlib.error):
        return None
    return out if len(out) <= cap else None


def _parser() -> etree.XMLParser:
    # recover=True because real sitemaps often hold unescaped "&"; the root check below still
    # rejects HTML error pages that recover would otherwise turn into a tree.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=True,
    )


def _localname(node: etree._Element) -> str:
    tag = node.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def _declares_entities(root: etree._Element) -> bool:
    """Real sitemaps never declare entities; those that do are billion-laughs or XXE probes."""
    dtd = root.getroottree().docinfo.internalDTD
    return dtd is not None and any(True for _ in dtd.iterentities())


def _resolve_all(raw: list[str], base_url: str) -> tuple[str, ...]:
    """Absolute, normalized, de-duplicated; root-relative locs work for fixture servers."""
    seen: dict[str, None] = {}
    for value in raw:
        url = normalize_url(value.strip(), base_url)
        if url is not None:
            seen.setdefault(url, None)
        if len(seen) >= MAX_LOCS:
            break
    return tuple(seen)


def _parse_text(data: bytes, base_url: str) -> SitemapDoc:
    """The plain-text sitemap format: one absolute URL per line, nothing else."""
    lines = [ln.strip() for ln in data.decode("utf-8", errors="replace").splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines or not all(ln.lower().startswith(("http://", "https://")) for ln in lines):
        return _INVALID
    return SitemapDoc("urlset", _resolve_all(lines, base_url))


def parse_sitemap(xml: bytes, base_url: str) -> SitemapDoc:
    """Parse an XML (or gzip, or plain-text) sitemap; anything unreadable is "invalid"."""
    data = xml
    if data[:2] == b"\x1f\x8b":
        inflated = _gunzip(data, MAX_DECOMPRESSED)
        if inflated is None:
            return _INVALID
        data = inflated
    if len(data) > MAX_DECOMPRESSED:
        return _INVALID
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not data:
        return _INVALID
    if not data.startswith(b"<"):
        return _parse_text(data, base_url)
    try:
        root = etree.fromstring(data, parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return _INVALID
    if root is None or _declares_entities(root):
        return _INVALID
    kind = _localname(root)
    child = {"urlset": "url", "sitemapindex": "sitemap"}.get(kind)
    if child is None:
        return _INVALID
    raw = [
        loc.text
        for entry in root
        if _localname(entry) == child
        for loc in entry
        if _localname(loc) == "loc" and loc.text
    ]
    return SitemapDoc("urlset" if kind == "urlset" else "sitemapindex", _resolve_all(raw, base_url))


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """`Sitemap:` URLs from robots.txt, resolved against the robots.txt URL, in file order."""
    found: dict[str, None] = {}
    for line in robots_txt.removeprefix("\ufeff").splitlines():
        key, sep, value = line.partition(":")
        if not sep or key.strip().lower() != "sitemap":
            continue
        words = value.split()
        url = normalize_url(words[0], base_url) if words else None
        if url is not None:
            found.setdefault(url, None)
    return list(found)
