"""GET /sites (pagination, filters), /sites/{id}, /sites/{id}/history and /compare."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"


@pytest.fixture
def sites(store: Any) -> dict[str, int]:
    """Four sites: three scored, one never scanned."""
    ids = {}
    for name, url, category, region, total in [
        ("北京市政府", "https://www.beijing.gov.cn/", "gov", "北京", 82.0),
        ("上海市政府", "https://www.shanghai.gov.cn/", "gov", "上海", 55.5),
        ("北京银行", "https://www.bankofbeijing.com.cn/", "bank", "北京", 70.0),
    ]:
        ids[name] = store.scan(url, total, name=name, category=category, region=region)
    store.queued("https://www.unscanned.gov.cn/")
    return ids


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [s["name"] for s in response.json()["items"]]


def test_list_paginates(client: TestClient, reader: dict[str, str], sites: Any) -> None:
    first = client.get(f"{API}/sites", headers=reader, params={"limit": 2, "order": "id"})
    body = first.json()
    assert (body["total"], body["limit"], body["offset"]) == (4, 2, 0)
    assert len(body["items"]) == 2
    second = client.get(f"{API}/sites", headers=reader,
                        params={"limit": 2, "offset": 2, "order": "id"}).json()
    assert {s["id"] for s in body["items"]}.isdisjoint({s["id"] for s in second["items"]})
    assert client.get(f"{API}/sites", headers=reader,
                      params={"offset": 10}).json()["items"] == []


def test_list_filters(client: TestClient, reader: dict[str, str], sites: Any) -> None:
    get = lambda **p: client.get(f"{API}/sites", headers=reader, params=p)  # noqa: E731
    assert sorted(_names(get(category="bank"))) == ["北京银行"]
    assert sorted(_names(get(region="北京"))) == ["北京市政府", "北京银行"]
    assert sorted(_names(get(min_score=60))) == ["北京市政府", "北京银行"]
    assert _names(get(max_score=60)) == ["上海市政府"]
    assert _names(get(min_score=60, max_score=75)) == ["北京银行"]
    assert _names(get(q="shanghai")) == ["上海市政府"]
    assert _names(get(order="score"))[:3] == ["北京市政府", "北京银行", "上海市政府"]
    scored = get(category="gov", region="北京").json()["items"][0]
    assert scored["latest"]["score_total"] == 82.0
    assert scored["latest"]["dimensions"]["contrast"] == 82.0


@pytest.mark.parametrize("params", [
    {"category": "school"}, {"min_score": -1}, {"max_score": 101}, {"limit": 0},
    {"limit": 100000}, {"offset": -1}, {"order": "random"}, {"min_score": 80, "max_score": 20},
    {"min_score": "nan"}, {"region": "x" * 101}, {"region": "a\x01b"},
])
def test_list_rejects_bad_filters(client: TestClient, reader: dict[str, str],
                                  params: dict[str, Any]) -> None:
    response = client.get(f"{API}/sites", headers=reader, params=params)
    assert response.status_code == 422, (params, response.text)
    assert response.json()["error"] == "invalid_request"
    assert response.json()["details"]


def test_one_site(client: TestClient, reader: dict[str, str], sites: Any, store: Any) -> None:
    listed = client.get(f"{API}/sites", headers=reader, params={"q": "beijing.gov"}).json()
    site_id = listed["items"][0]["id"]
    body = client.get(f"{API}/sites/{site_id}", headers=reader).json()
    assert body["name"] == "北京市政府"
    assert body["latest"]["score_total"] == 82.0
    newer = store.scan("https://www.beijing.gov.cn/", 90.0, finished_at="2026-12-24T08:00:00Z")
    body = client.get(f"{API}/sites/{site_id}", headers=reader).json()
    assert body["latest"]["scan_id"] == newer
    missing = client.get(f"{API}/sites/4242", headers=reader)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_history(client: TestClient, reader: dict[str, str], store: Any) -> None:
    url = "https://www.hist.gov.cn/"
    old = store.scan(url, 40.0, finished_at="2026-01-01T00:00:00Z")
    new = store.scan(url, 65.0, finished_at="2026-06-01T00:00:00Z")
    site_id = client.get(f"{API}/scans/{new}", headers=reader).json()["site_id"]
    body = client.get(f"{API}/sites/{site_id}/history", headers=reader).json()
    assert body["site_id"] == site_id
    assert [(p["scan_id"], p["score_total"]) for p in body["items"]] == [(old, 40.0),
                                                                         (new, 65.0)]
    assert body["items"][1]["dimensions"]["voice"] == 65.0
    assert client.get(f"{API}/sites/999/history", headers=reader).status_code == 404


def test_compare(client: TestClient, reader: dict[str, str], store: Any) -> None:
    url = "https://www.cmp.gov.cn/"
    a = store.scan(url, 50.0, problems=("p.old", "p.both"), finished_at="2026-01-01T00:00:00Z")
    b = store.scan(url, 70.0, problems=("p.both", "p.new"), finished_at="2026-02-01T00:00:00Z")
    response = client.get(f"{API}/compare", headers=reader, params={"a": a, "b": b})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total_delta"] == 20.0
    assert body["same_site"] is True
    assert body["counts"] == {"fixed": 1, "new": 1, "unchanged": 1, "unverified": 0,
                              "worsened": 0, "improved": 0, "regressions": 1}
    assert body["fixed"][0]["selector"] == "p.old"
    both = body["unchanged"][0]
    assert (both["value_a"], both["value_b"], both["threshold_b"]) == (2.5, 2.5, 4.5)
    assert "data_a" not in both  # message data stays in the stored result
    assert body["new"][0]["selector"] == "p.new"


def test_compare_errors(client: TestClient, reader: dict[str, str], store: Any) -> None:
    done = store.scan("https://www.cmp.gov.cn/", 50.0)
    queued = store.queued("https://www.other.gov.cn/")
    get = lambda **p: client.get(f"{API}/compare", headers=reader, params=p)  # noqa: E731
    assert get(a=done, b=999).status_code == 404
    conflict = get(a=done, b=queued)
    assert conflict.status_code == 409
    assert conflict.json()["message"] == (f"Scan {queued} has not finished (queued): only "
                                          "finished scans can be compared.")
    zh = client.get(f"{API}/compare", headers=reader, params={"a": done, "b": queued,
                                                              "lang": "zh"})
    assert zh.json()["message"] == f"检测 {queued} 尚未完成（排队中），只能对比已完成的检测。"
    assert get(a=999, b=done).json()["message"] == "There is no scan 999."
    assert get(a=done).status_code == 422
    assert get(a="x", b=1).status_code == 422
