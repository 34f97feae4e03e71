"""The dashboard's writes through the real app and a real SQLite store: admin sign-in, CSRF
and Origin checks, the upload preview naming bad rows, starting a round, watching it (status
JSON), cancelling it, and adding and editing sites. Scans go to a recorder here;
test_workbench_e2e.py runs a round for real."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from elderscan.store import Scan, Site, session_scope

ORIGIN = {"Origin": "http://testserver"}
BAD_LIST = ("名称,网址,类别,地区\n"
            "某市人民政府,https://www.a.gov.cn/,政府,甲省\n"
            "打错的网址,gov,政府,甲省\n"
            "某学校,https://s.edu.cn/,学校,乙省\n"
            "某银行,https://b-bank.com.cn/,银行,乙省\n")


def sign_in(client: TestClient, token: str) -> None:
    response = client.post("/login", data={"token": token, "next": "/"}, headers=ORIGIN,
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@pytest.fixture
def admin_client(client: TestClient, tokens: dict[str, str]) -> TestClient:
    sign_in(client, tokens["admin"])
    return client


def _preview(client: TestClient, token: str, data: bytes, filename: str = "list.csv",
             lang: str = "zh", **headers: str) -> Any:
    return client.post(f"/workbench/preview?lang={lang}",
                       data={"csrf_token": token, "name": "省级政府", "max_pages": "2"},
                       files={"file": (filename, data)}, headers={**ORIGIN, **headers})


def test_a_read_token_sees_pages_but_cannot_write(client: TestClient, tokens: dict[str, str],
                                                 engine: Engine) -> None:
    sign_in(client, tokens["read"])
    page = client.get("/workbench")
    assert page.status_code == 200
    assert 'id="readonly"' in page.text and 'id="upload-form"' not in page.text
    assert "csrf_token" not in page.text
    assert 'id="add-site"' not in client.get("/").text
    for path, data in [("/workbench/sites/new", {"url": "https://x.gov.cn/"}),
                       ("/workbench/again", {"batch": "x"}), ("/rounds/1/cancel", {})]:
        response = client.post(path, data=data, headers=ORIGIN)
        assert response.status_code == 403, path
        assert "需要管理员权限" in response.text
    with session_scope(engine) as session:
        assert session.execute(select(Site)).first() is None


def test_forms_need_the_session_csrf_token_and_our_origin(admin_client: TestClient,
                                                          engine: Engine) -> None:
    page = admin_client.get("/workbench/sites/new")
    token = csrf(page.text)
    site = {"url": "https://www.a.gov.cn/", "name": "甲", "category": "gov"}
    for data, headers in [(site, ORIGIN), ({**site, "csrf_token": "0" * 64}, ORIGIN),
                          ({**site, "csrf_token": token}, {"Origin": "http://evil.test"}),
                          ({**site, "csrf_token": token}, {})]:
        response = admin_client.post("/workbench/sites/new", data=data, headers=headers,
                                     follow_redirects=False)
        assert response.status_code == 403, (data, headers)
        assert "表单已失效" in response.text
    with session_scope(engine) as session:
        assert session.execute(select(Site)).first() is None
    ok = admin_client.post("/workbench/sites/new", data={**site, "csrf_token": token},
                           headers=ORIGIN, follow_redirects=False)
    assert ok.status_code == 303, ok.text
    # a new sign-in is a new session, and the old form's token no longer works
    admin_client.post("/logout", headers=ORIGIN)
    assert admin_client.cookies.get("elderscan_session") is None


def test_preview_names_every_bad_row_before_anything_runs(admin_client: TestClient,
                                                          recorder: Any, engine: Engine) -> None:
    token = csrf(admin_client.get("/workbench").text)
    response = _preview(admin_client, token, BAD_LIST.encode("gb18030"))
    assert response.status_code == 422
    html = response.text
    bad = re.findall(r'<li data-line="(\d+)">([^<]*)</li>', html)
    assert [line for line, _ in bad] == ["3", "4"]
    assert "第 3 行：不是网址：“gov”" in bad[0][1] and "类别“学校”无法识别" in bad[1][1]
    assert "共 4 行：2 行可以检测，2 行有问题。" in html
    assert "只检测没有问题的 2 个网站" in html
    assert recorder.ids == []  # nothing ran
    with session_scope(engine) as session:
        assert session.execute(select(Site)).first() is None
    # English, and a header typo: the file is refused as a whole, no start button
    typo = _preview(admin_client, token, b"nmae,url\nA,https://a.gov.cn/\n", lang="en")
    assert "unknown column &#39;nmae&#39; in column 1" in typo.text
    assert 'id="start-form"' not in typo.text
    pages = admin_client.post("/workbench/preview?lang=zh", headers=ORIGIN,
                              data={"csrf_token": token, "name": "x", "max_pages": "lots"},
                              files={"file": ("list.csv", BAD_LIST.encode())})
    assert pages.status_code == 422 and "页面数须为 1 到" in pages.text


def test_preview_reads_xlsx_and_yaml(admin_client: TestClient) -> None:
    from .test_sitelist import xlsx

    token = csrf(admin_client.get("/workbench").text)
    sheet = xlsx([["name", "url", "category"], ["A", "https://a.gov.cn/", "gov"],
                  ["B", "gov", "bank"], ["C", "https://c.gov.cn/", "school"]])
    html = _preview(admin_client, token, sheet, "list.xlsx", lang="en").text
    assert re.findall(r'<li data-line="(\d+)">', html) == ["3", "4"]
    assert "1 can be scanned, 2 rows have problems" in html
    yaml = b"- {name: A, url: https://a.gov.cn/}\n- {name: B, url: gov}\n"
    html = _preview(admin_client, token, yaml, "list.yaml", lang="en").text
    assert re.findall(r'<li data-line="(\d+)">', html) == ["2"]


def test_fixed_list_starts_a_round_and_the_round_can_be_watched_and_cancelled(
        admin_client: TestClient, recorder: Any, engine: Engine) -> None:
    token = csrf(admin_client.get("/workbench").text)
    fixed = BAD_LIST.replace(",gov,", ",https://c.gov.cn/,").replace("学校", "交通")
    preview = _preview(admin_client, token, fixed.encode("utf-8-sig"))
    assert preview.status_code == 200, preview.text
    assert 'id="bad-rows"' not in preview.text and "开始检测（4 个网站）" in preview.text
    payload = re.search(r'name="sites" value="([^"]*)"', preview.text)
    assert payload
    import html as htmllib

    start = admin_client.post("/workbench/start?lang=zh", headers=ORIGIN, follow_redirects=False,
                              data={"csrf_token": token, "name": "省级政府", "max_pages": "2",
                                    "sites": htmllib.unescape(payload.group(1))})
    assert start.status_code == 303, start.text
    round_path = start.headers["location"]
    assert round_path.startswith("/rounds/")
    assert len(recorder.ids) == 4
    with session_scope(engine) as session:
        scans = list(session.execute(select(Scan).order_by(Scan.id)).scalars())
        assert {s.options["max_pages"] for s in scans} == {2}
        metro = session.execute(select(Site).where(Site.url == "https://s.edu.cn/")).scalar_one()
        assert (metro.category, metro.tags) == ("other", ["交通"])
        first = scans[0]
        first.status = "running"
        first.progress = {"pages_done": 1, "pages_total": 2}
    page = admin_client.get(round_path)
    assert page.status_code == 200
    assert 'aria-live="polite"' in page.text and '<meta http-equiv="refresh"' in page.text
    assert "检测中（第 1 / 2 页）" in page.text and 'id="cancel"' in page.text
    status = admin_client.get(round_path + "/status.json").json()
    assert status["finished"] is False and status["status_text"] in ("排队中", "进行中")
    assert [s["status"] for s in status["sites"]] == ["running", "queued", "queued", "queued"]
    assert status["summary"] == "已完成 0 / 4：成功 0，失败 0，进行中 1，排队 3。"

    cancel = admin_client.post(round_path + "/cancel", data={"csrf_token": token},
                               headers=ORIGIN, follow_redirects=False)
    assert cancel.status_code == 303
    after = admin_client.get(round_path + "/status.json?lang=en").json()
    assert after["status_text"] == "cancelled"
    assert [s["status"] for s in after["sites"]] == ["running", "cancelled", "cancelled",
                                                     "cancelled"]
    assert after["sites"][1]["reason"] == "The scan was cancelled"  # the ranking's phrase
    assert "这一轮已取消（3 个排队中的网站未检测）。" in admin_client.get(round_path).text


def test_run_again_from_one_button(admin_client: TestClient, recorder: Any,
                                   admin: dict[str, str]) -> None:
    admin_client.post("/api/v1/batches", headers=admin, json={
        "name": "季度", "sites": [{"url": "https://a.gov.cn/"}, {"url": "https://b.gov.cn/"}]})
    token = csrf(admin_client.get("/workbench").text)
    response = admin_client.post("/workbench/again", data={"csrf_token": token, "batch": "季度"},
                                 headers=ORIGIN, follow_redirects=False)
    assert response.status_code == 303
    page = admin_client.get(response.headers["location"])
    assert "季度 第 2 轮" in page.text and len(recorder.ids) == 4


def test_add_and_edit_a_site_from_the_dashboard(admin_client: TestClient,
                                                engine: Engine) -> None:
    token = csrf(admin_client.get("/workbench/sites/new").text)
    post = lambda path, **data: admin_client.post(  # noqa: E731
        path, data={"csrf_token": token, **data}, headers=ORIGIN, follow_redirects=False)
    refused = post("/workbench/sites/new", url="http://127.0.0.1:8080/", category="gov")
    assert refused.status_code == 422 and "这个地址不允许检测" in refused.text
    assert 'value="http://127.0.0.1:8080/"' in refused.text  # the form keeps what was typed
    assert "不是网址：“gov”" in post("/workbench/sites/new", url="gov", category="gov").text
    added = post("/workbench/sites/new", url="www.a.gov.cn", name="某市政府", category="政府",
                 region="甲省", tags="老年；便民")
    assert added.status_code == 303
    site_path = added.headers["location"]
    page = admin_client.get(site_path)
    assert "某市政府" in page.text and 'id="edit-site"' in page.text
    site_id = int(site_path.rsplit("/", 1)[1])
    form = admin_client.get(f"/sites/{site_id}/edit").text
    assert 'value="https://www.a.gov.cn/"' in form and 'value="老年; 便民"' in form
    edited = post(f"/sites/{site_id}/edit", url="https://www.a.gov.cn/", name="某市人民政府",
                  category="other", region="", tags="")
    assert edited.status_code == 303
    with session_scope(engine) as session:
        site = session.get(Site, site_id)
        assert site is not None
        assert (site.name, site.category, site.region, site.tags) == ("某市人民政府", "other",
                                                                      None, [])
    post("/workbench/sites/new", url="https://b.gov.cn/", category="bank")
    taken = post(f"/sites/{site_id}/edit", url="http://www.b.gov.cn", category="gov")
    assert taken.status_code == 409 and "这个网址已属于另一个网站" in taken.text


def test_english_pages_have_no_chinese_of_their_own(admin_client: TestClient,
                                                    admin: dict[str, str]) -> None:
    admin_client.post("/api/v1/batches", headers=admin, json={
        "name": "Q4", "sites": [{"url": "https://a.gov.cn/", "name": "A"}]})
    token = csrf(admin_client.get("/workbench").text)
    preview = _preview(admin_client, token, b"name,url\nA,https://a.gov.cn/\nB,gov\n",
                       lang="en").text
    pages = [admin_client.get(p).text for p in
             ("/workbench?lang=en", "/rounds/1?lang=en", "/workbench/sites/new?lang=en")]
    from elderscan.sitelist import CATEGORY_WORDS, HEADERS

    # allowed: the language switch (中文), the batch name typed in, and the Chinese header and
    # category words the English hints offer as alternatives
    allowed = {"中文", "省级政府", *HEADERS, *CATEGORY_WORDS}
    for html in [preview, *pages]:
        chinese = re.findall(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+", html)
        assert set(chinese) <= allowed, set(chinese) - allowed
    assert "row 3: not a web address: &#39;gov&#39;" in preview


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "无法读取表单：字段超过 10 个"),
    ("en", "cannot read the form: it has more than 10 fields")])
def test_a_form_the_parser_refuses_says_why_in_the_pages_language(
        admin_client: TestClient, lang: str, said: str) -> None:
    """Starlette's refusal of a form is English ("Too many fields. Maximum number of fields is
    10."); a dashboard page's form says the limit in the page's language."""
    form = {"csrf_token": csrf(admin_client.get("/workbench").text),
            **{f"f{n}": "x" for n in range(10)}}
    refused = admin_client.post(f"/workbench/start?lang={lang}", data=form, headers=ORIGIN)
    assert refused.status_code == 400, refused.text
    assert refused.json()["message"] == said
