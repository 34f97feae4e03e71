"""Site URLs named in a request: normalised, and checked by the address guard, or a 422 whose
details name each refused field."""

from __future__ import annotations

import re
from typing import Any

from elderscan.api.errors import ApiError
from elderscan.api.schemas import BatchCreate
from elderscan.netguard import AddressGuard, AddressRefused
from elderscan.siteaddress import site_url_key


def address_error(loc: list[str | int], exc: AddressRefused) -> dict[str, Any]:
    return {"loc": loc, "msg": exc.reason, "type": "address_refused"}


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_NOT_WEB = ("file", "javascript", "data", "ftp", "mailto", "gopher", "ws", "wss", "blob",
            "about", "chrome", "view-source", "dict", "ldap", "sftp", "smb", "tel")


def normalise_site_url(url: str, loc: list[str | int]) -> str:
    """The site's normalised URL, or a 422 naming the field (`address_refused` for a scheme
    other than http(s); a bare host is taken as https://host)."""
    match = _SCHEME.match(url)
    if match and match.group(1).lower() not in ("http", "https") and (
            "://" in url or match.group(1).lower() in _NOT_WEB):
        exc = AddressRefused(url, "scheme", "guard.scheme", scheme=f"{match.group(1).lower()}:")
        raise ApiError(422, "address_refused", details=[address_error(loc, exc)],
                       key="api.address-refused", values={"reason": exc})
    try:
        norm, key = site_url_key(url)
    except ValueError as exc:
        where = ".".join(map(str, loc[1:]))
        raise ApiError(422, "invalid_request",
                       details=[{"loc": loc, "msg": str(exc), "type": "url"}], key="api.bad-url",
                       values={"where": where, "reason": exc}) from exc
    if len(norm) > 2000 or len(key) > 2000:
        raise ApiError(422, "invalid_request",
                       details=[{"loc": loc, "msg": "longer than 2000 characters", "type": "url"}],
                       key="api.url-too-long")
    return norm


async def check_site_urls(guard: AddressGuard, body: BatchCreate, budget: float) -> list[str]:
    """The sites' normalised URLs; or a 422 listing every site whose URL is malformed or
    refused by the address guard (`AddressGuard.refused_among`, within `budget` seconds). The
    message quotes the first, said in the request's language."""
    errors: list[dict[str, Any]] = []
    reasons: dict[int, object] = {}
    urls: dict[int, str] = {}
    for index, site in enumerate(body.sites):
        try:
            urls[index] = normalise_site_url(site.url, ["body", "sites", index, "url"])
        except ApiError as exc:
            errors.extend(exc.details or [])
            reasons[index] = exc.values.get("reason", exc)
    refused = await guard.refused_among(urls, budget)
    for index, refusal in refused.items():
        errors.append(address_error(["body", "sites", index, "url"], refusal))
        reasons[index] = refusal
    if errors:
        errors.sort(key=lambda e: e["loc"][2])
        first = errors[0]["loc"][2]
        refused_only = all(e["type"] == "address_refused" for e in errors)
        # a refusal by the guard is said with the guard's rule, which names ELDERSCAN_ALLOW_HOSTS
        values = {"n": len(errors), "index": first, "reason": reasons[first]}
        raise ApiError(422, "address_refused" if refused_only else "invalid_request",
                       details=errors, key="api.sites-refused", values=values)
    return [urls[i] for i in range(len(body.sites))]
