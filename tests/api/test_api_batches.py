"""POST /batches (JSON or CSV upload) and GET /batches/{id} (progress and ranking)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from elderscan.api.settings import ApiSettings
from elderscan.store import Scan, Site, session_scope

API = "/api/v1"
SITES = [
    {"name": "某省人民政府", "url": "https://www.a.gov.cn/", "category": "gov", "region": "甲省"},
    {"name": "某银行", "url": "https://www.b-bank.com.cn/", "category": "bank", "region": "乙省"},
]


def _sites(engine: Engine) -> dict[str, Site]:
    with session_scope(engine) as session:
        return {s.url: s for s in session.execute(select(Site)).scalars()}


def test_json_batch_rounds(client: TestClient, admin: dict[str, str], recorder: Any,
                           engine: Engine) -> None:
    body = {"name": "2026 Q4", "sites": SITES, "options": {"max_pages": 2}}
    first = client.post(f"{API}/batches", headers=admin, json=body)
    assert first.status_code == 202, first.text
    one = first.json()
    assert (one["name"], one["round"], one["total"]) == ("2026 Q4", 1, 2)
    assert first.headers["location"] == f"{API}/batches/{one['id']}"
    second = client.post(f"{API}/batches", headers=admin, json=body).json()
    assert second["round"] == 2 and second["id"] != one["id"]
    assert len(recorder.ids) == 4 and len(set(recorder.ids)) == 4
    with session_scope(engine) as session:
        options = {tuple(sorted(s.options)) for s in session.execute(select(Scan)).scalars()}
    assert options == {("allow_hosts", "guard_addresses", "max_pages")}
    stored = _sites(engine)
    assert stored["https://www.b-bank.com.cn/"].category == "bank"
    assert stored["https://www.a.gov.cn/"].region == "甲省"


def test_a_bare_list_is_a_batch_named_api(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(f"{API}/batches", headers=admin, json=SITES)
    assert response.status_code == 202
    assert response.json()["name"] == "api"
    assert response.json()["total"] == 2


def test_duplicate_sites_are_one_scan(client: TestClient, admin: dict[str, str]) -> None:
    sites = [{"url": "https://www.a.gov.cn/"}, {"url": "http://a.gov.cn"}]
    assert client.post(f"{API}/batches", headers=admin, json=sites).json()["total"] == 1


def _upload(client: TestClient, headers: dict[str, str], data: bytes,
            **fields: str) -> Any:
    return client.post(f"{API}/batches", headers=headers, data=fields,
                       files={"file": ("sites.csv", data, "text/csv")})


def test_csv_upload(client: TestClient, admin: dict[str, str], engine: Engine) -> None:
    csv = ("name,url,category,region\n"
           "某省人民政府,https://www.a.gov.cn/,gov,甲省\n"
           "\n"
           "# a comment line\n"
           '"某银行, 总行",www.b-bank.com.cn,bank,乙省\n').encode("utf-8-sig")
    response = _upload(client, admin, csv, name="csv round", max_pages="3")
    assert response.status_code == 202, response.text
    assert response.json()["total"] == 2
    assert response.json()["name"] == "csv round"
    stored = _sites(engine)
    assert stored["https://www.b-bank.com.cn/"].name == "某银行, 总行"
    with session_scope(engine) as session:
        assert {s.options["max_pages"] for s in session.execute(select(Scan)).scalars()} == {3}


def test_gbk_csv_with_chinese_headers(client: TestClient, admin: dict[str, str],
                                      engine: Engine) -> None:
    csv = "地区,名称,网址,类别\n甲省,某市政府,https://www.c.gov.cn/,政府\n乙省,某银行,https://d.com.cn/,银行\n"
    response = _upload(client, admin, csv.encode("gbk"))
    assert response.status_code == 202, response.text
    stored = _sites(engine)
    assert stored["https://www.c.gov.cn/"].category == "gov"
    assert stored["https://d.com.cn/"].category == "bank"
    assert stored["https://d.com.cn/"].region == "乙省"


def test_csv_without_header_is_positional(client: TestClient, admin: dict[str, str],
                                          engine: Engine) -> None:
    response = _upload(client, admin, b"Site A,https://e.gov.cn/,gov,Region\n")
    assert response.status_code == 202, response.text
    assert _sites(engine)["https://e.gov.cn/"].name == "Site A"


@pytest.mark.parametrize(("data", "where"), [
    (b"name,url\nA,https://a.gov.cn/\nB,\n", "line 3"),
    (b"name,url,category\nA,https://a.gov.cn/,school\n", "line 2"),
    (b"name,url\nA,not a url\n", "line 2.url"),
    (b"", "file"),
    (b"\xff\xfe\x00\x00\xff", "file"),
])
def test_bad_csv_is_422_naming_the_line(client: TestClient, admin: dict[str, str],
                                        data: bytes, where: str) -> None:
    response = _upload(client, admin, data)
    assert response.status_code == 422, response.text
    body = response.json()
    locs = [".".join(map(str, d["loc"])) for d in body["details"]]
    assert any(where in loc for loc in locs), body


def test_upload_without_a_file(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(f"{API}/batches", headers=admin, data={"name": "x"},
                           files={"other": ("a.txt", b"x", "text/plain")})
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "file"]


def test_unsupported_media_type(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(f"{API}/batches", headers={**admin, "Content-Type": "text/plain"},
                           content=b"https://a.gov.cn/")
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def test_bad_json_batches(client: TestClient, admin: dict[str, str]) -> None:
    post = lambda body: client.post(f"{API}/batches", headers=admin, json=body)  # noqa: E731
    for body, field in [({"sites": []}, "sites"), ({"name": "", "sites": SITES}, "name"),
                        ({"sites": [{"url": "https://a.gov.cn/", "x": 1}]}, "sites.0.x"),
                        ({"sites": SITES, "options": {"max_pages": -1}}, "max_pages"),
                        (42, "body"), ([], "sites")]:
        response = post(body)
        assert response.status_code == 422, (body, response.text)
        locs = [".".join(map(str, d["loc"])) for d in response.json()["details"]]
        assert any(field in loc for loc in locs), (body, locs)
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post(f"{API}/batches", headers={**admin, "Content-Type": "application/json"},
                           content=deep)
    assert response.status_code in (413, 422)


def test_too_many_sites_is_413(make_client: Any, admin: dict[str, str]) -> None:
    client = make_client(ApiSettings(MAX_BATCH_SITES=2))
    three = [{"url": f"https://s{i}.gov.cn/"} for i in range(3)]
    response = client.post(f"{API}/batches", headers=admin, json=three)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert "at most 2" in response.json()["message"]
    csv = "\n".join(f"S{i},https://s{i}.gov.cn/" for i in range(3)).encode()
    assert _upload(client, admin, csv).status_code == 413
    assert client.post(f"{API}/batches", headers=admin, json=three[:2]).status_code == 202


def test_batch_progress_and_ranking(client: TestClient, reader: dict[str, str],
                                    store: Any) -> None:
    batch_id = store.batch("2026 Q4", [
        ("甲", "https://a.gov.cn/", "gov", "北京", 80.0),
        ("乙", "https://b.gov.cn/", "gov", "上海", 60.0),
        ("丙", "https://c-bank.cn/", "bank", "北京", 60.0),
    ])
    body = client.get(f"{API}/batches/{batch_id}", headers=reader).json()
    progress = body["progress"]
    assert (progress["total"], progress["done"], progress["finished"], progress["percent"]) == (
        3, 3, True, 100.0)
    assert progress["status"] == "done"
    # ties share a rank and are ordered by name (丙 U+4E19 before 乙 U+4E59)
    assert [(r["name"], r["rank"]) for r in body["ranking"]] == [("甲", 1), ("丙", 2), ("乙", 2)]
    beijing = client.get(f"{API}/batches/{batch_id}", headers=reader,
                         params={"region": "北京"}).json()["ranking"]
    assert [(r["name"], r["rank"]) for r in beijing] == [("甲", 1), ("丙", 2)]
    banks = client.get(f"{API}/batches/{batch_id}", headers=reader,
                       params={"category": "bank"}).json()["ranking"]
    assert [r["name"] for r in banks] == ["丙"]
    page = client.get(f"{API}/batches/{batch_id}", headers=reader,
                      params={"ranking_limit": 1, "ranking_offset": 1}).json()["ranking"]
    assert [r["name"] for r in page] == ["丙"]
    assert client.get(f"{API}/batches/999", headers=reader).status_code == 404
    bad = client.get(f"{API}/batches/{batch_id}", headers=reader, params={"category": "x"})
    assert bad.status_code == 422


def test_progress_of_a_queued_batch(client: TestClient, admin: dict[str, str]) -> None:
    batch_id = client.post(f"{API}/batches", headers=admin, json=SITES).json()["id"]
    progress = client.get(f"{API}/batches/{batch_id}", headers=admin).json()["progress"]
    assert (progress["queued"], progress["finished"], progress["percent"]) == (2, False, 0.0)
