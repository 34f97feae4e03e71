"""The HTML report shows every elder-mode candidate and why, in the report's language."""

from __future__ import annotations

from elderscan.reports import ReportSource
from elderscan.reports.html import render


def test_report_lists_candidates_with_how_and_reason(source: ReportSource) -> None:
    elder = source.report.elder_mode
    assert elder is not None and elder["candidates"] == [], elder  # the site has no entry
    elder["candidates"] = [{
        "text": "关怀版", "selector": "#care", "how": "click", "result": "effective",
        "changes": ["body[aria-ofstatus]: true"], "text_px": {"before": 14, "after": 20},
        "outcome": "changed body[aria-ofstatus]: true", "reason": "it works"}, {
        "text": "无障碍", "selector": "#cniil_wza", "how": "not-tried", "result": "not-tried",
        "skipped": "proven-earlier",
        "outcome": "未尝试", "reason": "未尝试：“关怀版”已证实有效"}]
    elder["reason"] = "“关怀版” calls aria.ofStart(); text stayed 14 px"
    html = render(source, "en").decode("utf-8")
    assert "Entries considered (best first)" in html
    assert "<td>clicked</td>" in html and "<td>not tried</td>" in html
    assert "<td>not-tried</td>" not in html
    # said again in the report's language from the facts, whatever the scan's language was
    assert "was already proven to work" in html and "已证实有效" not in html
    assert "changed body[aria-ofstatus]: true" in html and "text 14 px → 20 px" in html
    assert "“关怀版” calls aria.ofStart(); text stayed 14 px" in html
    zh = render(source, "zh").decode("utf-8")
    assert "考察过的入口" in zh and "<td>未尝试</td>" in zh
