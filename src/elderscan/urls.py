"""URL rules for the crawler.

Every URL the crawler sees (links, sitemap entries, redirect targets, the browser's final URL)
goes through `normalize_url`, so one page is queued, counted and reported once however its links
were spelled. All functions are pure and never touch the network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

import idna

_HTTP_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# A valid %XX escape, or one character that must be escaped (a lone "%" included).
_PCT_OR_UNSAFE = re.compile(r"%([0-9A-Fa-f]{2})|([^A-Za-z0-9\-._~!$&'()*+,;=:@/?])")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_EDGE_JUNK = "".join(chr(c) for c in range(0x21))  # C0 controls and space, as browsers strip
_HOST_OK = re.compile(r"^[a-z0-9_\-.]+$")

_UUID = re.compile(
    r"(?<![0-9A-Za-z])[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
    r"[0-9a-fA-F]{12}(?![0-9A-Za-z])"
)
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{8,}(?![0-9A-Za-z])")
_DIGITS = re.compile(r"[0-9]+")

_NON_HTML_EXTENSIONS = frozenset(
    {
        # documents (.wps/.et/.dps are WPS Office, .ofd/.ceb/.caj are Chinese e-document formats)
        "pdf", "doc", "docx", "dot", "dotx", "xls", "xlsx", "xlsm", "csv", "ppt", "pptx", "pps",
        "ppsx", "odt", "ods", "odp", "rtf", "txt", "wps", "et", "dps", "ofd", "ceb", "caj", "xps",
        "epub", "mobi", "xml", "json",
        # archives and installers
        "zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "xz", "iso", "apk", "ipa", "exe", "msi",
        "dmg", "deb", "rpm", "bin", "jar", "torrent",
        # images
        "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "psd", "heic",
        # audio and video
        "mp3", "mp4", "m4a", "m4v", "wav", "wma", "wmv", "avi", "mov", "flv", "f4v", "mkv",
        "webm", "ogg", "ogv", "aac", "flac", "rm", "rmvb", "mpg", "mpeg", "3gp", "swf",
        # page assets
        "css", "js", "woff", "woff2", "ttf", "otf", "eot", "map",
    }
)  # fmt: skip


def clean_href(href: str) -> str:
    """Repair a raw attribute value the way browsers do before parsing it.

    Chinese CMSs often emit `..\\news\\a.html` or hrefs wrapped over lines; a browser follows
    them, so the crawler must too.
    """
    href = href.strip(_EDGE_JUNK).replace("\t", "").replace("\n", "").replace("\r", "")
    if _SCHEME.match(href) and not href.lower().startswith(("http:", "https:")):
        return href
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    return href[:cut].replace("\\", "/") + href[cut:]


def link_scheme_skip(href: str) -> str | None:
    """Say why a raw href can never be a crawlable page (mailto:, tel:, javascript:, ...)."""
    match = _SCHEME.match(clean_href(href))
    if match is None or match.group(1).lower() in _HTTP_SCHEMES:
        return None
    return "scheme"


def _pct_normalize(text: str) -> str:
    """Uppercase escapes, decode unreserved ones and escape what must be escaped (as UTF-8)."""

    def fix(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            char = chr(int(match.group(1), 16))
            return char if char in _UNRESERVED else "%" + match.group(1).upper()
        return "".join(f"%{b:02X}" for b in match.group(2).encode("utf-8"))

    return _PCT_OR_UNSAFE.sub(fix, text)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for an absolute path; `urljoin` leaves absolute inputs untouched."""
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    if not out:
        return "/"
    trailing = "/" if segments[-1] in (".", "..") else ""
    return "/" + "/".join(out) + trailing


def _sort_query(query: str) -> str:
    """Order parameters by key (stable, so repeated keys keep their order) and drop empties."""
    params = [p for p in query.split("&") if p]
    params.sort(key=lambda p: p.split("=", 1)[0])
    return "&".join(params)


def _normalize_host(raw: str) -> str | None:
    """Lowercase and punycode the host so IDN and ASCII spellings compare equal."""
    host = unquote(raw).strip().rstrip(".").lower()
    if not host:
        return None
    if ":" in host:  # IPv6 literal; urlsplit already removed the brackets
        return f"[{host}]"
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                return None
    return host if _HOST_OK.match(host) else None


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Canonical absolute http(s) form of `url`, or None when it cannot be a web page."""
    try:
        joined = urljoin(clean_href(base), clean_href(url)) if base else clean_href(url)
        parts = urlsplit(joined)
        scheme = parts.scheme.lower()
        if scheme not in _HTTP_SCHEMES or not parts.netloc:
            return None
        host = _normalize_host(parts.hostname or "")
        port = parts.port
    except ValueError:  # bad port, unbalanced IPv6 brackets, ...
        return None
    if host is None:
        return None
    userinfo, _, _ = parts.netloc.rpartition("@")
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if userinfo:
        netloc = f"{_pct_normalize(userinfo)}@{netloc}"
    path = _remove_dot_segments(_pct_normalize(parts.path) or "/")
    query = _sort_query(_pct_normalize(parts.query))
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def page_address(url: str) -> str:
    """Scheme, host and path: the page a URL names whatever its query says (a bot check's reload
    may add or drop one)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def site_key(url: str) -> str:
    """Host without `www.`, port kept: what the crawler treats as "the same site".

    Ports are kept because each local fixture site is its own origin on its own port.
    """
    norm = normalize_url(url) or normalize_url(f"http://{url}")
    if norm is None:
        return url.strip().lower()
    netloc = urlsplit(norm).netloc.rpartition("@")[2]
    return netloc[4:] if netloc.startswith("www.") else netloc


def same_site(a: str, b: str) -> bool:
    """Whether following a link from `a` to `b` stays within the crawled site."""
    return site_key(a) == site_key(b)


def _hex_id(match: re.Match[str]) -> str:
    """Only mixed letters+digits make an id: `deadbeef` may be a word, digits become `<n>`."""
    run = match.group()
    has_digit = any(c.isdigit() for c in run)
    return "<id>" if has_digit and not run.isdigit() else run


def _template_path(path: str) -> str:
    return _DIGITS.sub("<n>", _HEX_RUN.sub(_hex_id, _UUID.sub("<id>", path)))


def template_key(url: str) -> str:
    """Path-and-query shape shared by look-alike pages (articles, paginated lists).

    Lets the crawler cap how many `/art/2024/art_123.html`-style pages it scans per site, so a
    portal with 100k articles does not crowd out its section pages. The host is not included.
    """
    parts = urlsplit(normalize_url(url) or url)
    path = _template_path(unquote(parts.path) or "/")
    keys = [p.split("=", 1)[0] for p in parts.query.split("&") if p]
    query = "&".join(f"{k}=<v>" for k in dict.fromkeys(keys))
    return path + (f"?{query}" if query else "")


def looks_like_non_html(url: str) -> bool:
    """Whether the path names a file type no browser would render as a page (skip the request)."""
    path = unquote(urlsplit(normalize_url(url) or url).path)
    last = path.rsplit("/", 1)[-1].split(";", 1)[0]
    if "." not in last:
        return False
    return last.rsplit(".", 1)[1].lower() in _NON_HTML_EXTENSIONS


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def matches_patterns(url: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Apply the user's include/exclude regexes (searched anywhere in the URL).

    Raises re.error for a bad pattern; validate patterns when the config is loaded.
    """
    if include and not any(_compile(p).search(url) for p in include):
        return False
    return not any(_compile(p).search(url) for p in exclude)
