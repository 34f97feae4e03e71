"""The /schedules page without a browser: who may change what, CSRF, Beijing time, escaping."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from tests.api.conftest import Recorder, StoreData

from elderscan.store import session_scope
from elderscan.store.models import Schedule

ORIGIN = {"Origin": "http://testserver"}
FORM = {"name": "全市政务网站", "kind": "daily", "at": "08:00", "weekday": "0", "day": "1",
        "cron": ""}


def _signed_in(make_client: Any, token: str) -> TestClient:
    client: TestClient = make_client()
    client.follow_redirects = False
    response = client.post("/login", headers=ORIGIN, data={"token": token, "next": "/"})
    assert response.status_code == 303
    return client


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _rows(engine: Engine) -> list[Schedule]:
    with session_scope(engine) as session:
        rows = list(session.execute(select(Schedule).order_by(Schedule.id)).scalars())
        session.expunge_all()
        return rows


@pytest.fixture
def admin_client(make_client: Any, tokens: dict[str, str]) -> TestClient:
    return _signed_in(make_client, tokens["admin"])


@pytest.fixture
def read_client(make_client: Any, tokens: dict[str, str]) -> TestClient:
    return _signed_in(make_client, tokens["read"])


def test_signed_out_goes_to_sign_in(make_client: Any) -> None:
    client: TestClient = make_client()
    client.follow_redirects = False
    response = client.get("/schedules")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    posted = client.post("/schedules", headers=ORIGIN, data=FORM)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login")


def test_admin_creates_and_sees_the_next_run_in_beijing_time(admin_client: TestClient,
                                                             engine: Engine) -> None:
    page = admin_client.get("/schedules")
    assert page.status_code == 200 and 'id="new-schedule"' in page.text
    assert "北京时间" in page.text and "还没有定期检测" in page.text
    created = admin_client.post("/schedules", headers=ORIGIN,
                                data={**FORM, "csrf": _csrf(page.text)})
    assert created.status_code == 303 and created.headers["location"] == "/schedules?done=created"
    (row,) = _rows(engine)
    assert (row.name, row.kind, row.at, row.created_by) == ("全市政务网站", "daily", "08:00",
                                                            "test admin")
    assert row.options["guard_addresses"] is True
    assert row.next_run_at is not None
    beijing = (row.next_run_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert beijing.endswith("08:00") and row.next_run_at.hour == 0
    listed = admin_client.get("/schedules?done=created")
    assert f'class="num next-run nowrap">{beijing}<' in listed.text
    assert "已保存计划" in listed.text and "每天 08:00" in listed.text
    english = admin_client.get("/schedules?lang=en")
    assert "Beijing time" in english.text and "Daily at 08:00" in english.text
    assert "北京" not in english.text.replace("全市政务网站", "")


def test_forms_need_the_session_csrf_token_and_our_origin(admin_client: TestClient,
                                                         engine: Engine) -> None:
    token = _csrf(admin_client.get("/schedules").text)
    assert admin_client.post("/schedules", headers=ORIGIN, data=FORM).status_code == 403
    wrong = admin_client.post("/schedules", headers=ORIGIN, data={**FORM, "csrf": "0" * 64})
    assert wrong.status_code == 403 and "表单已过期" in wrong.text
    foreign = admin_client.post("/schedules", headers={"Origin": "https://evil.example"},
                                data={**FORM, "csrf": token})
    assert foreign.status_code == 403
    assert _rows(engine) == []
    assert admin_client.post("/schedules", headers=ORIGIN,
                             data={**FORM, "csrf": token}).status_code == 303
    assert len(_rows(engine)) == 1


def test_a_read_session_sees_the_list_and_cannot_change_it(
        read_client: TestClient, admin_client: TestClient, engine: Engine) -> None:
    token = _csrf(admin_client.get("/schedules").text)
    admin_client.post("/schedules", headers=ORIGIN, data={**FORM, "csrf": token})
    (row,) = _rows(engine)
    page = read_client.get("/schedules")
    assert page.status_code == 200 and "全市政务网站" in page.text
    assert 'id="new-schedule"' not in page.text and 'name="csrf"' not in page.text
    assert "只读" in page.text
    for path in ("/schedules", f"/schedules/{row.id}/disable", f"/schedules/{row.id}/delete",
                 f"/schedules/{row.id}/run"):
        response = read_client.post(path, headers=ORIGIN, data={**FORM, "csrf": token})
        assert response.status_code == 403, path
        assert "只有管理员" in response.text
    assert [(r.id, r.enabled) for r in _rows(engine)] == [(row.id, True)]


def test_turn_off_on_run_and_delete(admin_client: TestClient, engine: Engine,
                                    store: StoreData, recorder: Recorder) -> None:
    store.batch("全市政务网站", [("甲市", "https://a.example.gov.cn/", "gov", "某省", 70.0)])
    token = _csrf(admin_client.get("/schedules").text)
    admin_client.post("/schedules", headers=ORIGIN, data={**FORM, "csrf": token})
    (row,) = _rows(engine)
    off = admin_client.post(f"/schedules/{row.id}/disable", headers=ORIGIN,
                            data={"csrf": token})
    assert off.status_code == 303
    assert _rows(engine)[0].enabled is False and _rows(engine)[0].next_run_at is None
    assert "已停用" in admin_client.get("/schedules").text
    admin_client.post(f"/schedules/{row.id}/enable", headers=ORIGIN, data={"csrf": token})
    assert _rows(engine)[0].enabled is True
    ran = admin_client.post(f"/schedules/{row.id}/run", headers=ORIGIN, data={"csrf": token})
    assert ran.status_code == 303 and len(recorder.ids) == 1
    page = admin_client.get("/schedules?done=ran").text
    assert "第 2 轮" in page and "/rankings?batch=" in page
    confirm = admin_client.get(f"/schedules/{row.id}/delete")
    assert confirm.status_code == 200 and "确定删除" in confirm.text
    gone = admin_client.post(f"/schedules/{row.id}/delete", headers=ORIGIN,
                             data={"csrf": _csrf(confirm.text)})
    assert gone.status_code == 303 and _rows(engine) == []


def test_bad_input_is_named_and_kept(admin_client: TestClient, engine: Engine) -> None:
    token = _csrf(admin_client.get("/schedules").text)
    bad = admin_client.post("/schedules", headers=ORIGIN,
                            data={**FORM, "at": "25:00", "csrf": token})
    assert bad.status_code == 422 and "时间要写成" in bad.text
    assert 'value="25:00"' in bad.text and 'value="全市政务网站"' in bad.text
    cron = admin_client.post("/schedules?lang=en", headers=ORIGIN,
                             data={**FORM, "cron": "every day", "csrf": token})
    assert cron.status_code == 422 and "five fields" in cron.text
    assert _rows(engine) == []
    short = admin_client.post("/schedules", headers=ORIGIN,
                              data={**FORM, "at": "7:05", "csrf": token})
    assert short.status_code == 303 and _rows(engine)[0].at == "07:05"


def test_scanned_text_in_a_name_is_escaped(admin_client: TestClient, engine: Engine) -> None:
    hostile = '<script>alert(1)</script>某区'
    token = _csrf(admin_client.get("/schedules").text)
    admin_client.post("/schedules", headers=ORIGIN,
                      data={**FORM, "name": hostile, "csrf": token})
    page = admin_client.get("/schedules").text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;某区" in page


def test_a_failed_run_shows_its_reason(admin_client: TestClient, engine: Engine) -> None:
    token = _csrf(admin_client.get("/schedules").text)
    admin_client.post("/schedules", headers=ORIGIN,
                      data={**FORM, "name": "没有网站的批次", "csrf": token})
    (row,) = _rows(engine)
    ran = admin_client.post(f"/schedules/{row.id}/run", headers=ORIGIN, data={"csrf": token})
    assert ran.status_code == 409 and "这个批次还没有网站" in ran.text
    page = admin_client.get("/schedules").text
    assert "未能开始：这个批次还没有网站" in page
    assert datetime.now(UTC) - _rows(engine)[0].last_run_at < timedelta(minutes=1)  # type: ignore[operator]
