"""/api/v1/schedules: reads with a read token, changes only with an admin token; a schedule
stores its next run in UTC and shows it in its zone; "run now" starts a real round."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tests.api.conftest import API, Recorder, StoreData

DAILY = {"name": "省级政府", "kind": "daily", "at": "08:00"}


def _sites(store: StoreData) -> list[int]:
    batch_id = store.batch("省级政府", [
        ("甲市政府", "https://a.example.gov.cn/", "gov", "某省", 80.0),
        ("乙市政府", "https://b.example.gov.cn/", "gov", "某省", 50.0)])
    return [batch_id]


def test_read_token_reads_admin_token_writes(client: TestClient, admin: dict[str, str],
                                             reader: dict[str, str]) -> None:
    assert client.get(f"{API}/schedules").status_code == 401
    assert client.post(f"{API}/schedules", json=DAILY).status_code == 401
    refused = client.post(f"{API}/schedules", json=DAILY, headers=reader)
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    created = client.post(f"{API}/schedules", json=DAILY, headers=admin)
    assert created.status_code == 201, created.text
    schedule_id = created.json()["id"]
    path = f"{API}/schedules/{schedule_id}"
    assert created.headers["location"] == path
    for method, extra in (("patch", {"json": {"enabled": False}}), ("delete", {}),
                          ("post", {})):
        target = path + "/run" if method == "post" else path
        response = client.request(method, target, headers=reader, **extra)
        assert response.status_code == 403, (method, response.text)
    assert client.get(path, headers=reader).json()["enabled"] is True
    listed = client.get(f"{API}/schedules", headers=reader)
    assert [s["id"] for s in listed.json()["items"]] == [schedule_id]


def test_a_schedule_keeps_utc_and_shows_beijing_time(client: TestClient,
                                                     admin: dict[str, str]) -> None:
    body: dict[str, Any] = client.post(f"{API}/schedules", headers=admin, json={
        **DAILY, "kind": "weekly", "weekday": 2, "at": "06:30"}).json()
    assert body["time_zone"] == "Asia/Shanghai"
    assert body["created_by"] == "test admin"
    assert body["next_run_at"].endswith(("Z", "+00:00"))
    local = body["next_run_local"]
    assert local.endswith("+08:00") and "T06:30:00" in local
    assert body["options"]["guard_addresses"] is True
    assert body["last_run"] is None


def test_changes_and_bad_recurrences(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post(f"{API}/schedules", headers=admin, json=DAILY).json()
    path = f"{API}/schedules/{created['id']}"
    off = client.patch(path, headers=admin, json={"enabled": False}).json()
    assert off["enabled"] is False and off["next_run_at"] is None
    on = client.patch(path, headers=admin, json={"enabled": True, "kind": "monthly",
                                                 "day": 31}).json()
    assert on["next_run_local"] is not None and on["kind"] == "monthly"
    bad = client.patch(path, headers=admin, json={"kind": "weekly"})
    assert bad.status_code == 422
    assert bad.json()["message"] == "a weekly schedule needs a weekday"
    zh = client.post(f"{API}/schedules?lang=zh", headers=admin,
                     json={**DAILY, "kind": "cron", "cron": "0 8 * * * *"})
    assert zh.status_code == 422 and "五项" in zh.json()["message"]
    unknown = client.post(f"{API}/schedules", headers=admin,
                          json={**DAILY, "site_ids": [424242]})
    assert unknown.status_code == 422 and unknown.json()["message"] == "no site 424242"
    assert client.delete(path, headers=admin).status_code == 204
    assert client.get(path, headers=admin).status_code == 404
    assert client.delete(path, headers=admin).status_code == 404


def test_run_now_starts_the_next_round_of_the_batch(client: TestClient, admin: dict[str, str],
                                                    store: StoreData,
                                                    recorder: Recorder) -> None:
    _sites(store)
    created = client.post(f"{API}/schedules", headers=admin, json=DAILY).json()
    ran = client.post(f"{API}/schedules/{created['id']}/run", headers=admin)
    assert ran.status_code == 202, ran.text
    batch_id = ran.json()["batch_id"]
    batch = client.get(f"{API}/batches/{batch_id}", headers=admin).json()
    assert batch["progress"]["round"] == 2 and batch["progress"]["total"] == 2
    assert len(recorder.ids) == 2
    after = client.get(f"{API}/schedules/{created['id']}", headers=admin).json()
    assert after["last_run"]["outcome"] == "started"
    assert (after["last_run"]["batch_id"], after["last_run"]["round"]) == (batch_id, 2)
    assert after["next_run_at"] == created["next_run_at"]


def test_run_now_without_sites_says_why(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post(f"{API}/schedules", headers=admin,
                          json={**DAILY, "name": "新批次"}).json()
    ran = client.post(f"{API}/schedules/{created['id']}/run", headers=admin)
    assert ran.status_code == 409
    assert ran.json()["message"] == "this batch has no sites yet: run it once, or choose sites"
    last = client.get(f"{API}/schedules/{created['id']}?lang=zh",
                      headers=admin).json()["last_run"]
    assert last["outcome"] == "failed" and last["error"] == "schedules.error.no_sites"
    assert last["message"].startswith("这个批次还没有网站")


def test_a_recurrence_that_never_comes_is_refused(client: TestClient,
                                                  admin: dict[str, str]) -> None:
    never = client.post(f"{API}/schedules", headers=admin,
                        json={**DAILY, "kind": "cron", "cron": "0 8 30 2 *"})
    assert never.status_code == 422
    assert never.json()["message"] == "this recurrence never comes again"
