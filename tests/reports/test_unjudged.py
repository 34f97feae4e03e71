"""A rule that could not run is named, with why, wherever the score is shown: the terminal, the
HTML, Markdown and XLSX reports (JUnit and SARIF carry the page's rule error), all in the
reader's language from one text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from elderscan.cli import summary
from elderscan.contract import parse_report
from elderscan.reports import ReportSource
from elderscan.reports.digest import unjudged
from elderscan.reports.html import render as render_html
from elderscan.reports.junit import render as render_junit
from elderscan.reports.markdown import render as render_md
from elderscan.reports.sarif import render as render_sarif
from elderscan.reports.tabular import render_xlsx

STORED = Path(__file__).resolve().parents[1] / "store" / "data" / "gov-elder-link.json"
REASON = ("motion was not captured: the page left http://127.0.0.1/ by itself during the "
          "motion probe (a script redirect or reload on a timer), so it could not be watched")
SAID = {"en": REASON,
        "zh": "未能取得动效检测的结果：在动效检测期间，页面自行离开了 http://127.0.0.1/（脚本跳转或"
              "定时刷新），因此无法检测"}
"""The stored reason, and as a reader of each language reads it."""
PART = {"en": "by itself during the motion probe", "zh": "在动效检测期间，页面自行离开了"}


@pytest.fixture
def source() -> ReportSource:
    """A stored result whose home page's motion probe could not finish."""
    data = json.loads(STORED.read_text("utf-8"))
    data["score"]["unjudged"] = [{"rule": "motion.timing", "dimension": "accessibility",
                                  "reason": REASON, "count": 1}]
    data["pages"][0]["rule_errors"] = [{"rule": "motion.timing", "message": REASON}]
    return ReportSource(parse_report(data, "test"), None)


@pytest.mark.parametrize(("lang", "head", "title"), [
    ("zh", "未能判定的规则", "无自动刷新、自动轮播和自动播放声音"),
    ("en", "Rules that could not be judged", "No timed refresh"),
])
def test_every_report_names_the_rule_and_why(source: ReportSource, lang: str, head: str,
                                             title: str) -> None:
    items = unjudged(source.report.score, lang)  # type: ignore[arg-type]
    assert [(u.rule, u.reason, u.count) for u in items] == [("motion.timing", SAID[lang], 1)]
    assert title in items[0].title
    html = render_html(source, lang).decode()  # type: ignore[arg-type]
    assert 'id="unjudged"' in html and head in html and "motion.timing" in html
    assert PART[lang] in html
    md = render_md(source, lang).decode()  # type: ignore[arg-type]
    assert head in md and "motion.timing" in md and PART[lang] in md
    sheet = load_workbook(io.BytesIO(render_xlsx(source, lang))).worksheets[0]  # type: ignore[arg-type]
    rows = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    assert "motion.timing" in rows[head] and SAID[lang] in rows[head]
    junit = render_junit(source, lang).decode()  # type: ignore[arg-type]
    assert 'type="rule-error"' in junit and PART[lang] in junit
    sarif = json.loads(render_sarif(source, lang))  # type: ignore[arg-type]
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["properties"]["score"]["unjudged"][0]["rule"] == "motion.timing"
    assert any(n["descriptor"]["id"] == "motion.timing"
               for n in invocation["toolExecutionNotifications"])


def test_the_terminal_names_the_rule_and_why(source: ReportSource,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(summary, "out", Console(file=buffer, width=400))
    summary.print_verdict(source.report, "en")
    text = buffer.getvalue()
    assert "Rules that could not be judged" in text
    assert "computed from the rules that ran" in text
    assert "(motion.timing, Accessibility, could not run 1×)" in text and REASON in text


def test_nothing_is_said_when_every_rule_ran(source: ReportSource) -> None:
    assert source.report.score is not None
    source.report.score["unjudged"] = []
    assert 'id="unjudged"' not in render_html(source, "zh").decode()
    assert "未能判定" not in render_md(source, "zh").decode()


@pytest.mark.parametrize(("stored", "zh"), [
    ("focus was not captured", "未能取得键盘焦点检测的结果"),
    ("reflow was not captured: not run: the page left https://a.gov.cn/x by itself during the "
     "focus probe (a script redirect or reload on a timer)",
     "未能取得放大到 200% 的检测结果：未运行：在键盘焦点检测期间，页面自行离开了 https://a.gov.cn/x"
     "（脚本跳转或定时刷新）"),
    ("screenshot was not captured: the screenshot took longer than 30s",
     "未能取得页面截图：截图超过 30 秒仍未完成"),
    ("axe was not captured: Execution context was destroyed",
     "未能取得无障碍检测（axe-core）的结果：Execution context was destroyed"),
    # a driver's own words that happen to end like a phrase stay as they are
    ("motion was not captured: Timeout 1 seconds was not captured",
     "未能取得动效检测的结果：Timeout 1 seconds was not captured"),
    ("something else entirely", "something else entirely"),
])
def test_a_stored_reason_is_read_in_chinese(stored: str, zh: str) -> None:
    """The result keeps the English; a reader of Chinese gets the phrases in Chinese and only
    a driver's own words as they were."""
    from elderscan.i18n.reasons import said

    assert said(stored, "zh") == zh
    assert said(stored, "en") == stored


def test_every_part_a_rule_reads_has_a_name_in_chinese() -> None:
    """What a rule reads is what a reason names when it was not captured."""
    from elderscan.checks import REGISTRY
    from elderscan.i18n import has

    reads = {name for rule in REGISTRY.values()
             for name in (*rule.meta.reads, *rule.meta.reads_if_captured)}
    assert reads and {name for name in reads if not has(f"reasons.part.{name}")} == set()
