"""GET /scans/{id}/report: every format of a stored scan, its headers, escaping and errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import Engine

from elderscan.api.routes import REPORT_CSP
from elderscan.store import claim_scan, enqueue_scan, save_result, session_scope, upsert_site

from .conftest import StoreData, report

API = "/api/v1"
HOSTILE = "<script>alert('title')</script>"


@pytest.fixture
def stored(engine: Engine, tmp_path: Path) -> int:
    """A finished scan whose page has a screenshot in the data directory and a hostile title."""
    data = tmp_path / "data"
    shot = data / "scans" / "1" / "page.png"
    shot.parent.mkdir(parents=True)
    Image.new("RGB", (1280, 900), "white").save(shot)
    result = report("https://www.example.gov.cn/", 55.0, problems=("#notice",), title=HOSTILE)
    result.pages[0].screenshot = str(shot)
    result.pages[0].findings[0].box = (100.0, 200.0, 300.0, 40.0)
    with session_scope(engine) as session:
        scan_id = enqueue_scan(session, upsert_site(session, "某市", result.target)).id
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, result, data_root=data)
    return scan_id


def test_html_report_is_escaped_marked_and_styled(client: TestClient, reader: dict[str, str],
                                                  stored: int) -> None:
    response = client.get(f"{API}/scans/{stored}/report", headers=reader)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == REPORT_CSP
    assert response.headers["content-disposition"].startswith("inline")
    html = response.text
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html
    assert 'class="marked" src="data:image/png;base64,' in html


@pytest.mark.parametrize(("fmt", "kind"), [
    ("json", "application/json"), ("sarif", "application/sarif+json"),
    ("junit", "application/xml"), ("xlsx", "application/vnd.openxmlformats"),
    ("csv", "text/csv"), ("md", "text/markdown")])
def test_every_format(client: TestClient, reader: dict[str, str], stored: int, fmt: str,
                      kind: str) -> None:
    response = client.get(f"{API}/scans/{stored}/report", params={"format": fmt, "lang": "en"},
                          headers=reader)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(kind)
    assert "default-src 'none'" in response.headers["content-security-policy"]
    body = response.content
    if fmt in ("json", "sarif"):
        assert json.loads(body)
    elif fmt == "junit":
        assert etree.fromstring(body).tag == "testsuites"
    elif fmt == "xlsx":
        assert response.headers["content-disposition"].startswith("attachment")
        assert load_workbook(io.BytesIO(body)).sheetnames
    else:
        assert "#notice" in body.decode("utf-8-sig")


def test_report_errors(client: TestClient, reader: dict[str, str], store: StoreData,
                       stored: int) -> None:
    assert client.get(f"{API}/scans/{stored}/report").status_code == 401
    assert client.get(f"{API}/scans/999/report", headers=reader).status_code == 404
    queued = store.queued("https://www.example.org.cn/")
    response = client.get(f"{API}/scans/{queued}/report", headers=reader)
    assert response.status_code == 409 and response.json()["error"] == "not_finished"
    assert response.json()["message"] == f"scan {queued} has no result yet (status: queued)"
    zh = client.get(f"{API}/scans/{queued}/report", headers={**reader, "Accept-Language": "zh"})
    assert zh.json()["message"] == f"检测 {queued} 还没有结果（状态：排队中）"
    bad = client.get(f"{API}/scans/{stored}/report", params={"format": "pdf"}, headers=reader)
    assert bad.status_code == 422
