"""Rounds started from the web or a schedule, hardened: a round first made by the CLI (no
address guard) re-run from the API, the dashboard or a schedule scans behind the guard; ...
Real app, real SQLite store; scans go to a recorder unless the test runs one for real."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from elderscan.recurrence import Recurrence
from elderscan.runner.task import local_worker_id, run_scan
from elderscan.schedules.scheduler import run_schedule
from elderscan.store import Batch, Scan, create_batch, session_scope, upsert_site
from elderscan.store.models import RoundCancel
from elderscan.store.schedules import create_schedule
from recorded import replay_scans

from .test_workbench_dashboard import ORIGIN, csrf, sign_in

API = "/api/v1"
INSIDE = "http://127.0.0.2:9/"


def cli_round(engine: Engine, name: str = "本地批次") -> int:
    """A round stored as `elderscan batch` stores it: its options carry no address guard."""
    with session_scope(engine) as session:
        site = upsert_site(session, "内网", INSIDE)
        return create_batch(session, name, [site], {"max_pages": 1}).id


def options_of(engine: Engine, batch_id: int) -> dict[str, Any]:
    with session_scope(engine) as session:
        batch = session.get(Batch, batch_id)
        assert batch is not None
        return dict(batch.options or {})


def scans_of(engine: Engine, batch_id: int) -> list[int]:
    with session_scope(engine) as session:
        return list(session.execute(select(Scan.id).where(Scan.batch_id == batch_id)).scalars())


def test_a_cli_round_run_again_from_the_api_is_guarded(client: TestClient, engine: Engine,
                                                        admin: dict[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    replay_scans(monkeypatch, {})  # the guard blocks the address before any page is captured
    first = cli_round(engine)
    assert "guard_addresses" not in options_of(engine, first)
    again = client.post(f"{API}/batches/{first}/again", headers=admin)
    assert again.status_code == 202, again.text
    options = options_of(engine, again.json()["id"])
    assert options["guard_addresses"] is True and options["allow_hosts"] == []
    assert options["max_pages"] == 1
    [scan_id] = scans_of(engine, again.json()["id"])
    assert run_scan(scan_id, worker=local_worker_id()) == "failed"
    with session_scope(engine) as session:
        scan = session.get(Scan, scan_id)
        assert scan is not None
        assert (scan.status, scan.error_code) == ("failed", "blocked")


def test_a_cli_round_run_again_from_the_dashboard_is_guarded(client: TestClient, engine: Engine,
                                                              tokens: dict[str, str]) -> None:
    first = cli_round(engine, "季度")
    sign_in(client, tokens["admin"])
    token = csrf(client.get("/workbench").text)
    response = client.post("/workbench/again", data={"csrf_token": token, "batch": "季度"},
                           headers=ORIGIN, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert options_of(engine, first + 1)["guard_addresses"] is True


def test_a_schedule_stored_without_the_guard_runs_with_it(engine: Engine, recorder: Any,
                                                          monkeypatch: Any) -> None:
    monkeypatch.setenv("ELDERSCAN_ALLOW_HOSTS", "intranet.example.gov.cn")
    cli_round(engine, "定时")
    with session_scope(engine) as session:
        schedule = create_schedule(session, name="定时", rule=Recurrence(kind="daily"),
                                   options={"max_pages": 1})
        schedule_id = schedule.id
    outcome = run_schedule(engine, schedule_id, submit=recorder)
    assert outcome is not None and outcome.error is None and outcome.batch_id is not None
    options = options_of(engine, outcome.batch_id)
    assert options["guard_addresses"] is True
    assert options["allow_hosts"] == ["intranet.example.gov.cn"]


def test_a_finished_round_cannot_be_cancelled(client: TestClient, engine: Engine,
                                              store: Any, admin: dict[str, str],
                                              tokens: dict[str, str]) -> None:
    done = store.batch("完成", [("甲", "https://a.gov.cn/", "gov", "甲省", 80.0)])
    refused = client.post(f"{API}/batches/{done}/cancel?lang=zh", headers=admin)
    assert refused.status_code == 409, refused.text
    assert refused.json()["message"] == "这一轮没有排队或正在进行的检测，无需取消。"
    with session_scope(engine) as session:
        assert session.get(RoundCancel, done) is None
    progress = client.get(f"{API}/batches/{done}/progress", headers=admin).json()
    assert progress["status"] != "cancelled" and progress["cancelled"] == 0
    sign_in(client, tokens["admin"])
    token = csrf(client.get(f"/rounds/{done}").text)
    page = client.post(f"/rounds/{done}/cancel?lang=en", data={"csrf_token": token},
                       headers=ORIGIN, follow_redirects=False)
    assert page.status_code == 409 and "nothing to cancel" in page.text
    with session_scope(engine) as session:
        assert session.get(RoundCancel, done) is None


def test_a_round_run_again_while_the_runner_is_down_is_503_in_the_askers_language(
        client: TestClient, engine: Engine, admin: dict[str, str], recorder: Any) -> None:
    first = cli_round(engine)
    recorder.fail = ConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")
    refused = client.post(f"{API}/batches/{first}/again",
                          headers={**admin, "Accept-Language": "zh-CN"})
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"] == "unavailable"
    # one sentence, in Chinese: not the runner's English nested twice, not the broker's address
    assert refused.json()["message"] == "检测服务暂时不可用，这些检测已标为失败，请稍后再试"
    with session_scope(engine) as session:
        latest = session.execute(select(Batch.id).order_by(Batch.id.desc())).scalars().first()
        scans = session.execute(select(Scan).where(Scan.batch_id == latest)).scalars().all()
        assert latest != first and [s.status for s in scans] == ["failed"]
        assert scans[0].error_code == "dispatch" and "10.0.0.5" in (scans[0].error_message or "")
