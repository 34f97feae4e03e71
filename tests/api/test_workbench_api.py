"""The workbench API: add and edit sites (admin, guarded URLs), a round's live progress,
cancelling it, and running it again. Scans go to a recorder, so they stay queued."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from elderscan.store import Scan, session_scope

API = "/api/v1"


def test_add_and_edit_a_site(client: TestClient, admin: dict[str, str],
                             reader: dict[str, str]) -> None:
    body = {"url": "www.a.gov.cn", "name": "某市政府", "category": "gov", "region": "甲省",
            "tags": ["老年"]}
    assert client.post(f"{API}/sites", headers=reader, json=body).status_code == 403
    assert client.post(f"{API}/sites", json=body).status_code == 401
    created = client.post(f"{API}/sites", headers=admin, json=body)
    assert created.status_code == 201, created.text
    site = created.json()
    assert (site["url"], site["name"], site["category"], site["tags"]) == (
        "https://www.a.gov.cn/", "某市政府", "gov", ["老年"])
    assert created.headers["location"] == f"{API}/sites/{site['id']}"
    again = client.post(f"{API}/sites", headers=admin, json={"url": "http://a.gov.cn"})
    assert again.status_code == 409 and again.json()["details"][0]["msg"] == f"site {site['id']}"
    other = client.post(f"{API}/sites", headers=admin, json={"url": "https://b.gov.cn/"}).json()

    patch = client.patch(f"{API}/sites/{site['id']}", headers=admin,
                         json={"name": "某市人民政府", "region": "", "category": "other"})
    assert patch.status_code == 200, patch.text
    assert (patch.json()["name"], patch.json()["region"], patch.json()["category"]) == (
        "某市人民政府", None, "other")
    assert patch.json()["url"] == "https://www.a.gov.cn/"  # unchanged
    taken = client.patch(f"{API}/sites/{site['id']}", headers=admin,
                         json={"url": "www.b.gov.cn"})
    assert taken.status_code == 409
    moved = client.patch(f"{API}/sites/{other['id']}", headers=admin,
                         json={"url": "https://c.gov.cn/x"})
    assert moved.status_code == 200 and moved.json()["url"] == "https://c.gov.cn/x"
    assert client.patch(f"{API}/sites/{other['id']}", headers=reader,
                        json={"name": "x"}).status_code == 403
    assert client.patch(f"{API}/sites/999", headers=admin, json={"name": "x"}).status_code == 404


def test_site_urls_are_checked_like_everywhere_else(client: TestClient,
                                                    admin: dict[str, str]) -> None:
    for url, code in [("gov", "invalid_request"), ("http://127.0.0.1/", "address_refused"),
                      ("http://10.1.2.3/", "address_refused"),
                      ("file:///etc/passwd", "address_refused")]:
        response = client.post(f"{API}/sites?lang=zh", headers=admin, json={"url": url})
        assert response.status_code == 422, (url, response.text)
        assert response.json()["error"] == code, (url, response.text)
        assert response.json()["details"][0]["loc"] == ["body", "url"]
    assert "不是网址" in client.post(f"{API}/sites?lang=zh", headers=admin,
                                    json={"url": "gov"}).json()["details"][0]["msg"]
    site = client.post(f"{API}/sites", headers=admin, json={"url": "https://d.gov.cn/"}).json()
    refused = client.patch(f"{API}/sites/{site['id']}", headers=admin,
                           json={"url": "http://169.254.169.254/"})
    assert refused.status_code == 422 and refused.json()["error"] == "address_refused"


def test_progress_cancel_and_again(client: TestClient, admin: dict[str, str],
                                   reader: dict[str, str], recorder: Any,
                                   engine: Engine) -> None:
    sites = [{"name": f"S{i}", "url": f"https://s{i}.gov.cn/"} for i in range(3)]
    batch = client.post(f"{API}/batches", headers=admin,
                        json={"name": "watch", "sites": sites}).json()
    with session_scope(engine) as session:  # one scan is already running, as a runner would
        first = session.execute(select(Scan).where(Scan.batch_id == batch["id"])
                                .order_by(Scan.id)).scalars().first()
        assert first is not None
        first.status, first.progress = "running", {"pages_done": 2, "pages_total": 5}
    progress = client.get(f"{API}/batches/{batch['id']}/progress", headers=reader)
    assert progress.status_code == 200, progress.text
    live = progress.json()
    assert (live["status"], live["total"], live["queued"], live["running"], live["finished"]) \
        == ("queued", 3, 2, 1, False)
    assert [s["name"] for s in live["sites"]] == ["S0", "S1", "S2"]
    assert (live["sites"][0]["pages_done"], live["sites"][0]["pages_total"]) == (2, 5)

    assert client.post(f"{API}/batches/{batch['id']}/cancel", headers=reader).status_code == 403
    cancelled = client.post(f"{API}/batches/{batch['id']}/cancel", headers=admin)
    assert cancelled.status_code == 200, cancelled.text
    after = cancelled.json()
    assert (after["status"], after["cancelled"], after["running"], after["queued"]) == (
        "cancelled", 2, 1, 0)
    assert [s["status"] for s in after["sites"]] == ["running", "cancelled", "cancelled"]
    assert after["sites"][1]["error_code"] == "cancelled" and after["cancelled_at"]
    assert client.get(f"{API}/batches/{batch['id']}", headers=reader).json()[
        "progress"]["failed"] == 2

    recorder.calls.clear()
    rerun = client.post(f"{API}/batches/{batch['id']}/again", headers=admin)
    assert rerun.status_code == 202, rerun.text
    assert (rerun.json()["name"], rerun.json()["round"], rerun.json()["total"]) == ("watch", 2, 3)
    assert len(recorder.ids) == 3
    assert client.get(f"{API}/batches/9999/progress", headers=reader).status_code == 404
    assert client.post(f"{API}/batches/9999/cancel", headers=admin).status_code == 404
