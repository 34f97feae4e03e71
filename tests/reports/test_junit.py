"""The JUnit report of a real scan, validated against the Jenkins JUnit schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from elderscan.reports import ReportSource
from elderscan.reports.junit import render, suite_name, xml_safe
from reports.variants import CONTROL_TITLE, failed_scan, with_failed_page, with_hostile_cells

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "junit.xsd")))
HOSTILE_TITLE = "<script>window.__pwned=1</script>"


def _parse(data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    SCHEMA.assertValid(root)
    return root


def _expected(page_findings: list[tuple[str, str]]) -> dict[str, str]:
    """rule → the status the JUnit case must have, from the page's outcomes."""
    by_rule: dict[str, set[str]] = {}
    for rule, outcome in page_findings:
        by_rule.setdefault(rule, set()).add(outcome)
    return {rule: "failure" if "fail" in o else "skipped" if "review" in o else "pass"
            for rule, o in by_rule.items()}


def _status(case: etree._Element) -> str:
    for tag in ("error", "failure", "skipped"):
        if case.find(tag) is not None:
            return tag
    return "pass"


def test_junit_is_valid_and_counts_match_the_findings(source: ReportSource) -> None:
    root = _parse(render(source, "en"))
    suites = root.findall("testsuite")
    assert len(suites) == len(source.report.pages) == 2
    total = {"tests": 0, "failures": 0, "errors": 0}
    for suite, page in zip(suites, source.report.pages, strict=True):
        assert suite.get("name") == suite_name(page)
        assert page.url in suite.get("name", "") and "desktop/standard" in suite.get("name", "")
        expected = _expected([(f.rule, f.outcome) for f in page.findings])
        cases = suite.findall("testcase")
        got = {c.get("name", "").split(" ", 1)[0]: _status(c) for c in cases}
        assert got == expected
        statuses = list(got.values())
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(statuses.count("failure"))
        assert suite.get("skipped") == str(statuses.count("skipped"))
        assert suite.get("errors") == "0"
        total["tests"] += len(cases)
        total["failures"] += statuses.count("failure")
    assert {k: int(root.get(k, "-1")) for k in total} == total
    # The home page fails contrast and needs a review of the download ad's wording.
    home = {c.get("name", "").split(" ", 1)[0]: c for c in suites[0].findall("testcase")}
    assert _status(home["contrast.text"]) == "failure"
    assert _status(home["ads.inducement"]) == "skipped"
    assert home["contrast.text"].get("classname") == "contrast"
    assert home["contrast.text"].get("name") == (
        "contrast.text Text has enough contrast with its background")


def test_failure_lists_every_failing_element(source: ReportSource) -> None:
    root = _parse(render(source, "en"))
    home = root.findall("testsuite")[0]
    case = next(c for c in home.findall("testcase") if c.get("name", "").startswith(
        "contrast.text "))
    failing = [f for f in source.report.pages[0].findings
               if f.rule == "contrast.text" and f.outcome == "fail"]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith(f"{len(failing)} failures: ")
    assert failure.get("type") == "serious"
    body = (failure.text or "").splitlines()
    assert len(body) == len(failing)
    for line, finding in zip(body, failing, strict=True):
        assert finding.selector is not None
        assert line.startswith(f"- {finding.selector} | {finding.value} vs threshold "
                               f"{finding.threshold} | {finding.clause}: ")
        assert "contrast" in line


def test_hostile_title_and_control_characters_stay_text(source: ReportSource) -> None:
    hostile = with_hostile_cells(source)
    hostile.report.pages[0].title = source.report.pages[0].title
    data = render(hostile, "zh")
    root = _parse(data)
    props = {p.get("name"): p.get("value") for p in root.findall("testsuite")[0].iter("property")}
    assert props["title"] is not None and HOSTILE_TITLE in props["title"]
    assert b"<script>" not in data and b"<img" not in data
    second = {p.get("name"): p.get("value")
              for p in root.findall("testsuite")[1].iter("property")}
    assert second["title"] == xml_safe(CONTROL_TITLE) == "北溪\ufffd县\ufffd人民\ufffd政府\ufffd"
    bodies = " ".join(f.text or "" for f in root.iter("failure"))
    assert 'onerror="window.__pwned=3"' in bodies


def test_languages(source: ReportSource) -> None:
    zh = _parse(render(source, "zh"))
    en = _parse(render(source, "en"))
    zh_names = [c.get("name") for c in zh.iter("testcase")]
    en_names = [c.get("name") for c in en.iter("testcase")]
    assert "contrast.text 文字与背景对比度充足" in zh_names
    assert "contrast.text Text has enough contrast with its background" in en_names
    zh_msg = next(f.get("message", "") for f in zh.iter("failure"))
    en_msg = next(f.get("message", "") for f in en.iter("failure"))
    assert "处不通过" in zh_msg and "failures" in en_msg


def test_failed_page_is_an_error(source: ReportSource) -> None:
    root = _parse(render(with_failed_page(source), "en"))
    suites = root.findall("testsuite")
    assert len(suites) == 3
    broken = suites[2]
    assert broken.get("name", "").endswith("gone.html [desktop/standard]")
    (case,) = broken.findall("testcase")
    error = case.find("error")
    assert error is not None and error.get("type") == "http"
    assert "HTTP 404" in error.get("message", "")
    assert (broken.get("tests"), broken.get("errors"), broken.get("failures")) == ("1", "1", "0")
    assert root.get("errors") == "1"


def test_rule_that_could_not_run_is_an_error_not_a_pass(source: ReportSource) -> None:
    source.report.pages[1].rule_errors.append(
        {"rule": "focus.visible", "message": "focus probe timed out"})
    root = _parse(render(source, "en"))
    suite = root.findall("testsuite")[1]
    case = next(c for c in suite.findall("testcase")
                if c.get("name", "").startswith("focus.visible "))
    error = case.find("error")
    assert error is not None and error.get("message") == "focus probe timed out"
    assert suite.get("errors") == "1" and root.get("errors") == "1"


def test_scan_that_reached_no_page_fails_the_build() -> None:
    root = _parse(render(failed_scan(), "en"))
    (suite,) = root.findall("testsuite")
    error = suite.find("testcase/error")
    assert error is not None and error.get("type") == "dns"
    assert root.get("tests") == "1" and root.get("errors") == "1"


@pytest.mark.parametrize("text", ["a\x00b", "\x1f", "\ud800x", "ok\ttab\nline"])
def test_xml_safe_keeps_only_what_xml_allows(text: str) -> None:
    element = etree.Element("x")
    element.text = xml_safe(text)  # lxml refuses anything XML 1.0 forbids
    assert etree.fromstring(etree.tostring(element)).text == xml_safe(text)
