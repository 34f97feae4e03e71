"""Dashboard sessions in the store, on SQLite and PostgreSQL: ids are random and kept only
hashed, and a session ends at its expiry, at sign-out and when its token is revoked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from elderscan.store import (
    DashboardSession,
    check_session,
    create_token,
    end_session,
    get_engine,
    head,
    make_engine,
    open_session,
    revoke_token,
    session_scope,
    upgrade,
)
from elderscan.store.models import utcnow
from elderscan.store.sessions import KEEP_ENDED, SESSION_TOUCH_SECONDS, SessionCheck
from storefault import RefusingStore

HOURS = timedelta(hours=12)


def _token(engine: Engine, role: str = "read") -> str:
    with session_scope(engine) as session:
        return create_token(session, f"{role} token", role)


def _open(engine: Engine, token: str, lifetime: timedelta = HOURS) -> str:
    with session_scope(engine) as session:
        session_id = open_session(session, token, lifetime)
    assert session_id is not None
    return session_id


def _check(engine: Engine, session_id: str) -> SessionCheck:
    with session_scope(engine) as session:
        return check_session(session, session_id)


def test_a_session_carries_its_tokens_role_and_only_its_hash_is_stored(engine: Engine) -> None:
    admin, reader = _token(engine, "admin"), _token(engine, "read")
    first, second = _open(engine, admin), _open(engine, reader)
    assert first != second and len(first) == 43 and admin not in first
    assert _check(engine, first) == SessionCheck(role="admin")
    assert _check(engine, second) == SessionCheck(role="read")
    with session_scope(engine) as session:
        rows = list(session.execute(select(DashboardSession)).scalars())
        stored = {r.session_hash for r in rows}
        assert stored == {hashlib.sha256(s.encode()).hexdigest() for s in (first, second)}
        row = rows[0]
        assert row.expires_at - row.created_at == HOURS
        assert row.revoked_at is None and row.last_seen_at == row.created_at


def test_bad_tokens_open_nothing_and_unknown_ids_are_unknown(engine: Engine) -> None:
    token = _token(engine)
    with session_scope(engine) as session:
        assert open_session(session, "esk_nope", HOURS) is None
        assert open_session(session, "", HOURS) is None
        assert session.execute(select(func.count()).select_from(DashboardSession)).scalar() == 0
    for garbage in ("", "x", token, "A" * 43, "é" * 40, "x" * 10_000):
        assert _check(engine, garbage) == SessionCheck(ended="unknown"), garbage[:20]


def test_the_server_ends_a_session_at_its_expiry(engine: Engine) -> None:
    session_id = _open(engine, _token(engine))
    with session_scope(engine) as session:
        now = utcnow()
        assert check_session(session, session_id, now=now + HOURS - timedelta(seconds=1)).role
        assert check_session(session, session_id, now=now + HOURS + timedelta(seconds=1)) == \
            SessionCheck(ended="expired")
    with session_scope(engine) as session:  # and expiry is a stored fact, not a clock trick
        row = session.execute(select(DashboardSession)).scalar_one()
        row.expires_at = utcnow() - timedelta(seconds=1)
    assert _check(engine, session_id) == SessionCheck(ended="expired")


def test_sign_out_revokes_one_session(engine: Engine) -> None:
    token = _token(engine)
    kept, ended = _open(engine, token), _open(engine, token)
    with session_scope(engine) as session:
        assert end_session(session, ended) is True
        assert end_session(session, ended) is False  # already ended
        assert end_session(session, "not-a-session") is False
    assert _check(engine, ended) == SessionCheck(ended="revoked")
    assert _check(engine, kept) == SessionCheck(role="read")


def test_revoking_a_token_revokes_its_sessions(engine: Engine) -> None:
    token, other = _token(engine), _token(engine, "admin")
    first, second, others = _open(engine, token), _open(engine, token), _open(engine, other)
    with session_scope(engine) as session:
        token_id = session.execute(select(DashboardSession.token_id)).scalars().first()
        assert token_id is not None and revoke_token(session, token_id)
    assert _check(engine, first) == _check(engine, second) == SessionCheck(ended="revoked")
    assert _check(engine, others) == SessionCheck(role="admin")
    with session_scope(engine) as session:
        revoked = session.execute(select(DashboardSession).where(
            DashboardSession.token_id == token_id)).scalars().all()
        assert len(revoked) == 2 and all(r.revoked_at is not None for r in revoked)
        assert open_session(session, token, HOURS) is None  # a revoked token opens none


def test_last_seen_is_written_at_most_once_a_minute(engine: Engine) -> None:
    session_id = _open(engine, _token(engine))
    with session_scope(engine) as session:
        row = session.execute(select(DashboardSession)).scalar_one()
        opened = row.last_seen_at
        check_session(session, session_id, now=opened + timedelta(seconds=10))
        assert row.last_seen_at == opened
        later = opened + timedelta(seconds=SESSION_TOUCH_SECONDS + 1)
        check_session(session, session_id, now=later)
    with session_scope(engine) as session:
        assert session.execute(select(DashboardSession.last_seen_at)).scalar_one() == later


def test_long_ended_sessions_are_deleted_when_one_opens(engine: Engine) -> None:
    token = _token(engine)
    with session_scope(engine) as session:
        old = open_session(session, token, HOURS, now=utcnow() - KEEP_ENDED - 2 * HOURS)
        recent = open_session(session, token, HOURS, now=utcnow() - 2 * HOURS)
    assert old and recent
    _open(engine, token)
    assert _check(engine, old) == SessionCheck(ended="unknown")  # deleted
    assert _check(engine, recent) == SessionCheck(ended="expired")  # kept a while, for the why


def test_upgrade_from_0001_keeps_tokens_that_then_open_sessions(
        backend: str, tmp_path: Path, data_root: Path,
        fresh_pg: Callable[[], AbstractContextManager[str]]) -> None:
    def check(url: str) -> None:
        assert upgrade(url, "0001") == "0001"
        engine = make_engine(url)
        try:
            token = _token(engine, "admin")
            assert upgrade(url) == head()
            assert _check(engine, _open(engine, token)) == SessionCheck(role="admin")
        finally:
            engine.dispose()

    if backend == "sqlite":
        check(f"sqlite:///{tmp_path / 'old.db'}")
        return
    with fresh_pg() as url:
        check(url)


def test_a_signed_in_visit_needs_no_write(db_url: str) -> None:
    """`last_seen_at` is written on the side: a store that refuses writes still lets a signed-in
    browser read, and the session stays valid."""
    engine = get_engine(db_url)
    session_id = _open(engine, _token(engine, "admin"))
    refusing = RefusingStore(db_url)
    try:
        refusing.refuse("read-only")
        later = utcnow() + timedelta(seconds=SESSION_TOUCH_SECONDS + 1)
        with session_scope(engine) as session:
            assert check_session(session, session_id, now=later) == SessionCheck(role="admin")
    finally:
        refusing.close()
    assert _check(engine, session_id) == SessionCheck(role="admin")
