"""The service over a store it cannot use: a corrupt SQLite file, an unreachable PostgreSQL, a
store that refuses writes. Requests get 503 with a catalogue message, /healthz fails while the
store is unusable and recovers when it is back; reads work on a read-only store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import make_url

from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.i18n import text
from elderscan.store import ApiToken, create_token, get_engine, reset_engines, session_scope
from elderscan.store.migrate import upgrade
from store.conftest import fresh_pg_database
from storefault import PostgresDoor, RefusingStore, corrupt

from .conftest import Recorder, StoreData

API = "/api/v1"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}


def _fast_recovery(client: TestClient) -> None:
    """Let /healthz forget a store error after 0.2 s instead of 30 (the tests wait for it)."""
    app: Any = client.app
    app.state.elderscan.store.window = 0.2


def _unusable(response: Any, problem: str, lang: str = "en") -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error"] == "unavailable"
    assert body["message"] == text("store.unusable", lang, problem=text(f"store.{problem}", lang))
    assert response.headers["retry-after"] == "30"


@pytest.mark.parametrize(("keep", "problem"), [(0, "corrupt"), (100, "corrupt")])
def test_corrupt_sqlite_is_503_until_the_file_is_restored(
        client: TestClient, make_client: Any, reader: dict[str, str], store: StoreData,
        db_url: str, keep: int, problem: str) -> None:
    store.scan("https://www.example.gov.cn/", 71.0)
    public = make_client(ApiSettings(PUBLIC_READS=True))
    _fast_recovery(client)
    assert client.get(f"{API}/sites", headers=reader).status_code == 200
    assert client.get(f"{API}/healthz").status_code == 200
    path = Path(make_url(db_url).database or "")
    original = corrupt(path, keep=keep)

    _unusable(client.get(f"{API}/sites", headers=reader), problem)
    _unusable(client.get(f"{API}/scans/1", headers={**reader, **ZH}), problem, "zh")
    _unusable(client.get(f"{API}/healthz"), problem)
    dashboard = public.get("/", headers=ZH, follow_redirects=False)
    assert dashboard.status_code == 503 and "检测结果库暂时无法使用" in dashboard.text
    assert "text/html" in dashboard.headers["content-type"]
    time.sleep(0.3)
    _unusable(client.get(f"{API}/healthz"), problem)  # still damaged: still failing

    path.write_bytes(original)
    time.sleep(0.3)
    assert client.get(f"{API}/healthz").status_code == 200
    assert client.get(f"{API}/sites", headers=reader).json()["total"] == 1


@pytest.fixture
def door(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PostgresDoor, str]]:
    """A migrated PostgreSQL database that the service reaches through a door the test can
    close; (door, URL through the door)."""
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(tmp_path / "data"))
    with fresh_pg_database("elderscan_api_store") as direct:
        upgrade(direct)
        gate = PostgresDoor()
        gate.open()
        url = gate.url(direct)
        monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
        try:
            yield gate, url
        finally:
            gate.close()
            reset_engines()


def test_unreachable_postgresql_is_503_and_healthz_recovers(
        door: tuple[PostgresDoor, str], recorder: Recorder) -> None:
    gate, url = door
    with session_scope(get_engine(url)) as session:
        headers = {"Authorization": f"Bearer {create_token(session, 'r', 'read')}"}
    with TestClient(create_app(submit=recorder)) as client:
        _fast_recovery(client)
        assert client.get(f"{API}/sites", headers=headers).status_code == 200
        gate.close()
        _unusable(client.get(f"{API}/sites", headers=headers), "unreachable")
        _unusable(client.get(f"{API}/healthz", headers=ZH), "unreachable", "zh")
        gate.open()
        time.sleep(0.3)
        assert client.get(f"{API}/healthz").status_code == 200
        assert client.get(f"{API}/sites", headers=headers).status_code == 200


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, db_url: str,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The API's store URL on each backend (PostgreSQL: a fresh database)."""
    if request.param == "sqlite":
        yield db_url
        return
    with fresh_pg_database("elderscan_api_store") as url:
        upgrade(url)
        monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
        yield url


def test_reads_work_on_a_store_that_refuses_writes(any_store: str, recorder: Recorder) -> None:
    """A token's last use is recorded on the side: a read-only store still serves reads, and
    the write that failed is not tried again on every request."""
    with session_scope(get_engine(any_store)) as session:
        read = {"Authorization": f"Bearer {create_token(session, 'r', 'read')}"}
        admin = {"Authorization": f"Bearer {create_token(session, 'a', 'admin')}"}
    refusing = RefusingStore(any_store)
    try:
        with TestClient(create_app(submit=recorder)) as client:
            refusing.refuse("read-only")
            for _ in range(3):
                assert client.get(f"{API}/sites", headers=read).status_code == 200
            assert client.get(f"{API}/healthz").status_code == 200
            _unusable(client.post(f"{API}/scans", headers=admin,
                                  json={"url": "https://www.example.gov.cn/"}), "read-only")
            refusing.accept()
            assert client.get(f"{API}/sites", headers=read).status_code == 200
    finally:
        refusing.close()
    with session_scope(get_engine(any_store)) as session:
        used = session.execute(select(ApiToken.name, ApiToken.last_used_at)).all()
    # the reader's use could not be written and is not retried within the minute; the admin's
    # token was checked while the store refused writes too
    assert dict(used) == {"r": None, "a": None}
    assert recorder.ids == []
