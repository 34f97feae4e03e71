"""GET /batches, GET /scans, GET /batches/{id}/ranking (JSON, CSV, XLSX) and every site of a
round in GET /batches/{id}; the report endpoint with a dashboard sign-in."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, update

from elderscan.store import claim_scan, enqueue_scan, fail_scan, session_scope, upsert_site
from elderscan.store.models import Batch

API = "/api/v1"
ROUND = [("甲市政府", "https://a.gov.cn/", "gov", "北京", 80.0),
         ("乙市政府", "https://b.gov.cn/", "gov", "上海", 55.0),
         ("丙银行", "https://c-bank.cn/", "bank", "北京", 60.0)]
GONE = ("停用的县政府", "https://gone.example.gov.cn/", "gov", "北京")


def _with_failed_site(engine: Engine, store: Any, name: str, totals: list[float]) -> int:
    """A round of ROUND (with `totals`) plus GONE, whose scan failed with a DNS error."""
    batch_id: int = store.batch(name, [(*site[:4], total)
                                       for site, total in zip(ROUND, totals, strict=True)])
    with session_scope(engine) as session:
        gone = upsert_site(session, *GONE)
        batch = session.get(Batch, batch_id)
        assert batch is not None
        scan_id = enqueue_scan(session, gone, batch).id
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        fail_scan(session, scan_id, "dns",
                  "https://gone.example.gov.cn/: [Errno -2] Name or service not known")
    return batch_id


def _two_rounds(engine: Engine, store: Any) -> tuple[int, int]:
    first = _with_failed_site(engine, store, "2026 Q4", [70.0, 58.0, 60.0])
    second = _with_failed_site(engine, store, "2026 Q4", [80.0, 55.0, 60.0])
    return first, second


def test_batch_lists_every_site_with_its_reason(client: TestClient, reader: dict[str, str],
                                                engine: Engine, store: Any) -> None:
    _, batch_id = _two_rounds(engine, store)
    body = client.get(f"{API}/batches/{batch_id}", headers=reader,
                      params={"lang": "zh"}).json()
    assert body["progress"]["failed"] == 1
    ranking = body["ranking"]
    assert [(r["name"], r["rank"], r["status"]) for r in ranking] == [
        ("甲市政府", 1, "done"), ("丙银行", 2, "done"), ("乙市政府", 3, "done"),
        ("停用的县政府", None, "failed")]
    gone = ranking[-1]
    assert gone["scan_id"] and gone["error_code"] == "dns"
    assert gone["reason"] == "域名无法解析（网站地址可能有误或已停用）"
    assert "Errno" in gone["error_message"]  # kept as the detail only
    english = client.get(f"{API}/batches/{batch_id}", headers=reader,
                         params={"lang": "en"}).json()["ranking"]
    assert english[-1]["reason"].startswith("The host name does not resolve")
    assert [r["change"] for r in ranking] == [10.0, 0.0, -3.0, None]


def test_ranking_json_with_filters_and_summary(client: TestClient, reader: dict[str, str],
                                               engine: Engine, store: Any) -> None:
    first, second = _two_rounds(engine, store)
    body = client.get(f"{API}/batches/{second}/ranking", headers=reader).json()
    assert (body["name"], body["round"], body["previous_round"], body["total"]) == (
        "2026 Q4", 2, 1, 4)
    assert [r["name"] for r in body["items"]][-1] == "停用的县政府"
    assert body["items"][-1]["reason"].startswith("The host name")  # no lang: English
    regions = {g["value"]: g for g in body["by_region"]}
    assert (regions["北京"]["sites"], regions["北京"]["passed"], regions["北京"]["failed"],
            regions["北京"]["pass_rate"], regions["北京"]["average"]) == (3, 2, 1, 100.0, 70.0)
    categories = {g["value"]: g for g in body["by_category"]}
    assert categories["gov"]["pass_rate"] == 50.0
    failing = client.get(f"{API}/batches/{second}/ranking", headers=reader,
                         params={"failing": "true"}).json()["items"]
    assert [(r["name"], r["rank"]) for r in failing] == [("乙市政府", 3), ("停用的县政府", None)]
    beijing = client.get(f"{API}/batches/{second}/ranking", headers=reader,
                         params={"region": "北京", "category": "gov"}).json()["items"]
    assert [r["name"] for r in beijing] == ["甲市政府", "停用的县政府"]
    assert client.get(f"{API}/batches/{first}/ranking", headers=reader).json()[
        "previous_round"] is None
    assert client.get(f"{API}/batches/999/ranking", headers=reader).status_code == 404
    assert client.get(f"{API}/batches/{second}/ranking").status_code == 401
    assert client.get(f"{API}/batches/{second}/ranking", headers=reader,
                      params={"format": "pdf"}).status_code == 422


def test_ranking_files_hold_the_failed_site(client: TestClient, reader: dict[str, str],
                                            engine: Engine, store: Any) -> None:
    _, batch_id = _two_rounds(engine, store)
    response = client.get(f"{API}/batches/{batch_id}/ranking", headers=reader,
                          params={"format": "csv", "lang": "zh"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Chinese
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[-6:] == ["检测状态", "未排名原因", "上一轮总分", "较上一轮变化",
                           "一票否决（发现的问题）", "错误详情"]
    gone = rows[-1]
    assert gone[1] == "停用的县政府" and gone[0] == ""
    at = {name: gone[i] for i, name in enumerate(header)}
    assert at["检测状态"] == "失败" and at["未排名原因"].startswith("域名无法解析")
    assert "Errno" in at["错误详情"]
    first = {name: rows[1][i] for i, name in enumerate(header)}
    assert (first["网站名称"], first["上一轮总分"], first["较上一轮变化"]) == ("甲市政府", "70.0",
                                                                    "10.0")

    book = client.get(f"{API}/batches/{batch_id}/ranking", headers=reader,
                      params={"format": "xlsx", "lang": "en"})
    assert book.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = load_workbook(io.BytesIO(book.content))
    sheet = workbook.worksheets[0]
    table = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    names = [r[1] for r in table[1:]]
    assert names == ["甲市政府", "丙银行", "乙市政府", "停用的县政府"]
    header = table[0]
    failed = dict(zip(header, table[-1], strict=True))
    assert failed["Scan status"] == "failed" and failed["Rank"] is None
    assert failed["Why not ranked"].startswith("The host name does not resolve")
    summary = workbook.worksheets[1]
    groups = [[c.value for c in row] for row in summary.iter_rows()]
    assert groups[0][:3] == ["Grouped by", "Group", "Sites"]
    assert ["region", "北京", 3, 2, 2, 1, 100.0, 70.0] in groups


def test_batches_list_newest_first(client: TestClient, reader: dict[str, str],
                                   engine: Engine, store: Any) -> None:
    first, second = _two_rounds(engine, store)
    other = store.batch("Z 银行专项", [("丁银行", "https://d-bank.cn/", "bank", "上海", 90.0)])
    with session_scope(engine) as session:  # the oldest round, though its name sorts last
        session.execute(update(Batch).where(Batch.id == other).values(
            created_at=datetime(2020, 1, 1, tzinfo=UTC)))
    body = client.get(f"{API}/batches", headers=reader).json()
    assert body["total"] == 3 and [b["id"] for b in body["items"]] == [second, first, other]
    page = client.get(f"{API}/batches", headers=reader, params={"limit": 1, "offset": 1}).json()
    assert ([b["id"] for b in page["items"]], page["total"], page["limit"]) == ([first], 3, 1)
    named = client.get(f"{API}/batches", headers=reader, params={"name": "2026 Q4"}).json()
    assert [(b["round"], b["total"], b["failed"]) for b in named["items"]] == [
        (2, 4, 1), (1, 4, 1)]
    assert client.get(f"{API}/batches", headers=reader,
                      params={"status": "running"}).json()["total"] == 0
    assert client.get(f"{API}/batches", headers=reader,
                      params={"limit": 0}).status_code == 422
    assert client.get(f"{API}/batches").status_code == 401


def test_scans_list_filters(client: TestClient, reader: dict[str, str], engine: Engine,
                            store: Any) -> None:
    first, second = _two_rounds(engine, store)
    one_off = store.scan("https://e.gov.cn/", 77.0)
    body = client.get(f"{API}/scans", headers=reader).json()
    assert body["total"] == 9 and body["items"][0]["id"] == one_off
    failed = client.get(f"{API}/scans", headers=reader,
                        params={"status": "failed", "lang": "zh"}).json()
    assert failed["total"] == 2
    assert {i["reason"] for i in failed["items"]} == {"域名无法解析（网站地址可能有误或已停用）"}
    assert {i["batch_id"] for i in failed["items"]} == {first, second}
    in_round = client.get(f"{API}/scans", headers=reader, params={"batch": second}).json()
    assert in_round["total"] == 4 and {i["round"] for i in in_round["items"]} == {2}
    site = in_round["items"][0]["site_id"]
    assert client.get(f"{API}/scans", headers=reader,
                      params={"site": site}).json()["total"] == 2
    paged = client.get(f"{API}/scans", headers=reader, params={"limit": 2, "offset": 8}).json()
    assert (len(paged["items"]), paged["total"]) == (1, 9)
    assert client.get(f"{API}/scans", headers=reader,
                      params={"since": "2099-01-01T00:00:00"}).json()["total"] == 0
    assert client.get(f"{API}/scans", headers=reader,
                      params={"until": "2099-01-01T00:00:00+08:00"}).json()["total"] == 9
    assert client.get(f"{API}/scans", headers=reader,
                      params={"since": "yesterday"}).status_code == 422
    assert client.get(f"{API}/scans").status_code == 401


def test_report_accepts_a_dashboard_sign_in(client: TestClient, tokens: dict[str, str],
                                            store: Any) -> None:
    scan_id = store.scan("https://a.gov.cn/", 80.0)
    report = f"{API}/scans/{scan_id}/report"
    assert client.get(report).status_code == 401
    signed = client.post("/login", data={"token": tokens["read"], "next": "/"},
                         headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert signed.status_code == 303
    response = client.get(report, params={"format": "csv"})
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert client.get(f"{API}/batches").status_code == 200  # the same rule for the lists
    client.post("/logout", headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert client.get(report).status_code == 401
    # a bad bearer token is refused even with a valid session beside it
    client.post("/login", data={"token": tokens["read"], "next": "/"},
                headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert client.get(report, headers={"Authorization": "Bearer esk_wrong"}).status_code == 401


def test_openapi_documents_the_reads(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "get" in paths[f"{API}/batches"] and "post" in paths[f"{API}/batches"]
    assert "get" in paths[f"{API}/scans"] and "post" in paths[f"{API}/scans"]
    ranking = paths[f"{API}/batches/{{batch_id}}/ranking"]["get"]
    schema = ranking["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/RankingOut")
