"""GET /api/v1/compare and /compare/rounds, and the dashboard's /compare pages, on a store holding
the real before/after scans of fixtures/compare/ as two rounds of a batch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from comparepair import scanned_pair
from elderscan.api.settings import ApiSettings
from elderscan.store import claim_scan, create_batch, save_result, session_scope, upsert_site

API = "/api/v1"
BATCH = "全市政务网站适老化复查"
HOSTILE = '<script>window.__pwned=1</script>新区政府'


@dataclass
class Stored:
    site: int
    rounds: tuple[int, int]
    """Batch ids of rounds 1 and 2."""
    scans: tuple[int, int]
    """The site's scan in each round."""


@pytest.fixture
def stored(engine: Engine) -> Stored:
    before, after = scanned_pair()
    with session_scope(engine) as s:
        site = upsert_site(s, "石门市人民政府（示例）", "https://www.shimen.example.gov.cn/",
                           "gov").id
        newcomer = upsert_site(s, HOSTILE, "https://new.example.gov.cn/", "gov").id
        one = create_batch(s, BATCH, [site])
        two = create_batch(s, BATCH, [site, newcomer])
        first = {x.site_id: x.id for x in one.scans}
        second = {x.site_id: x.id for x in two.scans}
        rounds = (one.id, two.id)
    for scan_id, report in ((first[site], before), (second[site], after),
                            (second[newcomer], before)):
        with session_scope(engine) as s:
            claim_scan(s, scan_id, "test")
            save_result(s, scan_id, report)
    return Stored(site, rounds, (first[site], second[site]))


@pytest.fixture
def pages(make_client: Any) -> TestClient:
    client: TestClient = make_client(ApiSettings(PUBLIC_READS=True))
    return client


def _section(html: str, key: str) -> str:
    start = html.index(f'<section aria-labelledby="h-{key}"')
    return html[start:html.index("</section>", start)]


# --------------------------------------------------------------------------------------- API


def test_api_compare_shows_both_values(client: TestClient, reader: dict[str, str],
                                       stored: Stored) -> None:
    a, b = stored.scans
    body = client.get(f"{API}/compare", headers=reader, params={"a": a, "b": b}).json()
    dates = [c for c in body["worsened"] if c["rule"] == "contrast.text"]
    assert [(c["value_a"], c["value_b"], c["threshold_b"], c["change"]) for c in dates] == [
        (2.85, 1.61, 4.5, "worsened")] * 3
    assert body["counts"]["worsened"] == len(body["worsened"])
    assert body["counts"]["regressions"] == len(body["worsened"]) + len(body["new"])
    assert not [c for c in body["unchanged"] if c["rule"] == "contrast.text"]


def test_api_compare_rounds(client: TestClient, reader: dict[str, str], stored: Stored) -> None:
    get = lambda **p: client.get(f"{API}/compare/rounds", headers=reader, params=p)  # noqa: E731
    response = get(batch=BATCH)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["a"]["round"], body["b"]["round"]) == (1, 2)
    first, second = body["sites"]
    assert first["site_id"] == stored.site and first["presence"] == "both"
    assert first["counts"]["worsened"] >= 4 and first["counts"]["regressions"] > 0
    assert (first["scan_a"], first["scan_b"]) == stored.scans
    assert (second["presence"], second["counts"], second["score_a"]) == ("only_b", None, None)
    assert body["totals"]["sites_regressed"] == 1 and body["totals"]["sites_only_b"] == 1
    assert get(batch=BATCH, round=2).json() == body
    assert get(a=stored.rounds[0], b=stored.rounds[1]).json() == body
    first_round = get(batch=BATCH, round=1)
    assert first_round.status_code == 404
    assert first_round.json()["message"] == f'Batch "{BATCH}" has no round before round 1.'
    zh = client.get(f"{API}/compare/rounds", headers={**reader, "Accept-Language": "zh-CN"},
                    params={"batch": BATCH, "round": 5})
    assert zh.json()["message"] == f"没有找到批次“{BATCH}”的第 5 轮。"
    assert get(a=stored.rounds[0], b=999).status_code == 404
    assert get().status_code == 422
    assert get(batch=BATCH, a=1).status_code == 422
    assert get(batch=BATCH, round=0).status_code == 422


# --------------------------------------------------------------------------------- dashboard


def test_compare_page_in_english(pages: TestClient, stored: Stored) -> None:
    a, b = stored.scans
    html = pages.get("/compare", params={"a": a, "b": b, "lang": "en"}).text
    assert html.index('id="worsened"') < html.index('id="new"') < html.index('id="fixed"')
    worse = _section(html, "worsened")
    assert "Worse (regressions)" in worse
    assert re.search(r"Regressions: \d+ \(\d+ worse, \d+ new\)\. Fixed: \d+", html)
    assert worse.count('<strong class="regression">regression</strong>') == worse.count("<tr") - 1
    assert "A: 2.85 → B: 1.61 (threshold 4.5)" in worse
    # messages in the page's language, from each scan's own data
    assert "has contrast 2.85:1" in worse and "has contrast 1.61:1" in worse
    assert "the most common size is 16 px" in worse and "the most common size is 14 px" in worse
    assert "对比度" not in html and "正文中" not in html and "退步" not in html
    assert "regression" not in _section(html, "fixed")
    # the scans were picked from lists: the site's two scans, with batch and round
    for side, chosen, other, number in (("a", a, b, 1), ("b", b, a, 2)):
        select = html[html.index(f'<select id="f-{side}"'):]
        select = select[:select.index("</select>")]
        picked = re.search(rf'<option value="{chosen}" selected>([^<]*)</option>', select)
        assert picked and f"{BATCH} round {number} · " in picked.group(1)
        assert f'<option value="{other}">' in select
    assert 'name="site"' in html and 'type="number"' not in html


def test_compare_page_in_chinese(pages: TestClient, stored: Stored) -> None:
    a, b = stored.scans
    html = pages.get("/compare", params={"a": a, "b": b, "lang": "zh"}).text
    worse = _section(html, "worsened")
    assert "变差（退步）" in worse and '<strong class="regression">退步</strong>' in worse
    assert "A：2.85 → B：1.61（标准 4.5）" in worse
    assert "对比度为 2.85:1" in worse and "对比度为 1.61:1" in worse
    assert "主要字号 16px" in worse and "主要字号 14px" in worse
    assert "has contrast" not in html and "regression" not in html.replace(
        'class="regression', "")
    # choosing a site lists its scans, newest first, the latest two preselected
    picked = pages.get("/compare", params={"site": stored.site}).text
    assert re.search(rf'<option value="{b}" selected>[^<]*第 2 轮', picked)
    assert re.search(rf'<option value="{a}" selected>[^<]*第 1 轮', picked)
    assert pages.get("/compare", params={"a": a, "b": 999999}).status_code == 404
    bad = pages.get("/compare", params={"a": a, "b": "x"})
    assert bad.status_code == 400 and "请选择两次检测。" in bad.text


def test_round_page(pages: TestClient, stored: Stored) -> None:
    a, b = stored.scans
    for lang, regressed, only in (("en", "regressions: ", "only in round 2"),
                                  ("zh", "退步 ", "仅在第 2 轮中")):
        response = pages.get("/compare/rounds", params={"batch": BATCH, "lang": lang})
        assert response.status_code == 200
        html = response.text
        table = html[html.index('id="round-sites"'):]
        assert regressed in table and only in table
        assert f'href="/compare?a={a}&amp;b={b}' in table
        assert "<script>window.__pwned" not in html and "&lt;script&gt;" in html
    first = pages.get("/compare/rounds", params={"batch": BATCH, "round": 1})
    assert first.status_code == 404 and "第 1 轮之前没有可对比的轮次" in first.text
    form = pages.get("/compare").text
    assert f'<option value="{BATCH}">{BATCH}</option>' in form
    assert '<option value="2">第 2 轮</option>' in form
