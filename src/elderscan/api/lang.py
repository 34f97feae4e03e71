"""The language of the service's own messages for one request: `?lang=zh|en`, else the first of
zh/en in Accept-Language, else English (the API's other messages are English)."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.types import Scope

from elderscan.i18n import Lang


def choose(query: str, accept_language: str) -> Lang:
    asked = parse_qs(query).get("lang", [""])[0]
    if asked in ("zh", "en"):
        return "zh" if asked == "zh" else "en"
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"


def scope_lang(scope: Scope) -> Lang:
    """`choose` for an ASGI request (a middleware has no Request)."""
    headers = dict(scope.get("headers") or [])
    query = scope.get("query_string", b"").decode("latin-1")
    return choose(query, headers.get(b"accept-language", b"").decode("latin-1"))
