"""POST /scans and GET /scans/{id}: queueing, options, idempotency, results, bad input."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from elderscan.api.settings import ApiSettings
from elderscan.store import claim_scan, get_scan, get_site, session_scope, set_progress

API = "/api/v1"


def test_post_scan_queues_and_dispatches(client: TestClient, admin: dict[str, str],
                                         engine: Engine, recorder: Any) -> None:
    response = client.post(f"{API}/scans", headers=admin, json={
        "url": "https://www.example.gov.cn", "name": "某市人民政府", "category": "gov",
        "region": "某省", "tags": ["省级"], "options": {"max_pages": 3, "viewport": "mobile"}})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "queued"
    assert response.headers["location"] == f"{API}/scans/{body['id']}"
    assert recorder.calls == [[body["id"]]]
    with session_scope(engine) as session:
        scan = get_scan(session, body["id"])
        assert scan is not None
        assert scan.target == "https://www.example.gov.cn/"
        # the guard always travels with an API scan, with the allow-list in force
        assert scan.options == {"max_pages": 3, "viewport": "mobile",
                                "guard_addresses": True, "allow_hosts": []}
        site = get_site(session, body["site_id"])
        assert site is not None
        assert (site.name, site.category, site.region, site.tags) == (
            "某市人民政府", "gov", "某省", ["省级"])
    read = client.get(f"{API}/scans/{body['id']}", headers=admin).json()
    assert read["status"] == "queued"
    assert read["options"] == {"max_pages": 3, "viewport": "mobile"}
    assert read["result"] is None and read["score"] is None and read["error"] is None


def test_progress_of_a_running_scan(client: TestClient, reader: dict[str, str],
                                    engine: Engine, store: Any) -> None:
    scan_id = store.queued("https://www.example.gov.cn/")
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        set_progress(session, scan_id, {"pages_done": 2, "pages_total": 10})
    body = client.get(f"{API}/scans/{scan_id}", headers=reader).json()
    assert body["status"] == "running"
    assert body["progress"] == {"pages_done": 2, "pages_total": 10}
    assert body["started_at"] is not None


def test_a_finished_scan_returns_its_result(client: TestClient, reader: dict[str, str],
                                            store: Any) -> None:
    scan_id = store.scan("https://www.example.gov.cn/", 71.5, problems=("p.note",))
    response = client.get(f"{API}/scans/{scan_id}", headers=reader)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done"
    assert body["result_status"] == "ok"
    assert body["score"]["total"] == 71.5
    assert body["score"]["dimensions"]["font"] == 71.5
    assert body["result"]["schema_version"] == "1"
    assert body["result"]["score"]["total"] == 71.5
    assert body["result"]["pages"][0]["findings"][0]["rule"] == "contrast.text"


def test_scanned_text_is_never_served_as_html(client: TestClient, reader: dict[str, str],
                                              store: Any) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    scan_id = store.scan("https://www.example.gov.cn/", 50, title=evil)
    response = client.get(f"{API}/scans/{scan_id}", headers=reader)
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.json()["result"]["pages"][0]["title"] == evil  # data, intact
    # no API route renders HTML
    for route in client.app.routes:  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        if path.startswith(API):
            cls = getattr(route, "response_class", None)
            assert cls is None or "html" not in str(getattr(cls, "media_type", "")).lower()


def test_idempotency_key(client: TestClient, admin: dict[str, str], recorder: Any) -> None:
    headers = {**admin, "Idempotency-Key": "req-42"}
    first = client.post(f"{API}/scans", headers=headers, json={"url": "https://a.gov.cn/"})
    again = client.post(f"{API}/scans", headers=headers, json={"url": "http://www.a.gov.cn"})
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert recorder.ids == [first.json()["id"]]  # dispatched once
    other = client.post(f"{API}/scans", headers=headers, json={"url": "https://b.gov.cn/"})
    assert other.status_code == 409
    assert other.json()["error"] == "conflict"


def test_dispatch_failure_is_503_and_the_scan_is_failed(
        client: TestClient, admin: dict[str, str], recorder: Any, engine: Engine) -> None:
    recorder.fail = ConnectionError("broker down")
    response = client.post(f"{API}/scans", headers=admin, json={"url": "https://a.gov.cn/"})
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
    # the runner's own words (a broker's English, its address) are the operator's: in the
    # log and the scan's stored error, not in the message to the person who asked
    assert response.json()["message"] == ("the scan runner is not available; the scans were "
                                          "marked failed, try again later")
    body = client.get(f"{API}/scans/1", headers=admin).json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "dispatch"
    assert "broker down" in body["error"]["message"]


def test_unknown_and_bad_ids(client: TestClient, reader: dict[str, str]) -> None:
    missing = client.get(f"{API}/scans/999", headers=reader)
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "message": "no scan 999", "details": None}
    for bad in ("0", "-1", "abc", str(2**64), "1.5"):
        response = client.get(f"{API}/scans/{bad}", headers=reader)
        assert response.status_code == 422, bad
        assert response.json()["error"] == "invalid_request"
        assert response.json()["details"][0]["loc"] == ["path", "scan_id"]


def _refused(response: Any, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()
    assert body["error"] in ("invalid_request", "address_refused")
    assert any(field in ".".join(map(str, d["loc"])) for d in body["details"]), body
    return body


def test_bad_scan_requests_are_422_with_details(client: TestClient,
                                                admin: dict[str, str]) -> None:
    post = lambda body: client.post(f"{API}/scans", headers=admin, json=body)  # noqa: E731
    _refused(post({}), "url")
    _refused(post({"url": ""}), "url")
    _refused(post({"url": "https://a.gov.cn/" + "x" * 2100}), "url")
    _refused(post({"url": "https://exa mple.gov.cn/"}), "url")
    _refused(post({"url": "https://a.gov.cn/", "options": {"max_pages": 0}}), "max_pages")
    _refused(post({"url": "https://a.gov.cn/", "options": {"viewport": "tablet"}}), "viewport")
    _refused(post({"url": "https://a.gov.cn/", "options": {"screenshots_dir": "/etc"}}),
             "screenshots_dir")
    _refused(post({"url": "https://a.gov.cn/", "options": {"guard_addresses": False}}),
             "guard_addresses")
    _refused(post({"url": "https://a.gov.cn/", "surprise": 1}), "surprise")
    _refused(post({"url": "https://a.gov.cn/", "category": "school"}), "category")
    _refused(post({"url": "https://a.gov.cn/", "name": "a\x00b"}), "name")
    # a lone surrogate is valid JSON but not storable text
    response = client.post(f"{API}/scans", headers={**admin, "Content-Type": "application/json"},
                           content=b'{"url": "https://a.gov.cn/", "name": "\\ud800"}')
    _refused(response, "name")
    not_json = client.post(f"{API}/scans", headers={**admin, "Content-Type": "application/json"},
                           content=b"{not json")
    assert not_json.status_code == 422
    assert not_json.json()["error"] == "invalid_request"


def test_max_pages_is_capped_by_the_service(make_client: Any, admin: dict[str, str]) -> None:
    client = make_client(ApiSettings(MAX_PAGES=5))
    response = client.post(f"{API}/scans", headers=admin,
                           json={"url": "https://a.gov.cn/", "options": {"max_pages": 6}})
    body = _refused(response, "max_pages")
    assert "at most 5" in body["message"]
    ok = client.post(f"{API}/scans", headers=admin,
                     json={"url": "https://a.gov.cn/", "options": {"max_pages": 5}})
    assert ok.status_code == 202


def test_unknown_routes_and_methods_are_json(client: TestClient, admin: dict[str, str]) -> None:
    missing = client.get(f"{API}/nothing", headers=admin)
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"
    wrong = client.delete(f"{API}/scans/1", headers=admin)
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "method_not_allowed"
