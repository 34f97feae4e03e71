"""Request size limits, /metrics, the OpenAPI document, and start-up on an old schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.store import DatabaseError

API = "/api/v1"


def test_body_over_the_cap_is_413(make_client: Any, admin: dict[str, str]) -> None:
    client = make_client(ApiSettings(MAX_BODY_BYTES=2048))
    huge = {"sites": [{"url": f"https://s{i}.gov.cn/"} for i in range(200)]}
    response = client.post(f"{API}/batches", headers=admin, json=huge)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert response.json()["message"] == "the request body is larger than 2048 bytes"
    chinese = client.post(f"{API}/batches?lang=zh", headers=admin, json=huge)
    assert chinese.json() == {"error": "too_large", "message": "请求内容超过 2048 字节",
                              "details": None}
    csv = b"".join(b"S,https://s%d.gov.cn/\n" % i for i in range(200))
    upload = client.post(f"{API}/batches", headers=admin,
                         files={"file": ("s.csv", csv, "text/csv")})
    assert upload.status_code == 413


def test_streamed_body_over_the_cap_is_413(make_client: Any, admin: dict[str, str]) -> None:
    """No Content-Length (chunked): the cap is enforced while the body is read."""
    client = make_client(ApiSettings(MAX_BODY_BYTES=2048))

    def chunks() -> Iterator[bytes]:
        yield b'{"sites": ['
        for i in range(300):
            yield b'{"url": "https://s%d.gov.cn/"},' % i
        yield b'{"url": "https://last.gov.cn/"}]}'

    response = client.post(f"{API}/batches", content=chunks(),
                           headers={**admin, "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "too_large"
    scan = client.post(f"{API}/scans?lang=zh", content=chunks(),
                       headers={**admin, "Content-Type": "application/json"})
    assert scan.status_code == 413
    assert scan.json()["message"] == "请求内容超过 2048 字节"


def test_bad_content_length_is_400(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(f"{API}/scans", content=b"{}",
                           headers={**admin, "Content-Type": "application/json",
                                    "Content-Length": "-5"})
    assert response.status_code == 400
    assert response.json()["message"] == "invalid Content-Length header"
    chinese = client.post(f"{API}/scans", content=b"{}",
                          headers={**admin, "Content-Type": "application/json",
                                   "Content-Length": "-5", "Accept-Language": "zh"})
    assert chinese.json()["message"] == "Content-Length 请求头无效"


def test_metrics(client: TestClient, reader: dict[str, str], store: Any,
                 admin: dict[str, str]) -> None:
    store.scan("https://a.gov.cn/", 70.0)
    store.queued("https://b.gov.cn/")
    client.get(f"{API}/sites", headers=reader)
    client.get(f"{API}/scans/12345", headers=reader)
    client.post(f"{API}/scans", headers=admin, json={"url": "https://c.gov.cn/"})
    response = client.get(f"{API}/metrics", headers=reader)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'elderscan_scans{status="done"} 1.0' in text
    assert 'elderscan_scans{status="queued"} 2.0' in text
    assert 'elderscan_scans{status="failed"} 0.0' in text
    assert "elderscan_sites 3.0" in text
    assert ('elderscan_http_requests_total{method="GET",route="/api/v1/sites",status="200"} 1.0'
            in text)
    # route templates, not raw paths: ids do not become labels
    assert 'route="/api/v1/scans/{scan_id}",status="404"' in text
    assert "12345" not in text
    assert 'elderscan_scans_submitted_total{source="scan"} 1.0' in text
    assert "elderscan_http_request_duration_seconds_bucket" in text


def test_openapi_document(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) == {f"{API}/{p}" for p in (
        "scans", "scans/{scan_id}", "scans/{scan_id}/report", "batches", "batches/{batch_id}",
        "sites", "sites/{site_id}", "sites/{site_id}/history", "compare", "compare/rounds",
        "healthz", "metrics", "schedules", "schedules/{schedule_id}",
        "schedules/{schedule_id}/run", "scans/{scan_id}/review",
        "scans/{scan_id}/findings/{finding_id}/decision", "sites/{site_id}/decisions",
        "batches/{batch_id}/ranking", "batches/{batch_id}/progress",
        "batches/{batch_id}/cancel", "batches/{batch_id}/again")}
    for read in ("scans", "batches", "batches/{batch_id}/ranking", "scans/{scan_id}/report",
                 "compare/rounds"):
        assert paths[f"{API}/{read}"]["get"]["security"] == [{"token": []}]
    create = paths[f"{API}/scans"]["post"]
    assert create["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ScanAccepted")
    assert create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ErrorBody")
    assert create["security"] == [{"token": []}]
    body = paths[f"{API}/batches"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    components = schema["components"]["schemas"]
    for name in ("BatchCreate", "BatchUpload", "SiteIn", "ScanOptions", "ScanOut", "ErrorBody"):
        assert name in components
    assert components["ScanCreate"]["examples"]
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "security" not in paths[f"{API}/healthz"]["get"]


def test_an_old_schema_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
    with pytest.raises(DatabaseError, match="elderscan db upgrade"):
        create_app()


def test_the_settings_table_in_the_docs() -> None:
    from elderscan.api.settings import settings_table

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text("utf-8")
    assert settings_table() in doc, "paste elderscan.api.settings.settings_table() in docs/api.md"


def test_restart_hands_unfinished_scans_to_the_in_process_runner(
        db_url: str, engine: Any, recorder: Any) -> None:
    """Scans queued (or left running) when the service stopped are not lost on restart."""
    from elderscan.store import enqueue_scan, session_scope, upsert_site

    with session_scope(engine) as session:
        site = upsert_site(session, "某市政府", "https://www.example.gov.cn/", "gov", "某省")
        other = upsert_site(session, "某银行", "https://www.example-bank.com.cn/", "bank", None)
        first = enqueue_scan(session, site).id
        second = enqueue_scan(session, other).id
    assert recorder.calls == []
    with TestClient(create_app(submit=recorder)):  # entering runs the start-up
        pass
    assert recorder.calls == [[first, second]]


def test_restart_with_nothing_unfinished_submits_nothing(db_url: str, recorder: Any) -> None:
    with TestClient(create_app(submit=recorder)):
        pass
    assert recorder.calls == []
