"""A review reason posted from the dashboard is cleaned as the API cleans it: a NUL is refused
with the catalogue's notice, on SQLite and PostgreSQL, and nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text

from conftest import copy_store
from elderscan.contract import ScanReport
from elderscan.store import (
    claim_scan,
    enqueue_scan,
    get_engine,
    reset_engines,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)
from elderscan.store.models import Base, ReviewEvent
from store.conftest import fresh_pg_database

from .conftest import report
from .test_dashboard_schedules import _csrf
from .test_workbench_dashboard import ORIGIN, sign_in

API = "/api/v1"


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with fresh_pg_database("elderscan_hardening") as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    data = tmp_path / "data"
    data.mkdir()
    if request.param == "sqlite":
        url = copy_store(request.getfixturevalue("migrated_sqlite"), tmp_path / "api.db")
    else:
        url = str(request.getfixturevalue("pg_database"))
        reset_engines()
        with get_engine(url).begin() as conn:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        reset_engines()
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(data))
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
    for name in ("ELDERSCAN_BROKER_URL", "ELDERSCAN_API_PUBLIC_READS", "ELDERSCAN_ALLOW_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    yield url
    reset_engines()


def review_scan(engine: Engine) -> int:
    """A finished scan with one `review` finding."""
    data: dict[str, Any] = report("https://r.gov.cn/", 80, problems=("h1",)).to_json_dict()
    data["pages"][0]["findings"][0]["outcome"] = "review"
    data["summary"].update(fail=0, review=1)
    with session_scope(engine) as session:
        scan_id = enqueue_scan(session, upsert_site(session, "复核", "https://r.gov.cn/")).id
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, ScanReport.model_validate(data))
    return scan_id


def test_a_reason_with_a_nul_is_refused_in_words(client: TestClient, engine: Engine,
                                                 tokens: dict[str, str],
                                                 admin: dict[str, str]) -> None:
    scan_id = review_scan(engine)
    finding = next(f for p in client.get(f"{API}/scans/{scan_id}", headers=admin).json()["result"][
        "pages"] for f in p["findings"] if f["outcome"] == "review")["finding_id"]
    sign_in(client, tokens["admin"])
    token = _csrf(client.get(f"/scans/{scan_id}").text)
    posted = client.post(f"/scans/{scan_id}/findings/{finding}/decision?lang=zh",
                         headers=ORIGIN, follow_redirects=False,
                         data={"csrf": token, "action": "waive", "reason": "看过\x00了"})
    assert posted.status_code == 303, posted.text
    assert "review=problem.reason_text" in posted.headers["location"]
    page = client.get(posted.headers["location"])
    assert "理由中不能含有控制字符或无效字符" in page.text
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(ReviewEvent)).scalar() == 0
    fine = client.post(f"/scans/{scan_id}/findings/{finding}/decision", headers=ORIGIN,
                       follow_redirects=False,
                       data={"csrf": token, "action": "waive", "reason": "看过了"})
    assert "review=saved.waive" in fine.headers["location"]
