"""Who may change data from the dashboard, and proof that a form came from our own page.

A write needs a signed-in session whose token has role admin; a read token sees the pages but
no write controls, and a POST from it gets a page saying so (403). Every form POST also carries
a CSRF token bound to the session: HMAC-SHA256 of a fixed label keyed by the session id, which
lives only in the HttpOnly cookie, so another site can neither read nor compute it. It is
compared in constant time, and the POST's Origin (or Referer) must name this host as well;
SameSite=Strict on the cookie is the third layer, not the only one.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request
from fastapi.responses import Response

from elderscan.api.dashboard import access
from elderscan.api.dashboard.view import View, render

FIELD = "csrf_token"
_LABEL = b"elderscan dashboard form v1"


def csrf_token(request: Request) -> str:
    """The CSRF token of this request's session ("" when signed out)."""
    session_id = request.cookies.get(access.COOKIE)
    if not session_id or not access.signed_in(request):
        return ""
    return hmac.new(session_id.encode("utf-8"), _LABEL, hashlib.sha256).hexdigest()


def csrf_ok(request: Request, sent: object) -> bool:
    """A POST from one of our own pages in this session: same origin, and the form's token is
    this session's (constant-time compare)."""
    expected = csrf_token(request)
    given = sent if isinstance(sent, str) else ""
    return (bool(expected) and access.same_origin(request)
            and hmac.compare_digest(expected.encode(), given.encode()))


def is_admin(request: Request) -> bool:
    return access.role(request) == "admin"


def refused(request: Request, key: str) -> Response:
    """The 403 page: `workbench.admin` (not an admin) or `workbench.csrf` (a forged or stale
    form)."""
    return render(request, "workbench_refused.html", 403, kind=key, back=View.of(request).link(
        "/workbench"))


def check_write(request: Request, sent: object) -> Response | None:
    """None if this POST may write; else the page that refuses it. `sent` is the form's
    CSRF field."""
    if not access.same_origin(request):
        return refused(request, "workbench.csrf")
    if not is_admin(request):
        return refused(request, "workbench.admin")
    if not csrf_ok(request, sent):
        return refused(request, "workbench.csrf")
    return None
