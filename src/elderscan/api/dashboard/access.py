"""Who may read the dashboard: the API's read rule, carried by a server-side session.

A browser cannot send `Authorization: Bearer` on a plain link, so the sign-in form checks a read
or admin token once and opens a session in the store (`elderscan.store.sessions`); the cookie
holds only that session's random id, never the token. Every page looks the id up again, so the
server ends a session at its expiry (`ELDERSCAN_API_SESSION_HOURS`), at sign-out, and when its
token is revoked; an ended, unknown or forged id is a signed-out visitor. The cookie is
HttpOnly, SameSite=Strict, Path=/ and Secure on HTTPS (directly, or from a trusted proxy's
X-Forwarded-Proto). Form posts are guarded by SameSite plus an Origin (or Referer) check.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import Request, Response

from elderscan.api.context import ctx
from elderscan.store import check_token
from elderscan.store.db import session_scope
from elderscan.store.sessions import Ended, SessionCheck, check_session, end_session, open_session

COOKIE = "elderscan_session"
MAX_TOKEN_LENGTH = 500
_STATE = "dashboard_session"
"""Where one request keeps its looked-up session, so the page and its header ask once."""


def public(request: Request) -> bool:
    return ctx(request).settings.PUBLIC_READS


def lifetime(request: Request) -> timedelta:
    return timedelta(hours=ctx(request).settings.SESSION_HOURS)


def _session(request: Request) -> SessionCheck | None:
    """The session named by the request's cookie, looked up once per request; None without
    a cookie."""
    if hasattr(request.state, _STATE):
        found: SessionCheck | None = getattr(request.state, _STATE)
        return found
    session_id = request.cookies.get(COOKIE)
    found = None
    if session_id:
        with session_scope(ctx(request).engine) as session:
            found = check_session(session, session_id)
    setattr(request.state, _STATE, found)
    return found


def role(request: Request) -> str | None:
    """`admin` or `read` (the role of the token the session was opened with), or None."""
    found = _session(request)
    return found.role if found else None


def signed_in(request: Request) -> bool:
    return role(request) is not None


def ended(request: Request) -> Ended | None:
    """Why the session cookie the browser sent no longer signs it in; None if it sent none
    (or it is valid)."""
    found = _session(request)
    return found.ended if found else None


def may_read(request: Request) -> bool:
    return public(request) or signed_in(request)


def sign_in(request: Request, token: str) -> str | None:
    """Open a session for a valid read or admin token; its id, or None for a bad token. A
    session the browser still had is ended: one sign-in, one live session."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    with session_scope(ctx(request).engine) as session:
        if check_token(session, token) is None:
            return None
        old = request.cookies.get(COOKIE)
        if old:
            end_session(session, old)
        return open_session(session, token, lifetime(request))


def sign_out(request: Request) -> None:
    """End the request's session in the store, so its cookie is worthless even if replayed."""
    session_id = request.cookies.get(COOKIE)
    if session_id:
        with session_scope(ctx(request).engine) as session:
            end_session(session, session_id)


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


def _secure(request: Request) -> bool:
    """HTTPS as this app sees it: the server's own TLS, or a trusted proxy's
    X-Forwarded-Proto (uvicorn rewrites the scheme only for the proxies `serve` trusts)."""
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, session_id: str) -> None:
    response.set_cookie(COOKIE, session_id, max_age=max(1, int(lifetime(request).total_seconds())),
                        path="/", httponly=True, samesite="strict", secure=_secure(request))


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=_secure(request))
