"""A schedule's "run now" starts one round however often it is clicked: refused (409, in
words) while the round it started last is queued or running, in the API and on the
dashboard; allowed again once that round has finished. Real app, real SQLite store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from elderscan.schedules.scheduler import tick
from elderscan.store import Batch, Scan, session_scope
from elderscan.store.models import Schedule

from .test_dashboard_schedules import FORM, ORIGIN, _csrf, _rows, _signed_in

API = "/api/v1"


def finish_all(engine: Engine) -> None:
    """The runner finished every scan (as far as a busy check can tell)."""
    with session_scope(engine) as session:
        session.execute(update(Scan).values(status="done"))


def rounds(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(Batch)).scalar_one())


def test_run_now_twice_starts_one_round(client: TestClient, engine: Engine,
                                        admin: dict[str, str], recorder: Any) -> None:
    client.post(f"{API}/batches", headers=admin,
                json={"name": "省级政府", "sites": [{"url": "https://a.gov.cn/"}]})
    finish_all(engine)
    schedule = client.post(f"{API}/schedules", headers=admin,
                           json={"name": "省级政府", "kind": "daily", "at": "08:00"}).json()
    path = f"{API}/schedules/{schedule['id']}/run"
    first = client.post(path, headers=admin)
    assert first.status_code == 202, first.text
    again = client.post(path + "?lang=zh", headers=admin)
    assert again.status_code == 409, again.text
    assert again.json()["message"] == "这个计划上一次开始的检测还在进行，请等它结束后再运行"
    assert rounds(engine) == 2
    shown = client.get(f"{API}/schedules/{schedule['id']}", headers=admin).json()
    assert shown["last_run"]["batch_id"] == first.json()["batch_id"]
    finish_all(engine)
    assert client.post(path, headers=admin).status_code == 202 and rounds(engine) == 3


def test_the_dashboard_button_clicked_twice_starts_one_round(
        make_client: Any, tokens: dict[str, str], engine: Engine, admin: dict[str, str],
        recorder: Any) -> None:
    client = _signed_in(make_client, tokens["admin"])
    client.post(f"{API}/batches", headers=admin,
                json={"name": FORM["name"], "sites": [{"url": "https://a.gov.cn/"}]})
    finish_all(engine)
    token = _csrf(client.get("/schedules").text)
    client.post("/schedules", headers=ORIGIN, data={**FORM, "csrf": token})
    (row,) = _rows(engine)
    ran = client.post(f"/schedules/{row.id}/run", headers=ORIGIN, data={"csrf": token})
    assert ran.status_code == 303
    twice = client.post(f"/schedules/{row.id}/run?lang=en", headers=ORIGIN,
                        data={"csrf": token})
    assert twice.status_code == 409 and "is still running" in twice.text
    assert rounds(engine) == 2 and len(recorder.ids) == 2


def test_a_schedule_with_no_period_left_is_switched_off_with_its_reason(
        make_client: Any, tokens: dict[str, str], engine: Engine, admin: dict[str, str],
        recorder: Any) -> None:
    client = _signed_in(make_client, tokens["admin"])
    client.post(f"{API}/batches", headers=admin,
                json={"name": FORM["name"], "sites": [{"url": "https://a.gov.cn/"}]})
    token = _csrf(client.get("/schedules").text)
    client.post("/schedules", headers=ORIGIN, data={**FORM, "csrf": token})
    (row,) = _rows(engine)
    due = row.next_run_at
    assert due is not None
    with session_scope(engine) as session:  # a row whose recurrence has no period left
        session.execute(update(Schedule).values(kind="cron", cron="0 0 30 2 *"))
    outcomes = tick(engine, submit=recorder, now=due + timedelta(seconds=5))
    assert [o.error for o in outcomes] == [None] and rounds(engine) == 2
    (after,) = _rows(engine)
    assert (after.enabled, after.next_run_at, after.last_outcome, after.last_error) == (
        False, None, "started", "schedules.error.never")
    assert tick(engine, submit=recorder, now=due + timedelta(days=400)) == []
    page = client.get("/schedules?lang=en").text
    assert "switched off: this recurrence never comes again" in page
    shown = client.get(f"{API}/schedules/{row.id}?lang=en", headers=admin).json()
    assert shown["enabled"] is False
    assert shown["last_run"]["message"] == "this recurrence never comes again"
