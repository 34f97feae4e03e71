"""Who may read the dashboard: the API's read rule, carried by a cookie instead of a header.

A browser cannot send `Authorization: Bearer` on a plain link, so the login form checks a read
or admin token once and keeps it in an HttpOnly, SameSite=Strict cookie; every page checks it
again against the store, so revoking the token logs the browser out. Tokens never appear in a
URL. The form posts are guarded by SameSite plus an Origin (or Referer) check.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request, Response

from elderscan.api.context import ctx
from elderscan.store.db import session_scope
from elderscan.store.repo import check_token

COOKIE = "elderscan_session"
MAX_AGE = 12 * 3600
"""A working day; the token itself stays valid until revoked."""


def public(request: Request) -> bool:
    return ctx(request).settings.PUBLIC_READS


def token_role(request: Request, token: str | None) -> str | None:
    if not token or not token.strip() or len(token) > 500:
        return None
    with session_scope(ctx(request).engine) as session:
        return check_token(session, token.strip())


def signed_in(request: Request) -> bool:
    return token_role(request, request.cookies.get(COOKIE)) is not None


def may_read(request: Request) -> bool:
    return public(request) or signed_in(request)


def same_origin(request: Request) -> bool:
    """A form post from one of our own pages: its Origin (or, failing that, Referer) names this
    host. Browsers send Origin on every POST, so a missing one is refused too."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent or sent == "null":
        return False
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(sent).netloc == host


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no `//host`, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def set_session(response: Response, request: Request, token: str) -> None:
    response.set_cookie(COOKIE, token.strip(), max_age=MAX_AGE, path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
