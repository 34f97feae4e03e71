"""Bearer tokens: writes need an admin token; reads need a token of either role unless
`ELDERSCAN_API_PUBLIC_READS` is set. Tokens are made with `elderscan token create`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from elderscan.api.context import ctx
from elderscan.api.errors import ApiError, Phrase
from elderscan.store import check_token
from elderscan.store.db import session_scope

bearer = HTTPBearer(
    auto_error=False, scheme_name="token",
    description="`Authorization: Bearer esk_…`, a token from `elderscan token create "
    "--role admin|read`. Writes need role admin; reads need either role (unless the service "
    "sets ELDERSCAN_API_PUBLIC_READS).")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _role(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials.strip():
        raise ApiError(401, "unauthorized", headers=_CHALLENGE, key="api.token-required")
    with session_scope(ctx(request).engine) as session:
        role = check_token(session, credentials.credentials)
    if role is None:
        raise ApiError(401, "unauthorized", headers=_CHALLENGE, key="api.token-unknown")
    return role


def require_read(request: Request, credentials: Credentials) -> None:
    if ctx(request).settings.PUBLIC_READS:
        return
    _role(request, credentials)


def require_admin(request: Request, credentials: Credentials) -> None:
    role = _role(request, credentials)
    if role != "admin":
        raise ApiError(403, "forbidden", key="api.admin-only",
                       values={"role": Phrase(f"api.role.{role}")})
