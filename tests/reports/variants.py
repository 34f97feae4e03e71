"""The report site's real scan, changed the ways real scans differ: a page that failed to load,
a scan that reached no page, scanned text that looks like a formula or carries control bytes."""

from __future__ import annotations

from elderscan.capture import PageFailure
from elderscan.judge import failed_report, page_result
from elderscan.reports import ReportSource

FORMULA_TITLE = '=HYPERLINK("http://evil.example/","点我")'
FORMULA_MESSAGE = "+1+cmd|' /C calc'!A0"
CONTROL_TITLE = "北溪\x00县\x07人民\x1b政府\ud800"


def with_failed_page(source: ReportSource) -> ReportSource:
    """One more page that answered HTTP 404, recorded as the scanner records it."""
    report = source.report
    failure = PageFailure(url=report.target + "gone.html", final_url=None, http_status=404,
                          mode="standard", viewport="desktop", reason="http",
                          message="HTTP 404 Not Found")
    page, _ = page_result(failure, None)
    summary = report.summary.model_copy(update={
        "pages": report.summary.pages + 1, "fail": report.summary.fail + 1,
        "failed_pages": report.summary.failed_pages + 1})
    changed = report.model_copy(update={"pages": [*report.pages, page], "status": "partial",
                                        "summary": summary})
    return ReportSource(changed, source.screenshots_root)


def failed_scan() -> ReportSource:
    """A scan that never reached a page (DNS failure)."""
    return ReportSource(failed_report(
        "https://www.example.gov.cn/", "2026-11-24T08:00:00Z", "2026-11-24T08:00:01Z", "dns",
        "name not resolved", "156.0.1", "4.12.1"))


def with_hostile_cells(source: ReportSource) -> ReportSource:
    """The first page titled like a formula, its first failing finding's message one too, and
    the second page's title full of control characters."""
    report = source.report.model_copy(deep=True)
    first = report.pages[0]
    first.title = FORMULA_TITLE
    failing = next(f for f in first.findings if f.outcome == "fail" and f.selector)
    failing.message = FORMULA_MESSAGE
    failing.message_key = None  # keep the stored message in both languages
    failing.selector = "@import"
    report.pages[1].title = CONTROL_TITLE
    return ReportSource(report, source.screenshots_root)
