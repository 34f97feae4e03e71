"""What a person reads on the dashboard and in files: times in the configured zone (Beijing
time by default), names in pinyin order, and the site page's six dimension numbers."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy import Engine

from elderscan.api.settings import ApiSettings
from elderscan.errors import UsageError
from elderscan.reports.html import render as render_html
from elderscan.reports.source import ReportSource
from elderscan.reports.tabular import ranking_csv
from elderscan.store import (
    batch_ranking,
    claim_scan,
    enqueue_scan,
    save_result,
    session_scope,
    upsert_site,
)

from .conftest import StoreData, report

FINISHED = "2026-11-24T08:10:00Z"  # 16:10 in Beijing
DIMS = {"elder_mode": 41.5, "font": 52.0, "contrast": 63.25, "voice": 74.0, "ads": 85.0,
        "accessibility": 96.5}


def _public(make_client: Any) -> Any:
    return make_client(ApiSettings(PUBLIC_READS=True))


def _scan_with_dimensions(engine: Engine) -> int:
    result = report("https://www.example.gov.cn/", 70.0, finished_at=FINISHED)
    assert result.score is not None
    result.score["dimensions"] = dict(DIMS)
    with session_scope(engine) as session:
        site = upsert_site(session, "某市人民政府", "https://www.example.gov.cn/", "gov", "某市")
        scan_id = enqueue_scan(session, site).id
        site_id = site.id
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, result)
    return site_id


def test_site_page_shows_the_six_dimension_numbers_and_weights(make_client: Any,
                                                               engine: Engine) -> None:
    site_id = _scan_with_dimensions(engine)
    html = _public(make_client).get(f"/sites/{site_id}").text
    table = html[html.index('id="site-dimensions"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'data-dimension="(\w+)">.*?class="num">([^<]*)</td>.*?class="num">'
                      r'([^<]*)</td>', table)
    assert [r[0] for r in rows] == list(DIMS)
    assert [float(r[1]) for r in rows] == [round(v, 1) for v in DIMS.values()]
    assert all(int(r[2]) > 0 for r in rows)  # each with its weight
    english = _public(make_client).get(f"/sites/{site_id}?lang=en").text
    assert "Six dimensions" in english and "Elder mode" in english


def test_times_are_beijing_time_by_default(make_client: Any, store: StoreData) -> None:
    site_id = store.scan("https://www.example.gov.cn/", 70.0, finished_at=FINISHED)
    client = _public(make_client)
    listing = client.get("/").text
    assert "2026-11-24 16:10（UTC+8）" in listing and "08:10" not in listing
    english = client.get(f"/sites/{site_id}?lang=en").text
    assert "2026-11-24 16:10 (UTC+8)" in english and "UTC</" not in english


def test_the_configured_zone_is_used_and_a_bad_one_stops_start_up(
        make_client: Any, store: StoreData, monkeypatch: pytest.MonkeyPatch) -> None:
    store.scan("https://www.example.gov.cn/", 70.0, finished_at=FINISHED)
    monkeypatch.setenv("ELDERSCAN_TIMEZONE", "Asia/Urumqi")  # UTC+6
    assert "2026-11-24 14:10（UTC+6）" in _public(make_client).get("/").text
    monkeypatch.setenv("ELDERSCAN_TIMEZONE", "Asia/Beijing")  # not an IANA name
    monkeypatch.setenv("ELDERSCAN_LANG", "en")
    with pytest.raises(UsageError, match="ELDERSCAN_TIMEZONE='Asia/Beijing' is not a time zone"):
        _public(make_client)


def test_reports_and_ranking_files_use_the_zone(store: StoreData, engine: Engine) -> None:
    result = report("https://www.example.gov.cn/", 70.0, finished_at=FINISHED)
    html = render_html(ReportSource(result, None), "zh").decode()
    assert "2026-11-24 16:00（UTC+8） – 2026-11-24 16:10（UTC+8）" in html
    batch_id = store.batch("一轮", [("某市人民政府", "https://a.example.gov.cn/", "gov", "某市",
                                    80.0)])
    with session_scope(engine) as session:
        rows = batch_ranking(session, batch_id)
    assert rows[0].finished_at is not None and rows[0].finished_at.utcoffset() is not None
    table = list(csv.reader(io.StringIO(ranking_csv(rows, "zh").decode("utf-8-sig"))))
    stamp = next(cell for cell in table[1] if re.fullmatch(r"\d{4}-\d\d-\d\dT.*", cell))
    assert stamp.endswith("+08:00")


def test_site_list_is_in_pinyin_order(make_client: Any, store: StoreData) -> None:
    names = ["上海市人民政府", "北京市人民政府", "重庆市人民政府", "安徽省人民政府",
             "Bank of Anhui"]
    for number, name in enumerate(names):
        store.scan(f"https://site{number}.example.cn/", 70.0, name=name)
    html = _public(make_client).get("/").text
    shown = sorted(names, key=html.index)
    assert shown == ["安徽省人民政府", "Bank of Anhui", "北京市人民政府", "重庆市人民政府",
                     "上海市人民政府"]
