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
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from elderscan import clock
from elderscan.contract import PageResult, ScanReport
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
    severity_name,
    unjudged,
    unjudged_text,
)
from elderscan.reports.junit import xml_safe
from elderscan.reports.probes import veto_messages
from elderscan.reports.source import ReportSource
from elderscan.reports.wording import (
    clause_text,
    error_text,
    mode_name,
    status_name,
    value_text,
    viewport_name,
)
from elderscan.store.views import GroupSummary, RankingRow

if TYPE_CHECKING:
    from elderscan.reports.rankings import RankingData

Cell = str | int | float | bool | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60

def _col(key: str, width: int) -> tuple[str, str, int]:
    """A column: its header in zh and en (the catalogue's `reports.col.<key>`) and width."""
    zh, en = CATALOGUE[f"reports.col.{key}"]
    return zh, en, width


FINDING_COLUMNS: tuple[tuple[str, str, int], ...] = (
    # (zh, en, width)
    _col("page-url", 40), _col("viewport", 9), _col("mode", 9), _col("rule", 22),
    _col("rule-title", 28), _col("dimension", 14), _col("outcome", 10), _col("severity", 10),
    _col("clause", 24), _col("selector", 36), _col("value", 10), _col("threshold", 10),
    _col("message", 60),
)
PAGE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    _col("page-url", 40), _col("final-url", 40), _col("viewport", 9), _col("mode", 9),
    _col("http", 10), _col("title", 36), _col("main-px", 12), _col("share-18", 12),
    _col("contrast-failures", 12), _col("fail", 8), _col("review", 8), _col("pass", 8),
    _col("load-failure", 16),
)
RANKING_COLUMNS: tuple[tuple[str, str, int], ...] = (
    _col("rank", 6), _col("site", 24), _col("url", 36), _col("category", 10),
    _col("region", 10), _col("total", 8), _col("grade", 6), _col("passed", 9),
    *((zh, en, 12) for zh, en in DIMENSIONS.values()),
    _col("vetoes", 24), _col("finished", 20), _col("scan-id", 9),
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
    return text("reports.yes" if value else "reports.no", lang)


def finding_row(page: PageResult, finding: Finding, lang: Lang) -> list[Cell]:
    dimension = dimension_of(finding.rule)
    return [page.url, viewport_name(page.viewport, lang), mode_name(page.mode, lang),
            finding.rule, rule_title(finding.rule, lang),
            dimension_name(dimension, lang) if dimension else "",
            outcome_name(finding.outcome, lang), severity_name(finding.severity, lang),
            clause_text(finding.clause, lang), finding.selector, _value(finding.value, lang),
            _value(finding.threshold, lang), message(finding, lang)]


def _value(value: Cell | Any, lang: Lang) -> Cell:
    """Numbers stay numbers (a spreadsheet sums them); words are said in `lang`."""
    if value is None or isinstance(value, int | float):
        return value
    return value_text(value, lang)


def finding_rows(report: ScanReport, lang: Lang) -> list[list[Cell]]:
    return [finding_row(page, f, lang) for page in report.pages for f in page.findings]


def _metric(page: PageResult, group: str, name: str) -> Cell:
    value = page.metrics.get(group, {}).get(name)
    return value if isinstance(value, int | float) else None


def page_row(page: PageResult, lang: Lang = "zh") -> list[Cell]:
    counts = {o: sum(f.outcome == o for f in page.findings) for o in ("fail", "review", "pass")}
    load = next((f for f in page.findings if f.rule == "page.load"), None)
    return [page.url, page.final_url, viewport_name(page.viewport, lang),
            mode_name(page.mode, lang), page.http_status, page.title,
            _metric(page, "font", "dominant_px"), _metric(page, "font", "share_ge_18px"),
            _metric(page, "contrast", "failed"), counts["fail"], counts["review"],
            counts["pass"], None if load is None else _value(load.value, lang)]


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
            row.scan_id, status_text(row.status, lang, row.error_code), reason(row, lang),
            row.previous_score,
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
    score: Mapping[str, Any] = report.score or {}
    def t(key: str) -> str:
        return text(f"reports.sum.{key}", lang)

    rows: list[tuple[str, Cell]] = []
    if source.site.get("name"):
        rows.append((t("site"), source.site["name"]))
    rows += [
        (t("target"), report.target),
        (t("status"), status_name(report.status, lang)),
        (t("started"), clock.show(report.started_at, lang, seconds=True)),
        (t("finished"), clock.show(report.finished_at, lang, seconds=True)),
        (t("total"), score.get("total")),
        (t("grade"), score.get("grade")),
        (t("passed"), _yes_no(score.get("passed"), lang)),
        (t("pass-line"), score.get("pass_line")),
    ]
    dimensions: dict[str, Any] = score.get("dimensions") or {}
    rows += [(dimension_name(d, lang), dimensions.get(d)) for d in DIMENSIONS]
    vetoes = score.get("vetoes") or []
    rows.append((t("vetoes"), text("reports.list", lang).join(
        text("reports.colon", lang, label=v.get("rule"), value=v.get("message"))
        for v in veto_messages(report, lang)) or None if vetoes else None))
    rows.append((unjudged_text("head", lang),
                 "; ".join(u.text for u in unjudged(score, lang)) or None))
    if report.error is not None:
        rows.append((t("error"), text("reports.paren", lang, text=error_text(
            report.error.code, report.error.message, lang), detail=report.error.message)))
    summary = report.summary
    rows += [(t("pages"), summary.pages),
             (t("failed-pages"), summary.failed_pages),
             (outcome_name("fail", lang), summary.fail),
             (outcome_name("review", lang), summary.review),
             (outcome_name("pass", lang), summary.pass_)]
    rows += [(text("reports.sum.engine", lang, name=text(f"reports.engine.{name}", lang)), value)
             for name, value in report.engine.model_dump().items()]
    return rows


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_xlsx(source: ReportSource, lang: Lang = "zh") -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = text("reports.sheet.summary", lang)
    for row, (label, value) in enumerate(_summary_rows(source, lang), start=1):
        summary.cell(row, 1, label).font = Font(bold=True)
        summary.cell(row, 2, _xlsx_cell(value))
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = MAX_WIDTH
    _table(workbook.create_sheet(text("reports.sheet.findings", lang)), FINDING_COLUMNS,
           finding_rows(source.report, lang), lang)
    _table(workbook.create_sheet(text("reports.sheet.pages", lang)), PAGE_COLUMNS,
           (page_row(p, lang) for p in source.report.pages), lang)
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
    sheet.title = sheet_title(title or text("reports.sheet.ranking", lang))
    sheet.cell(1, 1, _xlsx_cell(title or sheet.title)).font = Font(bold=True, size=14)
    _table(sheet, RANKING_COLUMNS, (ranking_row(r, lang, data) for r in rows), lang,
           first_row=2)
    if data is not None:
        groups = [*data.by_region, *data.by_category]
        _table(workbook.create_sheet(sheet_title(text("rankings.sheet.summary", lang))),
               SUMMARY_COLUMNS, (summary_row(g, lang) for g in groups), lang)
    workbook.properties.title = xml_safe(title) or None
    return _save(workbook)
