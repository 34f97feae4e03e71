"""The API's messages in the request's language (`?lang=`, else Accept-Language), with the
machine-readable `error` code the same in both: a Chinese client reads Chinese, a script
branches on the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from elderscan.i18n import text

API = "/api/v1"
HAN = re.compile(r"[\u4e00-\u9fff]")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _error(response: object, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code, body
    message: str = body["message"]
    return message


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_errors_are_said_in_the_request_language(client: TestClient, reader: dict[str, str],
                                                 admin: dict[str, str], lang: str) -> None:
    asked = {"lang": lang}
    said = {
        "no token": _error(client.get(f"{API}/sites", params=asked), 401, "unauthorized"),
        "bad token": _error(client.get(f"{API}/sites", params=asked,
                                       headers={"Authorization": "Bearer esk_nope"}),
                            401, "unauthorized"),
        "reader writes": _error(client.post(f"{API}/scans", params=asked, headers=reader,
                                            json={"url": "https://www.example.gov.cn/"}),
                                403, "forbidden"),
        "no scan": _error(client.get(f"{API}/scans/999999", params=asked, headers=admin),
                          404, "not_found"),
        "no route": _error(client.get(f"{API}/no-such-thing", params=asked, headers=admin),
                           404, "not_found"),
        "invalid": _error(client.get(f"{API}/sites", params={**asked, "limit": "x"},
                                     headers=admin), 422, "invalid_request"),
        "no round": _error(client.get(f"{API}/batches/999999/progress", params=asked,
                                      headers=admin), 404, "not_found"),
        "no site": _error(client.get(f"{API}/sites/999999", params=asked, headers=admin),
                          404, "not_found"),
        "no site to edit": _error(client.patch(f"{API}/sites/999999", params=asked,
                                               headers=admin, json={"name": "甲"}),
                                  404, "not_found"),
    }
    for what, message in said.items():
        assert bool(HAN.search(message)) == (lang == "zh"), (what, message)
    assert said["reader writes"] == text("api.admin-only", lang,
                                         role=text("api.role.read", lang))
    assert said["no scan"] == text("api.no-scan", lang, id=999999)
    assert said["no round"] == text("api.no-batch", lang, id=999999)
    assert said["no site"] == said["no site to edit"] == text("api.no-site", lang, id=999999)


def test_a_refused_field_says_why_in_the_request_language(
        client: TestClient, admin: dict[str, str]) -> None:
    """The sentence and each field's reason: pydantic's English stays in `details` only."""
    from langcheck import other_language

    asked = [(client.get, f"{API}/sites", {"params": {"limit": "x"}}, "query.limit"),
             (client.get, f"{API}/batches", {"params": {"name": "a\x01b"}}, "name"),
             (client.post, f"{API}/scans", {"json": {"url": "https://a.gov.cn/",
                                                    "options": {"max_pages": 0}}},
              "options.max_pages"),
             (client.post, f"{API}/scans", {"json": {"url": "https://a.gov.cn/"},
                                            "headers": {"Idempotency-Key": "k\x02"}},
              "Idempotency-Key"),
             (client.get, f"{API}/scans", {"params": {"since": "yesterday"}}, "query.since"),
             (client.post, f"{API}/batches", {"json": {"sites": []}}, "sites"),
             (client.post, f"{API}/scans", {"content": b'{"url": "https://a.gov.cn/\\ud800"}',
                                            "headers": {"Content-Type": "application/json"}},
              "url"),
             (client.post, f"{API}/scans", {"json": ["https://a.gov.cn/"]}, None),
             (client.post, f"{API}/scans", {"content": b"{not json",
                                            "headers": {"Content-Type": "application/json"}},
              None)]
    for send, path, extra, field in asked:
        headers = {**admin, **ZH, **extra.pop("headers", {})}
        chinese = _error(send(path, headers=headers, **extra), 422, "invalid_request")
        english = _error(send(path, headers={**headers, "Accept-Language": "en"}, **extra),
                         422, "invalid_request")
        if field is None:  # the body as a whole
            field = "request body"
            assert "：请求内容：" in chinese, chinese
        else:
            assert field in chinese, chinese
        assert field in english, english
        assert other_language(chinese, "zh", [field]) == [], chinese
        assert not HAN.search(english), english
    refused = client.get(f"{API}/batches", params={"name": "a\x01b"}, headers={**admin, **ZH})
    assert refused.json()["message"] == "name：文字里不能有控制字符"
    assert refused.json()["details"][0]["loc"] == ["query", "name"]


def test_the_address_guard_says_why_in_the_request_language(
        client: TestClient, admin: dict[str, str]) -> None:
    from langcheck import other_language

    typed = ["127.0.0.1", "ftp:", "ELDERSCAN_ALLOW_HOSTS", "http(s)", "http", "https"]
    for url, english in [
            ("http://127.0.0.1:1/", "127.0.0.1 is a loopback address (the address guard "
             "refuses loopback, private, link-local, multicast and cloud-metadata addresses "
             "and non-http(s) URLs; ELDERSCAN_ALLOW_HOSTS can permit a host)"),
            ("ftp://a.gov.cn/", "only http and https URLs can be scanned, not ftp: (the "
             "address guard refuses")]:
        said = {lang: _error(client.post(f"{API}/scans", json={"url": url},
                                         headers={**admin, "Accept-Language": lang}),
                             422, "address_refused") for lang in ("zh", "en")}
        assert english in said["en"], said
        assert other_language(said["zh"], "zh", typed) == [], said["zh"]
        assert "地址防护" in said["zh"], said["zh"]
    loopback = client.post(f"{API}/scans", json={"url": "http://127.0.0.1:1/"},
                           headers={**admin, **ZH}).json()
    assert loopback["details"][0]["msg"] == "127.0.0.1 is a loopback address"


def test_a_batch_body_that_is_not_a_round_says_why_in_the_request_language(
        client: TestClient, admin: dict[str, str]) -> None:
    """POST /batches reads its body itself: a body that is no object, JSON that stops, and JSON
    nested past Python's limit are said in words, with no English parser message."""
    from langcheck import other_language

    deep = b"[" * 100_000 + b"]" * 100_000
    said = {}
    for name, body, english in [("no object", b"5", "request body: "),
                                ("stops", b'{"sites": [1,', "the body is not JSON: line 1 "
                                 "column 14"),
                                ("deep", deep, "the body is not JSON: it is nested too deeply")]:
        for lang in ("zh", "en"):
            said[name, lang] = _error(client.post(
                f"{API}/batches", content=body, headers={**admin, "Accept-Language": lang,
                                                         "Content-Type": "application/json"}),
                422, "invalid_request")
        assert said[name, "en"].startswith(english), said[name, "en"]
        assert other_language(said[name, "zh"], "zh", []) == [], said[name, "zh"]
    assert said["no object", "zh"].startswith("请求内容："), said["no object", "zh"]
    assert said["stops", "zh"] == "请求内容不是 JSON：第 1 行第 14 列有误"


def test_a_rounds_refused_sites_are_said_in_the_request_language(
        client: TestClient, admin: dict[str, str]) -> None:
    """The first refused site is quoted in the message in the request's language, the guard's
    rule with it; `details[].msg` keeps the English that results record."""
    from langcheck import other_language

    typed = ["sites.0", "sites.1", "127.0.0.1", "http://a b/", "ELDERSCAN_ALLOW_HOSTS",
             "http(s)"]
    for sites, code, english in [
            ([{"name": "甲", "url": "http://127.0.0.1:1/"}, {"name": "乙", "url": "http://10.0.0.1/"}],
             "address_refused", "2 site(s) refused; first: sites.0: 127.0.0.1 is a loopback "
             "address (the address guard refuses loopback, private"),
            ([{"name": "甲", "url": "http://a b/"}, {"name": "乙", "url": "http://127.0.0.1:1/"}],
             "invalid_request", "2 site(s) refused; first: sites.0: not a web address: "
             "'http://a b/'")]:
        said = {lang: _error(client.post(f"{API}/batches", json={"name": "季度", "sites": sites},
                                         headers={**admin, "Accept-Language": lang}), 422, code)
                for lang in ("zh", "en")}
        assert said["en"].startswith(english), said["en"]
        assert said["zh"].startswith("2 个网站被拒绝；第一个：sites.0："), said["zh"]
        assert other_language(said["zh"], "zh", typed) == [], said["zh"]
    body = client.post(f"{API}/batches", json={"name": "季度", "sites": sites},
                       headers={**admin, **ZH}).json()
    assert [d["msg"] for d in body["details"]] == ["not a web address: 'http://a b/'",
                                                   "127.0.0.1 is a loopback address"]


def test_accept_language_picks_chinese_and_english_stays_the_default(
        client: TestClient, admin: dict[str, str]) -> None:
    chinese = _error(client.get(f"{API}/scans/999999", headers={**admin, **ZH}), 404,
                     "not_found")
    english = _error(client.get(f"{API}/scans/999999", headers=admin), 404, "not_found")
    assert chinese == "没有编号为 999999 的检测" and english == "no scan 999999"


def test_no_api_error_is_written_out_in_english_only() -> None:
    """An ApiError's message is a catalogue phrase (`key=`), or worded in the request's
    language where it is raised; a written-out string, or a phrase asked for in "en", would
    answer a Chinese client in English. Beside a key, a message would be a second English
    wording of the phrase, free to drift from it (the phrase's English is derived)."""
    api = Path(__file__).resolve().parents[2] / "src" / "elderscan" / "api"
    found = []
    for path in api.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "ApiError" and len(node.args) >= 3):
                continue
            if any(k.arg == "key" for k in node.keywords):
                found.append(f"{path.relative_to(api)}:{node.lineno} (a message beside a key)")
                continue
            message = node.args[2]
            english = isinstance(message, ast.Constant | ast.JoinedStr | ast.BinOp) or (
                isinstance(message, ast.Call) and any(
                    isinstance(a, ast.Constant) and a.value == "en" for a in message.args))
            if english:
                found.append(f"{path.relative_to(api)}:{node.lineno}")
    assert found == []
