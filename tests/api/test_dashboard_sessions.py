"""Dashboard sign-in through the real app, on SQLite and PostgreSQL: the cookie is a server-side
session id (never the bearer token) that ends at expiry, at sign-out and when its token is
revoked; anything else in the cookie is a signed-out visitor, never an error."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text, update
from typer.testing import CliRunner

from conftest import copy_store
from elderscan.api import create_app
from elderscan.api.dashboard.access import COOKIE
from elderscan.api.settings import ApiSettings
from elderscan.cli.root import app as cli_app
from elderscan.i18n import CATALOGUE as TEXT
from elderscan.store import DashboardSession, list_tokens, reset_engines, session_scope, upgrade
from elderscan.store.models import Base, utcnow
from store.conftest import fresh_pg_database

HOST = "dash.test"
ORIGIN = {"Origin": f"http://{HOST}"}
PAGES = ("/", "/rankings", "/sites/1", "/scans/1", "/compare?a=1&b=2")


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with fresh_pg_database("elderscan_dash") as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The API conftest's store, on both databases (PostgreSQL emptied for each test)."""
    data = tmp_path / "data"
    data.mkdir()
    if request.param == "sqlite":
        url = copy_store(request.getfixturevalue("migrated_sqlite"), tmp_path / "api.db")
    else:
        url = str(request.getfixturevalue("pg_database"))
        reset_engines()
        from elderscan.store import make_engine

        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        finally:
            engine.dispose()
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(data))
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
    for name in ("ELDERSCAN_BROKER_URL", "ELDERSCAN_API_PUBLIC_READS"):
        monkeypatch.delenv(name, raising=False)
    yield url
    reset_engines()


@pytest.fixture
def dash(db_url: str, recorder: Any) -> Iterator[Any]:
    """Browsers on the real app: `dash(**settings)`, over http unless `scheme="https"`."""
    clients: list[TestClient] = []

    def make(scheme: str = "http", **settings: Any) -> TestClient:
        client = TestClient(create_app(ApiSettings(**settings), submit=recorder),
                            base_url=f"{scheme}://{HOST}", follow_redirects=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _sign_in(client: TestClient, token: str, target: str = "/rankings") -> str:
    """Sign in through the form; returns the cookie's value."""
    origin = {"Origin": f"{client.base_url.scheme}://{HOST}"}
    response = client.post("/login", headers=origin, data={"token": token, "next": target})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == target
    value = client.cookies.get(COOKIE)
    assert value
    return value


def _signed_out(client: TestClient, why: str | None, path: str = "/rankings") -> None:
    """`path` sends the browser to the sign-in form, saying `why`, and drops a stale cookie."""
    response = client.get(path)
    assert response.status_code == 303, (path, response.status_code)
    location = response.headers["location"]
    assert location.startswith("/login?next=")
    if why is None:
        assert "why=" not in location
        return
    assert parse_qs(urlsplit(location).query)["why"] == [why], location
    assert f'{COOKIE}=""' in response.headers["set-cookie"]  # the browser forgets it
    english = client.get(location + "&lang=en")
    assert english.status_code == 200
    assert TEXT[f"login.{why}"][1] in english.text
    chinese = client.get(location + "&lang=zh")  # last: the language cookie goes back to zh
    assert TEXT[f"login.{why}"][0] in chinese.text


def _rows(engine: Engine) -> list[DashboardSession]:
    with session_scope(engine) as session:
        rows = list(session.execute(select(DashboardSession)).scalars())
        session.expunge_all()
        return rows


# ------------------------------------------------------------------------------- the cookie


def test_the_cookie_holds_a_session_id_never_the_token(
        dash: Any, tokens: dict[str, str], engine: Engine) -> None:
    client = dash()
    for role in ("read", "admin"):
        client.cookies.clear()
        response = client.post("/login", headers=ORIGIN,
                               data={"token": tokens[role], "next": "/rankings"})
        assert response.status_code == 303
        header = response.headers["set-cookie"]
        value = client.cookies[COOKIE]
        assert tokens[role] not in header and tokens[role] not in value
        assert not value.startswith("esk_") and len(value) == 43
        assert "HttpOnly" in header and "SameSite=strict" in header and "Path=/" in header
        assert "Max-Age=43200" in header and "Secure" not in header
        for path in PAGES:
            assert client.get(path).status_code in (200, 404), path
        assert client.get("/scans/1/shots/1.png").status_code == 404  # signed in, no such shot
    hashes = {row.session_hash for row in _rows(engine)}
    assert hashlib.sha256(client.cookies[COOKIE].encode()).hexdigest() in hashes
    assert all(tokens[r] not in h for r in tokens for h in hashes)


def test_the_bearer_token_no_longer_works_as_a_cookie(dash: Any,
                                                      tokens: dict[str, str]) -> None:
    client = dash()
    client.cookies.set(COOKIE, tokens["admin"], domain=HOST)
    _signed_out(client, "unknown")
    client.cookies.set(COOKIE, tokens["admin"], domain=HOST)
    assert client.get("/scans/1/shots/1.png").status_code == 401


@pytest.mark.parametrize("forged", [
    "garbage", "A" * 43, "x" * 5000, "%00%ff", "esk_" + "a" * 43, "' OR 1=1 --", "中文会话"])
def test_a_forged_cookie_is_a_signed_out_visitor(dash: Any, forged: str) -> None:
    client = dash()
    raw = {"Cookie": f"{COOKIE}={forged}".encode()}  # as sent, UTF-8 included
    for path in PAGES:
        response = client.get(path, headers=raw)
        assert response.status_code == 303, (path, response.text[:200])
        assert "why=unknown" in response.headers["location"]
    assert client.get("/scans/1/shots/1.png", headers=raw).status_code == 401


def test_no_cookie_is_simply_asked_to_sign_in(dash: Any) -> None:
    _signed_out(dash(), None)


def test_the_session_does_not_authorise_the_api(dash: Any, tokens: dict[str, str]) -> None:
    """A cookie rides along on cross-site requests; the API answers bearer tokens only."""
    client = dash()
    _sign_in(client, tokens["admin"])
    assert client.get("/api/v1/sites").status_code == 401
    scan = client.post("/api/v1/scans", json={"url": "https://www.example.gov.cn/"},
                       headers=ORIGIN)
    assert scan.status_code == 401


# ------------------------------------------------------------------------------- its end


def test_the_server_ends_an_expired_session(dash: Any, tokens: dict[str, str],
                                            engine: Engine) -> None:
    client = dash()
    _sign_in(client, tokens["read"])
    assert client.get("/rankings").status_code == 200
    with session_scope(engine) as session:  # the browser's copy would still be valid
        session.execute(update(DashboardSession).values(
            expires_at=utcnow() - timedelta(seconds=1)))
    _signed_out(client, "expired")


def test_a_tiny_lifetime_expires_on_the_server(dash: Any, tokens: dict[str, str],
                                               engine: Engine) -> None:
    client = dash(SESSION_HOURS=1 / 3600)
    value = _sign_in(client, tokens["read"])
    # the stored lifetime, not a request made within it: a busy machine once took over 1 s
    # between the sign-in and the next request
    (row,) = _rows(engine)
    assert row.expires_at - row.created_at == timedelta(seconds=1)
    time.sleep(1.2)
    client.cookies.set(COOKIE, value, domain=HOST)  # a browser that ignores Max-Age
    _signed_out(client, "expired")


def test_sign_out_revokes_the_session_on_the_server(dash: Any, tokens: dict[str, str],
                                                    engine: Engine) -> None:
    client = dash()
    value = _sign_in(client, tokens["read"])
    refused = client.post("/logout")  # no Origin: refused, and the session lives on
    assert refused.status_code == 403
    assert client.get("/rankings").status_code == 200
    out = client.post("/logout", headers=ORIGIN)
    assert out.status_code == 303 and out.headers["location"] == "/login?why=out"
    assert f'{COOKIE}=""' in out.headers["set-cookie"]
    assert TEXT["login.out"][0] in client.get(out.headers["location"]).text
    (row,) = _rows(engine)
    assert row.revoked_at is not None
    replay = dash()
    replay.cookies.set(COOKIE, value, domain=HOST)  # a copy of the cookie, replayed
    _signed_out(replay, "revoked")


def test_signing_in_again_ends_the_previous_session(dash: Any, tokens: dict[str, str]) -> None:
    client = dash()
    first = _sign_in(client, tokens["read"])
    second = _sign_in(client, tokens["admin"])
    assert first != second
    assert client.get("/rankings").status_code == 200
    client.cookies.set(COOKIE, first, domain=HOST)
    _signed_out(client, "revoked")


def test_revoking_the_token_ends_its_sessions(dash: Any, tokens: dict[str, str],
                                              db_url: str, engine: Engine) -> None:
    reader, admin = dash(), dash()
    _sign_in(reader, tokens["read"])
    _sign_in(admin, tokens["admin"])
    with session_scope(engine) as session:
        read_id = next(t.id for t in list_tokens(session) if t.role == "read")
    revoked = CliRunner().invoke(cli_app, ["token", "revoke", str(read_id), "--url", db_url])
    assert revoked.exit_code == 0, revoked.output
    _signed_out(reader, "revoked")
    assert admin.get("/rankings").status_code == 200  # another token's session lives on
    assert sum(r.revoked_at is not None for r in _rows(engine)) == 1


def test_public_reads_ignore_a_stale_cookie(dash: Any) -> None:
    client = dash(PUBLIC_READS=True)
    client.cookies.set(COOKIE, "garbage", domain=HOST)
    for path in PAGES:
        assert client.get(path).status_code in (200, 404), path


# ------------------------------------------------------------------------------- Secure


def test_the_cookie_is_secure_over_https_only(dash: Any, tokens: dict[str, str]) -> None:
    secure = dash("https")
    _sign_in(secure, tokens["read"])
    response = secure.post("/login", headers={"Origin": f"https://{HOST}"},
                           data={"token": tokens["read"]})
    assert "Secure" in response.headers["set-cookie"]
    out = secure.post("/logout", headers={"Origin": f"https://{HOST}"})
    assert "Secure" in out.headers["set-cookie"]
    plain = dash()
    told = plain.post("/login", headers={**ORIGIN, "X-Forwarded-Proto": "https"},
                      data={"token": tokens["read"]})
    assert "Secure" not in told.headers["set-cookie"], "the app alone trusts no proxy"
