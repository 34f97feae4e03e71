"""Who may do what: writes need an admin token, reads a token of either role (or none when
the service makes reads public), /healthz needs none; every refusal is JSON."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from elderscan.api.settings import ApiSettings
from elderscan.store import list_tokens, revoke_token, session_scope

API = "/api/v1"
READS = [f"{API}/scans/1", f"{API}/batches/1", f"{API}/sites", f"{API}/sites/1",
         f"{API}/sites/1/history", f"{API}/compare?a=1&b=2",
         f"{API}/compare/rounds?batch=x", f"{API}/metrics"]
SCAN = {"url": "https://www.example.gov.cn/"}
BATCH = {"name": "q4", "sites": [{"url": "https://www.example.gov.cn/"}]}
WRITES: list[tuple[str, dict[str, Any]]] = [(f"{API}/scans", SCAN), (f"{API}/batches", BATCH)]


def _is_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert body["message"]


def test_healthz_needs_no_token(client: TestClient) -> None:
    response = client.get(f"{API}/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "sqlite"
    assert body["schema_revision"]
    assert body["runner"] == "local"


@pytest.mark.parametrize("path", READS)
def test_reads_need_a_token(client: TestClient, path: str, reader: dict[str, str],
                            admin: dict[str, str]) -> None:
    missing = client.get(path)
    _is_error(missing, 401, "unauthorized")
    assert missing.headers["www-authenticate"] == "Bearer"
    _is_error(client.get(path, headers={"Authorization": "Bearer esk_not-a-token"}),
              401, "unauthorized")
    _is_error(client.get(path, headers={"Authorization": "Basic dXNlcjpwdw=="}),
              401, "unauthorized")
    for headers in (reader, admin):
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 404), response.text  # unknown ids: 404


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_writes_need_an_admin_token(client: TestClient, path: str, body: dict[str, Any],
                                    reader: dict[str, str], admin: dict[str, str]) -> None:
    _is_error(client.post(path, json=body), 401, "unauthorized")
    _is_error(client.post(path, json=body, headers={"Authorization": "Bearer nope"}),
              401, "unauthorized")
    forbidden = client.post(path, json=body, headers=reader)
    _is_error(forbidden, 403, "forbidden")
    assert "admin" in forbidden.json()["message"]
    assert client.post(path, json=body, headers=admin).status_code == 202


def test_a_revoked_token_is_refused(client: TestClient, engine: Engine,
                                    admin: dict[str, str]) -> None:
    assert client.get(f"{API}/sites", headers=admin).status_code == 200
    with session_scope(engine) as session:
        admin_id = next(t.id for t in list_tokens(session) if t.role == "admin")
        assert revoke_token(session, admin_id)
    _is_error(client.get(f"{API}/sites", headers=admin), 401, "unauthorized")


def test_tokens_are_stored_hashed(engine: Engine, tokens: dict[str, str]) -> None:
    with session_scope(engine) as session:
        stored = {t.token_hash for t in list_tokens(session)}
    assert not {tokens["admin"], tokens["read"]} & stored
    assert all(len(h) == 64 for h in stored)


def test_public_reads(make_client: Any, reader: dict[str, str]) -> None:
    client = make_client(ApiSettings(PUBLIC_READS=True))
    for path in READS:
        assert client.get(path).status_code in (200, 404), path
    assert client.get(f"{API}/healthz").json()["public_reads"] is True
    # writes stay closed
    _is_error(client.post(f"{API}/scans", json=SCAN), 401, "unauthorized")
    _is_error(client.post(f"{API}/scans", json=SCAN, headers=reader), 403, "forbidden")


def test_public_reads_from_the_environment(make_client: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELDERSCAN_API_PUBLIC_READS", "1")
    client = make_client()
    assert client.get(f"{API}/sites").status_code == 200
