"""The `csv` and `xlsx` reports, and batch rankings as spreadsheets.

Regulators work in Excel: a CSV carries a UTF-8 byte-order mark, without which Excel reads
Chinese as mojibake, and a workbook has filters on its header so a ranking can be cut by region
and category. Scanned text ends up in cells, so every text cell that starts like a formula
(`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` (OWASP's CSV-injection advice): a page title
`=HYPERLINK(…)` stays text on the reader's machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from elderscan import clock
from elderscan.finding import Finding
from elderscan.i18n import CATALOGUE, text
from elderscan.reports.digest import (
    DIMENSIONS,
    Lang,
    dimension_name,
    dimension_of,
    message,
    outcome_name,
    rule_title,
    unjudged,
    unjudged_text,
)
from elderscan.reports.junit import xml_safe
from elderscan.reports.source import ReportSource
from elderscan.result import PageResult, ScanReport
from elderscan.store.views import GroupSummary, RankingRow

if TYPE_CHECKING:
    from elderscan.reports.rankings import RankingData

Cell = str | int | float | bool | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60

FINDING_COLUMNS: tuple[tuple[str, str, int], ...] = (
    # (zh, en, width)
    ("页面地址", "Page URL", 40), ("视口", "Viewport", 9), ("模式", "Mode", 9),
    ("规则", "Rule", 22), ("规则名称", "Rule title", 28), ("维度", "Dimension", 14),
    ("结果", "Outcome", 10), ("严重程度", "Severity", 10), ("条款", "Clause", 24),
    ("元素选择器", "Selector", 36), ("测量值", "Value", 10), ("阈值", "Threshold", 10),
    ("说明", "Message", 60),
)
PAGE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("页面地址", "Page URL", 40), ("最终地址", "Final URL", 40), ("视口", "Viewport", 9),
    ("模式", "Mode", 9), ("HTTP 状态", "HTTP status", 10), ("标题", "Title", 36),
    ("主要字号(px)", "Main text (px)", 12), ("≥18px 占比", "Share ≥ 18 px", 12),
    ("对比度不通过", "Contrast failures", 12), ("不通过", "Fail", 8),
    ("需复核", "Review", 8), ("通过", "Pass", 8), ("加载失败原因", "Load failure", 16),
)
RANKING_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("排名", "Rank", 6), ("网站名称", "Site", 24), ("网址", "URL", 36),
    ("类别", "Category", 10), ("地区", "Region", 10), ("总分", "Total", 8),
    ("等级", "Grade", 6), ("是否达标", "Passed", 9),
    *((zh, en, 12) for zh, en in DIMENSIONS.values()),
    ("一票否决", "Vetoes", 24), ("完成时间", "Finished", 20), ("扫描编号", "Scan id", 9),
    # added with every site of a round ranked (failed ones last) and the previous round
    *((*CATALOGUE[key], width) for key, width in (
        ("rankings.col.status", 10), ("rankings.col.reason", 30),
        ("rankings.col.previous", 10), ("rankings.col.delta", 12),
        ("rankings.col.veto", 40), ("rankings.col.detail", 40))),
)
SUMMARY_COLUMNS: tuple[tuple[str, str, int], ...] = tuple(
    (*CATALOGUE[key], width) for key, width in (
        ("rankings.summary.by", 12), ("rankings.summary.group", 16),
        ("rankings.summary.sites", 8), ("rankings.summary.scored", 8),
        ("rankings.summary.passed", 8), ("rankings.summary.failed", 10),
        ("rankings.summary.rate", 10), ("rankings.summary.average", 10)))


def guard(value: Cell) -> Cell:
    """A text cell a spreadsheet will not run as a formula; numbers and booleans pass as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _headers(columns: Sequence[tuple[str, str, int]], lang: Lang) -> list[str]:
    return [zh if lang == "zh" else en for zh, en, _ in columns]


def _yes_no(value: bool | None, lang: Lang) -> str:
    if value is None:
        return ""
    if lang == "zh":
        return "是" if value else "否"
    return "yes" if value else "no"


def finding_row(page: PageResult, finding: Finding, lang: Lang) -> list[Cell]:
    dimension = dimension_of(finding.rule)
    return [page.url, page.viewport, page.mode, finding.rule, rule_title(finding.rule, lang),
            dimension_name(dimension, lang) if dimension else "",
            outcome_name(finding.outcome, lang), finding.severity, finding.clause,
            finding.selector, finding.value, finding.threshold, message(finding, lang)]


def finding_rows(report: ScanReport, lang: Lang) -> list[list[Cell]]:
    return [finding_row(page, f, lang) for page in report.pages for f in page.findings]


def _metric(page: PageResult, group: str, name: str) -> Cell:
    value = page.metrics.get(group, {}).get(name)
    return value if isinstance(value, int | float) else None


def page_row(page: PageResult) -> list[Cell]:
    counts = {o: sum(f.outcome == o for f in page.findings) for o in ("fail", "review", "pass")}
    load = next((f for f in page.findings if f.rule == "page.load"), None)
    return [page.url, page.final_url, page.viewport, page.mode, page.http_status, page.title,
            _metric(page, "font", "dominant_px"), _metric(page, "font", "share_ge_18px"),
            _metric(page, "contrast", "failed"), counts["fail"], counts["review"],
            counts["pass"], None if load is None else str(load.value)]


def _local_time(moment: datetime | None) -> str | None:
    """ISO 8601 in the configured zone, offset included: read as local time, still exact."""
    when = clock.local(moment)
    return None if when is None else when.isoformat(timespec="seconds")


def ranking_row(row: RankingRow, lang: Lang, data: RankingData | None = None) -> list[Cell]:
    from elderscan.reports.rankings import reason, status_text, veto_texts

    vetoes = "; ".join(str(v.get("rule", "")) for v in row.vetoes)
    found = data.vetoes if data is not None else {}
    return [row.rank, row.name, row.url, row.category, row.region, row.score_total, row.grade,
            _yes_no(row.passed, lang), *(row.dimensions.get(d) for d in DIMENSIONS), vetoes,
            _local_time(row.finished_at),
            row.scan_id, status_text(row.status, lang), reason(row, lang), row.previous_score,
            row.change, text("rankings.join", lang).join(veto_texts(row, found, lang)) or None,
            row.error_message]


def summary_row(group: GroupSummary, lang: Lang) -> list[Cell]:
    from elderscan.reports.rankings import summary_label

    return [text(f"rankings.summary.{group.by}", lang), summary_label(group, lang),
            group.sites, group.scored, group.passed, group.failed, group.pass_rate,
            group.average]


# ------------------------------------------------------------------------------------- CSV


def _csv(header: list[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else guard(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig", errors="replace")


def render_csv(source: ReportSource, lang: Lang = "zh") -> bytes:
    return _csv(_headers(FINDING_COLUMNS, lang), finding_rows(source.report, lang))


def ranking_csv(rows: Sequence[RankingRow], lang: Lang = "zh",
                data: RankingData | None = None) -> bytes:
    """Every site of the round, one row each (failed ones last, with their reason)."""
    return _csv(_headers(RANKING_COLUMNS, lang), (ranking_row(r, lang, data) for r in rows))


# ------------------------------------------------------------------------------------ XLSX


def _xlsx_cell(value: Cell) -> Cell:
    guarded = guard(value)
    return xml_safe(guarded) if isinstance(guarded, str) else guarded


def _table(sheet: Worksheet, columns: Sequence[tuple[str, str, int]], rows: Iterable[
        Sequence[Cell]], lang: Lang, first_row: int = 1) -> None:
    """Header in bold, frozen, with a filter over the whole table."""
    for col, header in enumerate(_headers(columns, lang), start=1):
        sheet.cell(first_row, col, header).font = Font(bold=True)
    last = first_row
    for last, row in enumerate(rows, start=first_row + 1):
        for col, value in enumerate(row, start=1):
            sheet.cell(last, col, _xlsx_cell(value))
    for col, (_, _, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(width, MAX_WIDTH)
    end = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{first_row}:{end}{last}"
    sheet.freeze_panes = f"A{first_row + 1}"


def _summary_rows(source: ReportSource, lang: Lang) -> list[tuple[str, Cell]]:
    report = source.report
    score: dict[str, Any] = report.score or {}
    zh = lang == "zh"
    rows: list[tuple[str, Cell]] = []
    if source.site.get("name"):
        rows.append(("网站" if zh else "Site", source.site["name"]))
    rows += [
        ("目标地址" if zh else "Target", report.target),
        ("状态" if zh else "Status", report.status),
        ("开始时间" if zh else "Started", clock.show(report.started_at, lang, seconds=True)),
        ("结束时间" if zh else "Finished", clock.show(report.finished_at, lang, seconds=True)),
        ("总分" if zh else "Total", score.get("total")),
        ("等级" if zh else "Grade", score.get("grade")),
        ("是否达标" if zh else "Passed", _yes_no(score.get("passed"), lang)),
        ("达标线" if zh else "Pass line", score.get("pass_line")),
    ]
    dimensions: dict[str, Any] = score.get("dimensions") or {}
    rows += [(dimension_name(d, lang), dimensions.get(d)) for d in DIMENSIONS]
    vetoes = score.get("vetoes") or []
    rows.append(("一票否决" if zh else "Vetoes",
                 "; ".join(f"{v.get('rule')}: {v.get('message')}" for v in vetoes) or None))
    rows.append((unjudged_text("head", lang),
                 "; ".join(u.text for u in unjudged(score, lang)) or None))
    if report.error is not None:
        rows.append(("错误" if zh else "Error", f"{report.error.code}: {report.error.message}"))
    summary = report.summary
    rows += [("页面数" if zh else "Pages", summary.pages),
             ("加载失败页面" if zh else "Failed pages", summary.failed_pages),
             (outcome_name("fail", lang), summary.fail),
             (outcome_name("review", lang), summary.review),
             (outcome_name("pass", lang), summary.pass_)]
    rows += [(f"{'引擎' if zh else 'Engine'}: {name}", value)
             for name, value in report.engine.model_dump().items()]
    return rows


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_xlsx(source: ReportSource, lang: Lang = "zh") -> bytes:
    zh = lang == "zh"
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "概览" if zh else "Summary"
    for row, (label, value) in enumerate(_summary_rows(source, lang), start=1):
        summary.cell(row, 1, label).font = Font(bold=True)
        summary.cell(row, 2, _xlsx_cell(value))
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = MAX_WIDTH
    _table(workbook.create_sheet("问题" if zh else "Findings"), FINDING_COLUMNS,
           finding_rows(source.report, lang), lang)
    _table(workbook.create_sheet("页面" if zh else "Pages"), PAGE_COLUMNS,
           (page_row(p) for p in source.report.pages), lang)
    workbook.properties.title = xml_safe(source.report.target)
    return _save(workbook)


def sheet_title(title: str) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of `[]:*?/\\`."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in xml_safe(title)).strip("' ")
    return cleaned[:31] or "Ranking"


def ranking_xlsx(rows: Sequence[RankingRow], lang: Lang = "zh", title: str = "",
                 data: RankingData | None = None) -> bytes:
    """The ranking sheet: the title on row 1, the ranking below it with a filter on every
    column; with `data`, a second sheet of pass rate and average by region and category."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title(title or ("排名" if lang == "zh" else "Ranking"))
    sheet.cell(1, 1, _xlsx_cell(title or sheet.title)).font = Font(bold=True, size=14)
    _table(sheet, RANKING_COLUMNS, (ranking_row(r, lang, data) for r in rows), lang,
           first_row=2)
    if data is not None:
        groups = [*data.by_region, *data.by_category]
        _table(workbook.create_sheet(sheet_title(text("rankings.sheet.summary", lang))),
               SUMMARY_COLUMNS, (summary_row(g, lang) for g in groups), lang)
    workbook.properties.title = xml_safe(title) or None
    return _save(workbook)
