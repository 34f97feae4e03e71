"""The HTML report's versions section: worded in zh/en from one catalogue, escaped, absent
when the probe did not run."""

from __future__ import annotations

from elderscan.contract import ScanReport
from elderscan.reports import ReportSource
from elderscan.reports.html import render
from elderscan.reports.versions import version_rows, version_summary

TIBETAN = {"kind": "language", "lang": "bo", "label": "བོད་ཡིག 藏文版", "how": "link",
           "url": "http://x.gov.cn/bo/", "status": 404, "verified": None, "lang_attr": None,
           "glyphs_ok": None}
TRAD = {"kind": "traditional", "lang": "zh-Hant", "label": "<b>繁體</b>", "how": "toggle",
        "url": "http://x.gov.cn/", "status": None, "verified": 0.98, "lang_attr": "zh-CN",
        "glyphs_ok": True}
SIMPLE = {"kind": "simple", "lang": None, "label": "简洁版", "how": "link",
          "url": "http://x.gov.cn/jj/", "status": 200, "verified": None, "lang_attr": "zh-CN",
          "glyphs_ok": False}


def test_rows_say_each_field_in_words() -> None:
    zh = version_rows([TIBETAN, TRAD, SIMPLE], "zh")
    cells = ("name", "how", "status", "verified", "glyphs", "bad")
    assert [tuple(r[c] for c in cells) for r in zh] == [
        ("藏文（bo）", "链接", 404, "未测", "未测", True),
        ("繁體中文（zh-Hant）", "页内切换", "—", "98%", "正常", False),
        ("简洁版", "链接", 200, "未测", "有方框（缺字体）", True),
    ]
    en = version_rows([TIBETAN, TRAD, SIMPLE], "en")
    assert [r["name"] for r in en] == ["Tibetan (bo)", "traditional Chinese (zh-Hant)",
                                       "simple version"]
    assert version_summary([TIBETAN, TRAD], "zh") == "藏文（bo） · 繁體中文（zh-Hant）"
    assert version_rows(None, "zh") == []


def test_report_lists_versions_escaped_in_both_languages(source: ReportSource) -> None:
    report: ScanReport = source.report.model_copy(deep=True)
    report.versions = [TIBETAN, TRAD]
    zh = render(ReportSource(report, None), "zh").decode()
    assert "其他版本（民族语言、繁體、英文、简洁版）" in zh
    assert "藏文（bo）" in zh and "“བོད་ཡིག 藏文版”" in zh and "<td>404</td>" in zh
    assert "<b>繁體</b>" not in zh and "&lt;b&gt;繁體&lt;/b&gt;" in zh
    en = render(ReportSource(report, None), "en").decode()
    assert "Other versions" in en and "in-page switch" in en and "98%" in en
    report.versions = []
    assert "首页未发现其他版本" in render(ReportSource(report, None), "zh").decode()
    report.versions = None
    assert "其他版本" not in render(ReportSource(report, None), "zh").decode()
