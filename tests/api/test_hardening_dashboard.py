"""Dashboard forms, hardened: bounded form reading on the schedules page and the site cap
kept when a round starts from the dashboard, and a ranking asked for a round that is not a
number is a 404, not the latest round. Real app, real SQLite store."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from elderscan.api.settings import ApiSettings
from elderscan.store import Batch, session_scope

from .test_dashboard_schedules import FORM, ORIGIN, _csrf, _rows, _signed_in
from .test_workbench_dashboard import csrf, sign_in


def test_the_schedules_form_is_bounded_and_the_role_checked_first(
        make_client: Any, tokens: dict[str, str], engine: Engine) -> None:
    admin = _signed_in(make_client, tokens["admin"])
    token = _csrf(admin.get("/schedules").text)
    padded = {**FORM, "csrf": token, **{f"x{n}": "1" for n in range(30)}}
    assert admin.post("/schedules", headers=ORIGIN, data=padded).status_code == 400
    with_file = admin.post("/schedules", headers=ORIGIN, data={**FORM, "csrf": token},
                           files={"f": ("a.txt", b"x" * 1000)})
    assert with_file.status_code == 400
    assert _rows(engine) == []
    reader = _signed_in(make_client, tokens["read"])
    broken = reader.post("/schedules", headers={**ORIGIN, "Content-Type":
                                                "multipart/form-data; boundary=zz"},
                         content=b"--zz\r\nnot a part")
    assert broken.status_code == 403  # refused for the role, before the body is read
    assert admin.post("/schedules", headers=ORIGIN,
                      data={**FORM, "csrf": token}).status_code == 303


def test_starting_a_round_from_the_dashboard_keeps_the_site_cap(
        make_client: Any, tokens: dict[str, str], engine: Engine, recorder: Any) -> None:
    client = make_client(ApiSettings(MAX_BATCH_SITES=2))
    sign_in(client, tokens["admin"])
    token = csrf(client.get("/workbench").text)
    sites = [{"url": f"https://s{n}.gov.cn/"} for n in range(3)]
    start = client.post("/workbench/start?lang=en", headers=ORIGIN, follow_redirects=False,
                        data={"csrf_token": token, "name": "cap", "sites": json.dumps(sites)})
    assert start.status_code == 413, start.text
    assert "more than 2 sites" in start.text
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Batch)).scalar() == 0
    assert recorder.ids == []
    two = client.post("/workbench/start", headers=ORIGIN, follow_redirects=False,
                      data={"csrf_token": token, "name": "cap", "sites": json.dumps(sites[:2])})
    assert two.status_code == 303 and len(recorder.ids) == 2


@pytest.mark.parametrize("path", ["/rankings", "/rankings/ranking.csv", "/rankings/ranking.xlsx"])
def test_a_round_that_is_not_a_number_is_a_404(client: TestClient, tokens: dict[str, str],
                                               store: Any, path: str) -> None:
    sign_in(client, tokens["admin"])
    admin_client = client
    store.batch("季度", [("甲", "https://a.gov.cn/", "gov", "甲省", 80.0)])
    assert admin_client.get(path, params={"batch": "季度", "round": "1"}).status_code == 200
    for bad in ("abc", "-1", "0", "1.5"):
        refused = admin_client.get(path, params={"batch": "季度", "round": bad, "lang": "en"})
        assert refused.status_code == 404, (bad, refused.status_code)
        assert "There is no such batch or round." in refused.text
    assert admin_client.get(path, params={"batch": "季度", "round": ""}).status_code == 200
