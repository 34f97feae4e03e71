"""API tokens: created once in plaintext, stored only hashed, checked on every request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from elderscan.store.models import TOKEN_ROLES, ApiToken, utcnow
from elderscan.store.sessions import end_token_sessions
from elderscan.store.touch import TOUCH_SECONDS as TOKEN_TOUCH_SECONDS
from elderscan.store.touch import touch

TOKEN_PREFIX = "esk_"


def _hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_token(session: Session, name: str, role: str) -> str:
    """A new API token; returns the plaintext, which is shown once and stored only hashed."""
    if role not in TOKEN_ROLES:
        raise ValueError(f"role must be one of {', '.join(TOKEN_ROLES)}, not {role!r}")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name.strip() or "token", role=role,
                         token_hash=_hash_token(plaintext)))
    session.flush()
    return plaintext


def check_token(session: Session, plaintext: str) -> str | None:
    """The role of a valid, unrevoked token, or None.

    Checking is a read: `last_used_at` is written on the side, at most once a minute per token
    and process, in its own short transaction, and a failed write (the store read-only or full)
    is logged and forgotten, so tokens keep working on a store that refuses writes.
    """
    if not plaintext:
        return None
    digest = _hash_token(plaintext.strip())
    row = session.execute(select(ApiToken.id, ApiToken.role, ApiToken.last_used_at).where(
        ApiToken.token_hash == digest,
        ApiToken.revoked.is_(False))).one_or_none()
    if row is None:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > timedelta(
            seconds=TOKEN_TOUCH_SECONDS):
        _touch_token(session, row.id, digest, now)
    return str(row.role)


def _touch_token(session: Session, token_id: int, digest: str, now: datetime) -> None:
    touch(session, f"token:{digest}",
          update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now),
          f"token {token_id}: last use")


def revoke_token(session: Session, token_id: int) -> bool:
    """Revoke a token; False if there is no such token."""
    token = session.get(ApiToken, token_id)
    if token is None:
        return False
    token.revoked = True
    end_token_sessions(session, token_id)  # its dashboard sign-ins end with it
    session.flush()
    return True


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.execute(select(ApiToken).order_by(ApiToken.id)).scalars())
