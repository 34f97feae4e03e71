"""End to end through the real runner: the API queues, `elderscan.runner.dispatch` runs the scan
in this process (no broker), Chromium captures a fixture site served on 127.0.0.1 (allow-listed),
and the finished result is read back over the API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURE_SITES, SiteFarm
from elderscan.contract import load_schema
from elderscan.devserver import SiteServer

API = "/api/v1"
pytestmark = pytest.mark.browser


@pytest.fixture
def live(make_client: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """An app whose scans really run: the default dispatcher, loopback allow-listed."""
    monkeypatch.setenv("ELDERSCAN_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("ELDERSCAN_SETTLE_MS", "200")
    monkeypatch.setenv("ELDERSCAN_LOAD_TIMEOUT", "10")
    monkeypatch.setenv("ELDERSCAN_PAGE_TIMEOUT", "40")
    from elderscan.runner import dispatch

    client: TestClient = make_client(submit=None)
    yield client
    dispatch.shutdown()


def _wait(client: TestClient, path: str, headers: dict[str, str], finished: Any,
          timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        seen.append(body.get("status") or body.get("progress", {}).get("status"))
        if finished(body):
            return body
        time.sleep(0.5)
    raise AssertionError(f"{path} did not finish in {timeout} s; states seen: {seen[-5:]}")


def test_a_real_scan_through_the_api(live: TestClient, admin: dict[str, str],
                                     sites: SiteFarm, tmp_path: Path) -> None:
    url = sites.url("gov-elder-link")
    response = live.post(f"{API}/scans", headers=admin,
                         json={"url": url, "name": "fixture", "category": "gov",
                               "options": {"max_pages": 2}})
    assert response.status_code == 202, response.text
    scan_id = response.json()["id"]
    body = _wait(live, f"{API}/scans/{scan_id}", admin,
                 lambda b: b["status"] in ("done", "failed"))
    assert body["status"] == "done", body["error"]
    result = body["result"]
    jsonschema.validate(result, load_schema())
    assert isinstance(result["score"]["total"], int | float)
    assert body["score"]["total"] == result["score"]["total"]
    assert 0 <= result["score"]["total"] <= 100
    assert result["target"] == url
    assert result["summary"]["pages"] >= 1
    assert body["attempts"] == 1 and body["options"] == {"max_pages": 2}
    shots = [p["screenshot"] for p in result["pages"] if p["screenshot"]]
    assert shots and all((tmp_path / "data" / s).is_file() for s in shots)
    # the stored scan shows up in the site list, its history and the metrics
    listed = live.get(f"{API}/sites", headers=admin, params={"q": "127.0.0.1"}).json()
    assert listed["items"][0]["latest"]["score_total"] == result["score"]["total"]
    site_id = body["site_id"]
    history = live.get(f"{API}/sites/{site_id}/history", headers=admin).json()["items"]
    assert [p["scan_id"] for p in history] == [scan_id]
    assert 'elderscan_scans{status="done"} 1.0' in live.get(f"{API}/metrics",
                                                            headers=admin).text


def _redirect_to(target: str) -> Any:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def test_a_redirect_to_a_refused_address_fails_the_scan(live: TestClient,
                                                       admin: dict[str, str]) -> None:
    """The start URL passes the request-time check (127.0.0.1 is allow-listed), then
    redirects to 127.0.0.2, which is not: the scan's own guard refuses the hop and the scan
    is recorded as failed with code `blocked`."""
    with SiteServer(FIXTURE_SITES / "gov-good") as server:
        port = server.url.rsplit(":", 1)[1].strip("/")
        server.routes["/moved"] = _redirect_to(f"http://127.0.0.2:{port}/")
        response = live.post(f"{API}/scans", headers=admin,
                             json={"url": server.url + "moved", "options": {"max_pages": 1}})
        assert response.status_code == 202, response.text
        body = _wait(live, f"{API}/scans/{response.json()['id']}", admin,
                     lambda b: b["status"] in ("done", "failed"))
    assert body["status"] == "failed"
    assert body["error"]["code"] == "blocked", body["error"]
    assert "127.0.0.2" in body["error"]["message"]
    assert "loopback" in body["error"]["message"]
    assert body["result"]["error"]["code"] == "blocked"


def test_a_redirect_only_chromium_sees_is_refused_inside_the_browser(
        live: TestClient, admin: dict[str, str], tmp_path: Path) -> None:
    """The start page answers the crawler's preflight 200 and Chromium 302 to 127.0.0.2: the
    browser's own connection is refused by the guard proxy, the internal service sees nothing,
    and the stored result lists the refusal instead of showing the internal page."""
    hits: list[str] = []

    def internal_page(handler: BaseHTTPRequestHandler) -> None:
        hits.append(handler.path)
        body = "<title>INTERNAL</title><p>内部系统</p>".encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with SiteServer(tmp_path, routes={"/": internal_page}, host="127.0.0.2") as internal, \
            SiteServer(FIXTURE_SITES / "gov-good") as public:
        home = (FIXTURE_SITES / "gov-good" / "index.html").read_bytes()

        def two_faced(handler: BaseHTTPRequestHandler) -> None:
            if "Sec-Fetch-Mode" in handler.headers:  # Chromium, not the preflight
                _redirect_to(internal.url)(handler)
                return
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(len(home)))
            handler.end_headers()
            handler.wfile.write(home)

        public.routes["/two-faced"] = two_faced
        response = live.post(f"{API}/scans", headers=admin,
                             json={"url": public.url + "two-faced", "options": {"max_pages": 1}})
        assert response.status_code == 202, response.text
        body = _wait(live, f"{API}/scans/{response.json()['id']}", admin,
                     lambda b: b["status"] in ("done", "failed"))
    assert hits == []
    result = body["result"]
    refused = result["guard"]["refused"]
    assert any(r["host"] == "127.0.0.2" and r["code"] == "loopback" for r in refused), refused
    assert all(page["title"] != "INTERNAL" for page in result["pages"])


def test_a_batch_through_the_api(live: TestClient, admin: dict[str, str],
                                 sites: SiteFarm) -> None:
    csv = (f"name,url,category,region\n好网站,{sites.url('gov-good')},gov,甲省\n"
           f"差网站,{sites.url('gov-poor')},gov,甲省\n").encode()
    response = live.post(f"{API}/batches", headers=admin, data={"name": "e2e", "max_pages": "1"},
                         files={"file": ("sites.csv", csv, "text/csv")})
    assert response.status_code == 202, response.text
    batch_id = response.json()["id"]
    body = _wait(live, f"{API}/batches/{batch_id}", admin,
                 lambda b: b["progress"]["finished"])
    assert body["progress"]["done"] == 2, body["progress"]
    ranking = body["ranking"]
    assert [r["rank"] for r in ranking] == [1, 2]
    assert ranking[0]["name"] == "好网站"
    assert ranking[0]["score_total"] > ranking[1]["score_total"]
