"""HTTP preflight for the crawler.

A browser slot is expensive, so every candidate page is first fetched with httpx: that tells
the crawler the status, the content type and where redirects lead, gives it the static HTML
(links that scripts hide or build lazily), and refuses hostile responses (redirect loops,
compression bombs, endless trickles) before they can reach Chromium.

Longer than most modules: the streaming read, its caps, the redirect walk and the address
guard's pinning are one request's life and share its error classification.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import re
import socket
import ssl
import time
import zlib
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from elderscan.errors import first_line
from elderscan.netguard import AddressGuard, AddressRefused
from elderscan.scanner.botcheck import looks_like_bot_check
from elderscan.urls import clean_href, link_scheme_skip, normalize_url

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types a browser treats as "unknown" and sniffs instead of trusting.
_SNIFFED_TYPES = frozenset({"unknown/unknown", "application/unknown", "*/*"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_VISITS = 2  # one self-redirect is allowed: servers use it to set a cookie and come back
_SNIFF_LEN = 512
_PRESCAN_LEN = 2048
_ZLIB_CODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": 0}

# Chromium's list of leading tags that make an untyped body HTML.
_HTML_SNIFF = re.compile(
    rb"<(?:!doctype\s+html|script|html|!--|head|iframe|h1|div|font|table|a|style|title|b|body"
    rb"|br|p)[\s>]",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(
    r"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
# Browsers decode these labels with a superset codec; Python's strict codecs would garble text.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "gb_2312-80": "gb18030",
    "gb_2312": "gb18030",
    "csgb2312": "gb18030",
    "chinese": "gb18030",
    "iso-ir-58": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-user-defined": "cp1252",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)


@dataclass(frozen=True)
class FetchResult:
    """What one preflight learned; `error` is None only when the page is worth a browser slot.

    `redirects` lists every redirect target in order (absolute, as requested, fragment
    dropped), so `final_url == redirects[-1]` whenever a redirect happened.
    """

    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    body: bytes
    error: str | None
    detail: str | None
    redirects: tuple[str, ...]
    elapsed_ms: float
    content_type_header: str | None = None  # raw header, for decode_html's charset
    bot_check: bool = False
    """An HTML error answer that is a bot check's page: a browser may get past it, so the page
    goes to one although the preflight failed (see `botcheck`). Judged when fetched: the crawl
    drops the body of pages it will not read links from."""


class _Refused(Exception):
    """Stops a fetch with one of the public error codes."""

    def __init__(self, code: str, detail: str, body: bytes = b"") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.body = body


@dataclass
class _Progress:
    """Mutable record of how far a fetch got, so a timeout can still report it."""

    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    content_type_header: str | None = None
    redirects: list[str] = field(default_factory=list)


LEGACY_SERVER_CONNECT: int = getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)
"""OpenSSL's SSL_OP_LEGACY_SERVER_CONNECT, which Python names only from 3.12: without the
fallback, 3.11 set nothing and refused such servers."""


@functools.cache
def _tls_context(verify: bool) -> ssl.SSLContext:
    """One context a process for each `verify`: loading the CA bundle takes ~25 ms of CPU, and
    a batch makes a client for every site. The clients are HTTP/1.1 only, so the ALPN list
    httpcore sets on it for each connection is the same every time."""
    context = httpx.create_ssl_context(verify=verify)
    context.options |= LEGACY_SERVER_CONNECT
    return context


def make_client(
    user_agent: str, *, verify: bool = True, guard: AddressGuard | None = None,
    cookies: tuple[str, ...] = (), cookie_url: str | None = None,
) -> httpx.AsyncClient:
    """A client tuned for preflight: no automatic redirects, only bounded-decodable encodings.

    Accept-Encoding is pinned to gzip/deflate because those are the codings `fetch` inflates
    with a size cap; brotli/zstd would be inflated by httpx without one. Legacy TLS
    renegotiation is allowed because Chromium connects to such (old government) servers too.
    With a `guard`, every request (each redirect hop, robots.txt, sitemaps) is checked before
    it is sent and connections go only to checked addresses; a refusal is the error `blocked`.
    """
    client = httpx.AsyncClient(
        headers={
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6",
            "Accept-Encoding": "gzip, deflate",
        },
        verify=_tls_context(verify),
        follow_redirects=False,
        timeout=httpx.Timeout(20.0),
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
    )
    if cookies and cookie_url:
        sign_in(client, cookies, cookie_url)
    if guard is not None:
        guard.install(client)
    return client


def sign_in(client: httpx.AsyncClient, cookies: tuple[str, ...], url: str) -> None:
    """Send `name=value` cookies to `url`'s host only (as the browser does), for a signed-in
    scan; a host reached by a redirect gets them only if the crawl signs it in too."""
    host = httpx.URL(url).host
    for entry in cookies:
        name, _, value = entry.partition("=")
        client.cookies.set(name.strip(), value.strip(), domain=host)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, its causes/contexts and group members: the root cause hides in there."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        cur = todo.pop()
        if any(cur is s for s in seen):
            continue
        seen.append(cur)
        todo.extend(e for e in (cur.__cause__, cur.__context__) if e is not None)
        if isinstance(cur, BaseExceptionGroup):
            todo.extend(cur.exceptions)
    return seen


def _classify(exc: BaseException) -> str:
    """Map an httpx failure to an error code (httpx folds DNS, refusal and TLS into one)."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    chain = _causes(exc)
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "dns"
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return "tls"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "name or service" in text or "nodename" in text or "name resolution" in text:
            return "dns"
        if "ssl" in text or "certificate" in text:
            return "tls"
        return "connect"
    return "protocol"


def _media_type(header: str | None) -> str | None:
    """`text/html; charset=gbk` -> `text/html`; None when absent or empty."""
    if header is None:
        return None
    media = header.split(";", 1)[0].strip().lower()
    return media or None


def _is_attachment(header: str | None) -> bool:
    return header is not None and header.split(";", 1)[0].strip().lower() == "attachment"


def sniff_html(head: bytes) -> bool:
    """Whether an untyped body starts like HTML, as Chromium decides for a missing type."""
    for bom, _ in _BOMS:
        head = head.removeprefix(bom)
    return _HTML_SNIFF.match(head[:_SNIFF_LEN].lstrip(b" \t\n\r\x0c") + b" ") is not None


class _Inflater:
    """Incremental gzip/deflate inflater whose output per call is capped.

    httpx's own decoder inflates each network chunk fully, so a 64 KB chunk of a bomb becomes
    64 MB at once; with a cap the bomb costs at most the byte budget.
    """

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits or zlib.MAX_WBITS  # 0 = deflate: try the zlib wrapper first
        self._deflate = wbits == 0
        self._z = zlib.decompressobj(self._wbits)
        self._started = False
        self._done = False

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data and not self._done and len(out) < limit:
            if self._z.eof:  # a further gzip member, or trailing junk browsers ignore
                if not (self._wbits > zlib.MAX_WBITS and data.startswith(b"\x1f\x8b")):
                    self._done = True
                    break
                self._z = zlib.decompressobj(self._wbits)
            try:
                out += self._z.decompress(data, limit - len(out))
            except zlib.error:
                if not (self._deflate and not self._started):
                    raise
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as IIS sends it
                self._deflate = False
                continue
            self._started = True
            data = self._z.unused_data if self._z.eof else self._z.unconsumed_tail
        return bytes(out)


def _content_codings(header: str | None) -> list[str]:
    if not header:
        return []
    codings = [c.strip().lower() for c in header.split(",")]
    return [c for c in codings if c and c != "identity"]


async def _decoded_chunks(response: httpx.Response, budget: int) -> AsyncGenerator[bytes, None]:
    """Yield decoded body bytes, never more than `budget` in total from a zlib coding."""
    codings = _content_codings(response.headers.get("content-encoding"))
    if not codings:
        async for chunk in response.aiter_raw():
            yield chunk
        return
    if len(codings) == 1 and codings[0] in _ZLIB_CODINGS:
        inflater = _Inflater(_ZLIB_CODINGS[codings[0]])
        produced = 0
        async for chunk in response.aiter_raw():
            try:
                piece = inflater.feed(chunk, budget - produced)
            except zlib.error as exc:
                raise _Refused("protocol", f"corrupt {codings[0]} body: {exc}") from exc
            produced += len(piece)
            yield piece
            if produced >= budget:
                return
        return
    async for chunk in response.aiter_bytes():  # unusual codings: httpx decodes, we still cap
        yield chunk


async def _read_body(
    response: httpx.Response, max_bytes: int, *, sniff: bool, truncate: bool
) -> bytes:
    """Read at most `max_bytes` decoded bytes; refuse (or truncate) anything longer."""
    length = response.headers.get("content-length", "")
    plain = not response.headers.get("content-encoding")
    if not truncate and plain and length.isdigit() and int(length) > max_bytes:
        raise _Refused("too-large", f"Content-Length {length} exceeds {max_bytes} bytes")
    buf = bytearray()
    async with aclosing(_decoded_chunks(response, max_bytes + 1)) as chunks:
        async for chunk in chunks:
            buf += chunk
            if len(buf) > max_bytes:
                if truncate:
                    return bytes(buf[:max_bytes])
                raise _Refused("too-large", f"body exceeds {max_bytes} bytes after decoding")
            if sniff and len(buf) >= _SNIFF_LEN:
                _check_sniff(bytes(buf))
                sniff = False
    if sniff:
        _check_sniff(bytes(buf))
    return bytes(buf)


def _check_sniff(head: bytes) -> None:
    if not sniff_html(head):
        raise _Refused("not-html", "no Content-Type and the body does not look like HTML")


def _redirect_target(current: str, location: str) -> str:
    """Resolve a Location header; the fragment is dropped as it never reaches the server."""
    try:
        target = urljoin(current, clean_href(location))
    except ValueError as exc:
        raise _Refused("protocol", f"bad Location header {location!r}") from exc
    target = target.split("#", 1)[0]
    if normalize_url(target) is None:
        raise _Refused("protocol", f"redirect to a non-http(s) URL: {location[:200]}")
    return target


def _html_like(media: str | None) -> bool:
    """HTML, or a type a browser sniffs (none at all included)."""
    return media is None or media in HTML_TYPES or media in _SNIFFED_TYPES


async def _send(client: httpx.AsyncClient, url: str, timeout: float) -> httpx.Response:
    try:
        request = client.build_request("GET", url, timeout=httpx.Timeout(timeout))
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        raise _Refused("protocol", f"bad URL: {first_line(exc, 300)}") from exc
    try:
        return await client.send(request, stream=True, follow_redirects=False)
    except AddressRefused as exc:
        raise _Refused("blocked", f"{url}: {exc.reason}") from exc
    except httpx.InvalidURL as exc:
        # httpx parses Location eagerly even without following; the response is lost with it
        raise _Refused("protocol", f"bad Location header: {first_line(exc, 300)}") from exc
    except (httpx.HTTPError, httpx.StreamError, OSError, ValueError) as exc:
        raise _Refused(_classify(exc), first_line(exc, 300)) from exc


async def _finish(
    response: httpx.Response, progress: _Progress, max_bytes: int, *, html_only: bool
) -> bytes:
    """Judge the last response of the chain and read its body if it deserves reading."""
    status = response.status_code
    media = progress.content_type
    if status >= 400:
        try:
            body = await _read_body(response, max_bytes, sniff=False, truncate=True)
        except (_Refused, httpx.HTTPError, httpx.StreamError):
            body = b""
        raise _Refused("http", f"HTTP {status} {response.reason_phrase}".strip(), body)
    if 300 <= status < 400:
        raise _Refused("protocol", f"HTTP {status} without a usable Location header")
    if html_only:
        if _is_attachment(response.headers.get("content-disposition")):
            raise _Refused("download", "Content-Disposition: attachment (a file download)")
        if not _html_like(media):
            raise _Refused("not-html", f"Content-Type {media} is not HTML")
    sniff = html_only and (media is None or media in _SNIFFED_TYPES)
    try:
        return await _read_body(response, max_bytes, sniff=sniff, truncate=False)
    except (httpx.HTTPError, httpx.StreamError) as exc:
        raise _Refused(_classify(exc), first_line(exc, 300)) from exc


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    progress: _Progress,
    *,
    max_bytes: int,
    timeout: float,
    max_redirects: int,
    html_only: bool,
) -> bytes:
    """Walk the redirect chain hop by hop so each hop is recorded and loops are caught early."""
    current = url
    visits: dict[str, int] = {}
    while True:
        key = normalize_url(current) or current
        visits[key] = visits.get(key, 0) + 1
        progress.final_url = current if progress.redirects else None
        progress.status = progress.content_type = progress.content_type_header = None
        response = await _send(client, current, timeout)
        try:
            progress.final_url = current
            progress.status = response.status_code
            progress.content_type_header = response.headers.get("content-type")
            progress.content_type = _media_type(progress.content_type_header)
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or not location:
                return await _finish(response, progress, max_bytes, html_only=html_only)
            target = _redirect_target(current, location)
            progress.redirects.append(target)
            if visits.get(normalize_url(target) or target, 0) >= _MAX_VISITS:
                raise _Refused("too-many-redirects", f"redirect loop back to {target}")
            if len(progress.redirects) > max_redirects:
                raise _Refused("too-many-redirects", f"more than {max_redirects} redirects")
            current = target
        finally:
            await response.aclose()


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    max_redirects: int,
    html_only: bool,
) -> FetchResult:
    started = time.perf_counter()
    progress = _Progress()
    body = b""
    error: str | None = None
    detail: str | None = None
    try:
        async with asyncio.timeout(timeout):
            body = await _follow(
                client,
                url,
                progress,
                max_bytes=max_bytes,
                timeout=timeout,
                max_redirects=max_redirects,
                html_only=html_only,
            )
    except _Refused as exc:
        body, error, detail = exc.body, exc.code, exc.detail
    except TimeoutError:
        error, detail = "timeout", f"no complete response within {timeout:g} s"
    media = progress.content_type
    check = error == "http" and _html_like(media) and looks_like_bot_check(body)
    return FetchResult(
        url=url,
        final_url=progress.final_url,
        status=progress.status,
        content_type=progress.content_type,
        body=body,
        error=error,
        detail=detail,
        redirects=tuple(progress.redirects),
        elapsed_ms=(time.perf_counter() - started) * 1000.0,
        content_type_header=progress.content_type_header,
        bot_check=check,
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int = 10_000_000,
    timeout: float = 20.0,
    max_redirects: int = 10,
) -> FetchResult:
    """Preflight a candidate page; `error` says why it should not get a browser slot."""
    return await _fetch(
        client,
        url,
        max_bytes=max_bytes,
        timeout=timeout,
        max_redirects=max_redirects,
        html_only=True,
    )


async def fetch_text(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int = 2_000_000,
    timeout: float = 10.0,
    max_redirects: int = 10,
) -> FetchResult:
    """Fetch robots.txt or a sitemap: same safety limits, any content type accepted."""
    return await _fetch(
        client,
        url,
        max_bytes=max_bytes,
        timeout=timeout,
        max_redirects=max_redirects,
        html_only=False,
    )


def _codec(label: str, *, from_meta: bool) -> str | None:
    """Python codec for a charset label, or None when unknown or not a text encoding."""
    name = label.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    if from_meta and name.startswith("utf-16"):
        return "utf-8"  # HTML spec: an ASCII-readable meta cannot truthfully say UTF-16
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # rot13, base64, zlib... are codecs too, but a page cannot be "encoded" in them
    return info.name if getattr(info, "_is_text_encoding", True) else None


def decode_html(body: bytes, content_type_header: str | None) -> str:
    """Decode as a browser does: BOM, HTTP charset, `<meta>` prescan, then a fallback.

    The fallback tries strict UTF-8 and then GB18030, approximating Chromium's content
    detection for undeclared Chinese pages, before settling for UTF-8 with replacements.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    if content_type_header:
        match = _HEADER_CHARSET.search(content_type_header)
        codec = _codec(match.group(1), from_meta=False) if match else None
        if codec is not None:
            return body.decode(codec, errors="replace")
    match = _META_CHARSET.search(body[:_PRESCAN_LEN].decode("latin-1"))
    codec = _codec(match.group(1), from_meta=True) if match else None
    if codec is not None:
        return body.decode(codec, errors="replace")
    for name in ("utf-8", "gb18030"):
        try:
            return body.decode(name)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def _href(tag: Any) -> str | None:
    value = tag.get("href")
    return value if isinstance(value, str) else None


def extract_links(html: str, base_url: str) -> list[str]:
    """Every `<a href>`/`<area href>` in document order, resolved but not normalized.

    Hidden links count: the static HTML is parsed, so menus that scripts collapse or build
    are still found. Non-http hrefs (mailto:, javascript:, ...) are returned as written so the
    caller can record them as skipped with reason "scheme".
    """
    # Imported here: BeautifulSoup and its CSS engine are a tenth of a second of start-up that
    # a one-page scan never needs before its browser runs.
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "lxml")
    base = base_url
    base_tag = soup.find("base", href=True)
    base_href = _href(base_tag) if isinstance(base_tag, Tag) else None
    if base_href is not None:
        try:
            candidate = urljoin(base_url, clean_href(base_href))
        except ValueError:
            candidate = base_url
        if normalize_url(candidate) is not None:
            base = candidate
    links: list[str] = []
    for tag in soup.find_all(["a", "area"], href=True):
        raw = _href(tag) if isinstance(tag, Tag) else None
        if raw is None:
            continue
        href = clean_href(raw)
        if link_scheme_skip(href) is not None:
            links.append(href)
            continue
        try:
            links.append(urljoin(base, href))
        except ValueError:
            continue
    return links
