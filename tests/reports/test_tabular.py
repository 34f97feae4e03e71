"""CSV and XLSX of a real scan, and batch rankings read from a real SQLite store."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from elderscan.reports import ReportSource
from elderscan.reports.digest import rule_title
from elderscan.reports.tabular import (
    guard,
    ranking_csv,
    ranking_xlsx,
    render_csv,
    render_xlsx,
    sheet_title,
)
from elderscan.store import (
    RankingRow,
    batch_ranking,
    claim_scan,
    create_batch,
    make_engine,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)
from reports.variants import (
    CONTROL_TITLE,
    FORMULA_MESSAGE,
    FORMULA_TITLE,
    failed_scan,
    with_failed_page,
    with_hostile_cells,
)

HOSTILE_TITLE = "<script>window.__pwned=1</script>"


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _sheet_rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("北京 =1", "北京 =1"), ("", ""), (-2.5, -2.5),
    (None, None),
])
def test_guard(value: Any, expected: Any) -> None:
    assert guard(value) == expected


def test_csv_has_one_row_per_finding(source: ReportSource) -> None:
    rows = _csv_rows(render_csv(source, "en"))
    header, body = rows[0], rows[1:]
    assert header == ["Page URL", "Viewport", "Mode", "Rule", "Rule title", "Dimension",
                      "Outcome", "Severity", "Clause", "Selector", "Value", "Threshold",
                      "Message"]
    findings = [(p, f) for p in source.report.pages for f in p.findings]
    assert len(body) == len(findings) == source.report.summary.fail + \
        source.report.summary.review + source.report.summary.pass_
    for row, (page, finding) in zip(body, findings, strict=True):
        assert row[0] == page.url and row[3] == finding.rule
        assert row[4] == rule_title(finding.rule, "en")
        assert row[6] == finding.outcome
        assert row[9] == (finding.selector or "")
    contrast = next(r for r in body if r[3] == "contrast.text" and r[6] == "fail")
    assert contrast[5] == "Contrast" and float(contrast[10]) < float(contrast[11]) == 4.5
    assert any('<img src=x onerror="window.__pwned=3">' in r[12] for r in body)


def test_csv_headers_and_messages_follow_the_language(source: ReportSource) -> None:
    zh = _csv_rows(render_csv(source, "zh"))
    en = _csv_rows(render_csv(source, "en"))
    assert zh[0][:4] == ["页面地址", "视口", "模式", "规则"] and en[0][0] == "Page URL"
    i = next(n for n, r in enumerate(en) if r[3] == "contrast.text" and r[6] == "fail")
    assert "对比度" in zh[i][12] and zh[i][6] == "不通过" and zh[i][5] == "对比度"
    assert "contrast" in en[i][12]


def test_formula_cells_are_quoted_in_csv(source: ReportSource) -> None:
    rows = _csv_rows(render_csv(with_hostile_cells(source), "en"))
    assert ["'@import", "'" + FORMULA_MESSAGE] in [[r[9], r[12]] for r in rows]
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_xlsx_reads_back(source: ReportSource) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(with_failed_page(source), "en")))
    assert book.sheetnames == ["Summary", "Findings", "Pages"]
    summary = dict(_sheet_rows(book["Summary"]))
    score = source.report.score or {}
    assert summary["Target"] == source.report.target
    assert summary["Total"] == score["total"] and summary["Grade"] == score["grade"]
    assert summary["Passed"] == ("yes" if score["passed"] else "no")
    assert summary["Contrast"] == score["dimensions"]["contrast"]
    assert summary["Status"] == "partly done" and summary["Failed pages"] == 1
    assert summary["Engine: Chromium version"] == source.report.engine.chromium

    findings = book["Findings"]
    rows = _sheet_rows(findings)
    assert rows[0][3] == "Rule" and len(rows) - 1 == sum(
        len(p.findings) for p in source.report.pages) + 1  # + the failed page's page.load
    assert findings.freeze_panes == "A2"
    assert findings.auto_filter.ref == f"A1:M{len(rows)}"
    assert findings.column_dimensions["M"].width == 60
    numeric = next(r for r in rows[1:] if r[3] == "contrast.text" and r[6] == "fail")
    assert isinstance(numeric[10], float) and numeric[11] == 4.5

    pages = _sheet_rows(book["Pages"])
    assert len(pages) == 4
    assert HOSTILE_TITLE in pages[1][5]
    assert pages[3][0].endswith("gone.html") and pages[3][4] == 404
    assert pages[3][12] == "the server answered with an error status"  # the code in words


def test_xlsx_quotes_formulas_and_drops_control_characters(source: ReportSource) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(with_hostile_cells(source), "zh")))
    assert book.sheetnames == ["概览", "问题", "页面"]
    pages = book["页面"]
    title = pages["F2"]
    assert title.value == "'" + FORMULA_TITLE and title.data_type == "s"
    assert pages["F3"].value == "北溪\ufffd县\ufffd人民\ufffd政府\ufffd" != CONTROL_TITLE
    cells = [c for row in book["问题"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + FORMULA_MESSAGE in [c.value for c in cells]


def test_failed_scan_renders() -> None:
    book = load_workbook(io.BytesIO(render_xlsx(failed_scan(), "en")))
    summary = dict(_sheet_rows(book["Summary"]))
    assert summary["Status"] == "failed"
    assert summary["Error"] == "the host name does not resolve (DNS failure) (name not resolved)"
    assert _sheet_rows(book["Findings"]) == [[
        "Page URL", "Viewport", "Mode", "Rule", "Rule title", "Dimension", "Outcome",
        "Severity", "Clause", "Selector", "Value", "Threshold", "Message"]]
    assert len(_csv_rows(render_csv(failed_scan(), "en"))) == 1


# --------------------------------------------------------------------------------- rankings

SITES = [("北京市政府", "https://www.beijing.gov.cn/", "gov", "北京", 88.0),
         ("上海市政府", "https://www.shanghai.gov.cn/", "gov", "上海", 61.5),
         ("北京银行", "https://www.bankofbeijing.com.cn/", "bank", "北京", 72.0),
         ("=HYPERLINK(\"http://x\")", "https://www.bosc.cn/", "bank", "上海", 40.0)]


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          source: ReportSource) -> Iterator[tuple[Engine, int]]:
    """A SQLite store with one batch round of four sites, each with the real scan result
    (scored as in SITES), saved as a runner saves it."""
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        ids = [upsert_site(s, name, site_url, category, region).id
               for name, site_url, category, region, _ in SITES]
        batch = create_batch(s, "2026 第四季度", ids)
        batch_id = batch.id
        scans = {scan.site_id: scan.id for scan in batch.scans}
    for site_id, (*_, total) in zip(ids, SITES, strict=True):
        report = source.report.model_copy(deep=True)
        score = dict(report.score or {})
        score.update(total=total, passed=total >= 60,
                     dimensions={**score["dimensions"], "contrast": total - 10})
        if total < 60:
            score["vetoes"] = [{"rule": "ads.elder-mode", "message": "关怀版有弹窗"}]
        report.score = score
        with session_scope(engine) as s:
            assert claim_scan(s, scans[site_id], "w1") is not None
        with session_scope(engine) as s:
            save_result(s, scans[site_id], report, data_root=tmp_path / "data")
    yield engine, batch_id
    engine.dispose()


def _ranking(store: tuple[Engine, int], category: str | None = None,
             region: str | None = None) -> list[RankingRow]:
    engine, batch_id = store
    with session_scope(engine) as s:
        rows: list[RankingRow] = batch_ranking(s, batch_id, category=category, region=region)
        return rows


def test_ranking_csv_with_filters(store: tuple[Engine, int]) -> None:
    rows = _csv_rows(ranking_csv(_ranking(store), "zh"))
    assert rows[0][:8] == ["排名", "网站名称", "网址", "类别", "地区", "总分", "等级", "是否达标"]
    assert rows[0][8:14] == ["适老模式", "字号与排版", "对比度", "语音朗读", "广告与弹窗", "无障碍"]
    assert [(r[0], r[1], r[5], r[7]) for r in rows[1:]] == [
        ("1", "北京市政府", "88.0", "是"), ("2", "北京银行", "72.0", "是"),
        ("3", "上海市政府", "61.5", "是"), ("4", "'=HYPERLINK(\"http://x\")", "40.0", "否")]
    assert rows[1][10] == "78.0"  # contrast, one of the dimension columns
    assert rows[4][14] == "ads.elder-mode"

    beijing = _csv_rows(ranking_csv(_ranking(store, region="北京"), "en"))
    assert beijing[0][0] == "Rank"
    assert [(r[0], r[1], r[4]) for r in beijing[1:]] == [("1", "北京市政府", "北京"),
                                                        ("2", "北京银行", "北京")]
    banks = _csv_rows(ranking_csv(_ranking(store, category="bank", region="上海"), "en"))
    assert [r[1] for r in banks[1:]] == ["'=HYPERLINK(\"http://x\")"]


def test_ranking_xlsx_has_a_filter_to_cut_by_region_and_category(
        store: tuple[Engine, int]) -> None:
    rows = _ranking(store, category="gov")
    book = load_workbook(io.BytesIO(ranking_xlsx(rows, "zh", "2026 第四季度: 政府网站")))
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "2026 第四季度  政府网站"
    assert sheet["A1"].value == "2026 第四季度: 政府网站"
    table = _sheet_rows(sheet)[1:]
    assert table[0][3:5] == ["类别", "地区"]
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in table[1:]] == [
        (1, "北京市政府", "gov", "北京", 88.0), (2, "上海市政府", "gov", "上海", 61.5)]
    assert sheet.auto_filter.ref == "A2:W4"
    assert sheet.freeze_panes == "A3"

    everyone = load_workbook(io.BytesIO(ranking_xlsx(_ranking(store), "en")))["Ranking"]
    name = everyone["B6"]
    assert name.value == "'=HYPERLINK(\"http://x\")" and name.data_type == "s"


@pytest.mark.parametrize(("title", "expected"), [
    ("a/b:c", "a b c"), ("x" * 40, "x" * 31), ("'[]'", "Ranking"), ("排名", "排名")])
def test_sheet_title(title: str, expected: str) -> None:
    assert sheet_title(title) == expected
