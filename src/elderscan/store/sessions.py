"""Dashboard sessions: what a signed-in browser's cookie stands for.

Signing in with a bearer token opens a session: a random id (`secrets.token_urlsafe(32)`) goes
to the browser, and the store keeps only its SHA-256, the token it came from and when it ends.
So the token itself never travels in a cookie, and the server alone decides that a session is
over: at its expiry, at sign-out, or when its token is revoked. Like the repository's
functions, these take a `Session` first and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from elderscan.store.models import ApiToken, DashboardSession, utcnow
from elderscan.store.touch import touch

Ended = Literal["expired", "revoked", "unknown"]
"""Why a session id sent by a browser no longer signs it in."""

SESSION_TOUCH_SECONDS = 60
"""`last_seen_at` is written at most once a minute per session, not on every page."""
KEEP_ENDED = timedelta(days=7)
"""Sessions that expired longer ago than this are deleted when the next one is opened."""
MAX_ID_LENGTH = 100
"""Ids are 43 characters; anything much longer is refused before it reaches the database."""


@dataclass(frozen=True)
class SessionCheck:
    """A session id looked up: the role of its token while it is valid, else why not."""

    role: str | None = None
    ended: Ended | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(session: Session, token: str, lifetime: timedelta, *,
                 now: datetime | None = None) -> str | None:
    """A new session for a valid, unrevoked token, ending after `lifetime`; returns its id
    (the only time it exists in plain), or None for an unknown or revoked token."""
    now = now or utcnow()
    token_id = session.execute(select(ApiToken.id).where(
        ApiToken.token_hash == _digest(token.strip()),
        ApiToken.revoked.is_(False))).scalar_one_or_none()
    if token_id is None:
        return None
    session.execute(delete(DashboardSession).where(
        DashboardSession.expires_at < now - KEEP_ENDED))
    session_id = secrets.token_urlsafe(32)
    session.add(DashboardSession(session_hash=_digest(session_id), token_id=token_id,
                                 created_at=now, expires_at=now + lifetime, last_seen_at=now))
    session.flush()
    return session_id


def check_session(session: Session, session_id: str, *,
                  now: datetime | None = None) -> SessionCheck:
    """The role a session id carries (its token's), or why it carries none: `expired`,
    `revoked` (signed out, or its token revoked) or `unknown` (never issued, or garbage)."""
    if not session_id or len(session_id) > MAX_ID_LENGTH:
        return SessionCheck(ended="unknown")
    now = now or utcnow()
    found = session.execute(
        select(DashboardSession, ApiToken.role, ApiToken.revoked)
        .join(ApiToken, DashboardSession.token_id == ApiToken.id)
        .where(DashboardSession.session_hash == _digest(session_id))).one_or_none()
    if found is None:
        return SessionCheck(ended="unknown")
    row, role, token_revoked = found
    if row.revoked_at is not None or token_revoked:
        return SessionCheck(ended="revoked")
    if row.expires_at <= now:
        return SessionCheck(ended="expired")
    if now - row.last_seen_at > timedelta(seconds=SESSION_TOUCH_SECONDS):
        # on the side: a signed-in read works on a store that refuses writes
        touch(session, f"session:{row.session_hash}",
              update(DashboardSession).where(DashboardSession.id == row.id)
              .values(last_seen_at=now), "dashboard session: last visit")
    return SessionCheck(role=role)


def end_session(session: Session, session_id: str, *, now: datetime | None = None) -> bool:
    """Revoke one session (sign-out); False if there was no open session with this id."""
    if not session_id or len(session_id) > MAX_ID_LENGTH:
        return False
    result = session.execute(update(DashboardSession).where(
        DashboardSession.session_hash == _digest(session_id),
        DashboardSession.revoked_at.is_(None)).values(revoked_at=now or utcnow()))
    return bool(getattr(result, "rowcount", 0))


def end_token_sessions(session: Session, token_id: int, *, now: datetime | None = None) -> int:
    """Revoke every open session of a token (the token was revoked); returns how many."""
    result = session.execute(update(DashboardSession).where(
        DashboardSession.token_id == token_id,
        DashboardSession.revoked_at.is_(None)).values(revoked_at=now or utcnow()))
    return int(getattr(result, "rowcount", 0))
