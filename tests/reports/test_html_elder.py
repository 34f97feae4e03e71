"""The HTML report shows every elder-mode candidate and why, in the report's language."""

from __future__ import annotations

from elderscan.reports import ReportSource
from elderscan.reports.html import render


def test_report_lists_candidates_with_how_and_reason(source: ReportSource) -> None:
    elder = source.report.elder_mode
    assert elder is not None and elder["candidates"] == [], elder  # the site has no entry
    elder["candidates"] = [{
        "text": "关怀版", "selector": "#care", "how": "click", "result": "not-effective",
        "outcome": "changed body[aria-ofstatus]: true", "reason": "text stayed 14 px"}, {
        "text": "无障碍", "selector": "#cniil_wza", "how": "not-tried", "result": "not-tried",
        "outcome": "not tried", "reason": "not tried: “关怀版” was already proven to work"}]
    elder["reason"] = "“关怀版” calls aria.ofStart(); text stayed 14 px"
    html = render(source, "en").decode("utf-8")
    assert "Entries considered (best first)" in html
    assert "<td>clicked</td>" in html and "<td>not tried</td>" in html
    assert "<td>not-tried</td>" not in html
    assert "was already proven to work" in html
    assert "“关怀版” calls aria.ofStart(); text stayed 14 px" in html
    zh = render(source, "zh").decode("utf-8")
    assert "考察过的入口" in zh and "<td>未尝试</td>" in zh
