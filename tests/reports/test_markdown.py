"""The Markdown summary of a real scan, rendered by a CommonMark parser with GitHub's tables
and raw HTML on, as a pull-request comment would be."""

from __future__ import annotations

import lxml.html
import pytest
from markdown_it import MarkdownIt

from elderscan.reports import ReportSource
from elderscan.reports.digest import rectification
from elderscan.reports.markdown import EXAMPLES, TOP_RULES, md, render
from reports.variants import failed_scan, with_failed_page

HOSTILE_TITLE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
MAX_LINES = 60
MAX_CHARS = 65_000


def _html(text: str) -> lxml.html.HtmlElement:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return lxml.html.fromstring(f"<div>{parser.render(text)}</div>")


def _tables(doc: lxml.html.HtmlElement) -> list[list[list[str]]]:
    return [[[cell.text_content() for cell in row.xpath("th|td")] for row in table.iter("tr")]
            for table in doc.iter("table")]


def test_summary_shows_score_dimensions_and_what_to_fix(source: ReportSource) -> None:
    text = render(source, "en").decode()
    assert len(text.splitlines()) <= MAX_LINES
    doc = _html(text)
    score = source.report.score or {}
    assert f"{score['total']:g} / 100" in doc.text_content()
    assert "not passed" in doc.text_content() and "pass line 60" in doc.text_content()
    dimensions, fixes = _tables(doc)
    assert dimensions[0] == ["Dimension", "Score"]
    assert dict(dimensions[1:])["Contrast"] == f"{score['dimensions']['contrast']:g}"
    groups = rectification(source.report)
    assert fixes[0] == ["#", "Rule", "Failing", "Pages", "Est. points", "Examples"]
    assert len(fixes) - 1 == min(len(groups), TOP_RULES)
    for row, group in zip(fixes[1:], groups, strict=False):
        assert len(row) == 6
        assert row[1].startswith(group.rule + " ")
        assert row[2] == str(len(group.fail))
        assert row[4] == f"{group.impact:g}"
    contrast = next(r for r in fixes[1:] if r[1].startswith("contrast.text "))
    assert contrast[5].startswith("#faint-text: ")
    engine = source.report.engine
    assert f"Chromium {engine.chromium}" in doc.text_content()
    assert f"axe-core {engine.axe_core}" in doc.text_content()


def test_examples_are_capped_per_rule(source: ReportSource) -> None:
    doc = _html(render(source, "zh").decode())
    row = next(r for r in doc.iter("tr") if r.xpath("td[2]")
               and r.xpath("td[2]")[0].text_content().startswith("contrast.text "))
    assert len(row.xpath("td[6]/br")) == EXAMPLES - 1
    assert "整改清单" in doc.text_content() and "维度" in doc.text_content()


def test_hostile_scanned_text_stays_text(source: ReportSource) -> None:
    source.report.pages[0].findings[0].selector = "a|b`c` <b>x</b> @octocat $x$"
    first_fail = rectification(source.report)[0].fail[0].finding
    first_fail.message = HOSTILE_TITLE + " | ~~gone~~ [link](javascript:alert(1)) **bold**"
    first_fail.message_key = None
    text = render(source, "en").decode()
    doc = _html(text)
    assert not doc.xpath("//script|//img|//a|//strong[contains(., 'bold')]|//del|//b")
    assert HOSTILE_TITLE in doc.text_content()
    assert "[link](javascript:alert(1)) **bold**" in doc.text_content()
    for table in _tables(doc):
        assert len({len(row) for row in table}) == 1  # no row broken by a `|`
    assert "@octocat" not in text  # no mention of a real account in a PR comment


def test_failed_page_and_failed_scan(source: ReportSource) -> None:
    doc = _html(render(with_failed_page(source), "en").decode())
    rows = _tables(doc)[1]
    load = next(r for r in rows if r[1].startswith("page.load "))
    assert "HTTP 404" in load[5]
    assert "(1 failed to load)" in doc.text_content()

    failed = _html(render(failed_scan(), "zh").decode())
    assert "扫描失败" in failed.text_content() and "DNS 失败" in failed.text_content()
    assert _tables(failed) == []


def test_size_stays_bounded_for_a_huge_scan(source: ReportSource) -> None:
    page = source.report.pages[0]
    for n, finding in enumerate(page.findings):
        finding.rule, finding.outcome = f"wcag.rule-{n}", "fail"
        finding.message = "长" * 5000
        finding.message_key = None
        finding.selector = "<&>" * 500
    many = [page.model_copy(update={"url": f"{page.url}p{i}.html"}) for i in range(300)]
    report = source.report.model_copy(update={"pages": many})
    assert len(rectification(report)) > TOP_RULES
    text = render(ReportSource(report), "zh").decode()
    assert len(text) < MAX_CHARS and len(text.splitlines()) <= MAX_LINES
    assert text.endswith("</sub>\n")
    assert f"共 {len(page.findings)} 项" in text


@pytest.mark.parametrize(("raw", "shown"), [
    ("a|b", "a|b"), ("<i>x</i>", "<i>x</i>"), ("`code`", "`code`"), ("x\ny\r\nz", "x y z"),
    ("*a* _b_", "*a* _b_"), ("&amp;", "&amp;"), ("\x00\x1b", ""), ("a" * 200, "a" * 119 + "…"),
])
def test_md_escapes_to_the_same_visible_text(raw: str, shown: str) -> None:
    doc = _html(f"| h |\n|---|\n| {md(raw)} |")
    (table,) = _tables(doc)
    assert table[1] == [shown]
