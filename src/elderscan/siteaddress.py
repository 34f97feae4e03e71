"""A site's address and identity: one site per address, whatever its scheme, `www.` or port
spelling. The store keys sites by it and the site-list reader finds repeated rows by it, so
both agree on what "the same site" is without the reader needing the store."""

from __future__ import annotations

from urllib.parse import urlsplit

from elderscan.errors import PhrasedValueError
from elderscan.urls import normalize_url


def site_url_key(url: str) -> tuple[str, str]:
    """(normalised URL, identity key) of a site address.

    The key drops the scheme, `www.`, default ports and user info, so `http://www.x.gov.cn`
    and `https://x.gov.cn/` are one site. A bare host gets `https://`. Raises ValueError for
    anything that is not an http(s) address (a `PhrasedValueError`, so the API says it in the
    request's language).
    """
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    norm = normalize_url(raw)
    if norm is None:
        raise PhrasedValueError("guard.not_web", address=repr(url))
    parts = urlsplit(norm)
    host = parts.netloc.rpartition("@")[2]
    host = host[4:] if host.startswith("www.") else host
    return norm, host + parts.path + (f"?{parts.query}" if parts.query else "")
