"""The `junit` report: each captured page a test suite, each rule on it a test case.

CI systems (GitLab, Jenkins, Azure) show JUnit results natively, so a failing rule becomes a
failing test with the elements as its body. A `review` result is a skipped test: nothing failed,
but a person has to look. A page that could not be loaded, or a rule that could not run on it,
is an error, never a pass. The layout follows the Jenkins/Ant JUnit schema (`skipped` carries
text, not attributes; `testsuites` has no `skipped` count).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from elderscan.contract import PageResult
from elderscan.finding import Finding
from elderscan.i18n import text
from elderscan.i18n.reasons import said
from elderscan.reports.digest import (
    Lang,
    RuleGroup,
    dimension_of,
    message,
    rule_groups,
    rule_title,
)
from elderscan.reports.source import ReportSource
from elderscan.reports.wording import clause_text, count, error_text, status_name, value_text

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FIRST_MESSAGES = 3
"""Messages quoted in a failure's `message` attribute; the body lists every element."""
MESSAGE_CHARS = 400


def xml_safe(text: object) -> str:
    """Text XML 1.0 can hold: scanned pages carry control characters and lone surrogates."""
    return _XML_FORBIDDEN.sub("\ufffd", str(text))


def _clip(text: str, limit: int = MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def suite_name(page: PageResult) -> str:
    return f"{page.url} [{page.viewport}/{page.mode}]"


def evidence_line(finding: Finding, lang: Lang) -> str:
    """One element: where, what was measured against what, which clause, and the message."""
    where = finding.selector or text("reports.junit.page", lang)
    parts = [where]
    if finding.value is not None or finding.threshold is not None:
        parts.append(text("reports.junit.vs", lang, value=value_text(finding.value, lang),
                          threshold=value_text(finding.threshold, lang)))
    parts.append(clause_text(finding.clause, lang))
    return text("reports.junit.line", lang, where=" | ".join(parts),
                message=message(finding, lang))


@dataclass
class _Case:
    rule: str
    fail: list[Finding] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if self.fail:
            return "failure"
        return "skipped" if self.review else "pass"


def _cases(page: PageResult, index: int, groups: dict[str, RuleGroup],
           lang: Lang) -> list[_Case]:
    """Every rule with a verdict on the page (its index in the report), from the digest's
    grouping, plus the rules that could not run there."""
    cases: dict[str, _Case] = {}
    for rule in dict.fromkeys(f.rule for f in page.findings):
        group = groups[rule]
        cases[rule] = _Case(rule, [i.finding for i in group.fail if i.page_index == index],
                            [i.finding for i in group.review if i.page_index == index])
    for item in page.rule_errors:
        rule = item.get("rule", "?")
        cases.setdefault(rule, _Case(rule)).error = said(item.get("message", ""), lang)
    return sorted(cases.values(), key=lambda c: c.rule)


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    child.text = xml_safe(text)
    return child


def _summary(findings: list[Finding], lang: Lang, what: str) -> str:
    """`what` is a count key (`reports.count.failures`): "1 failure: …", "3 failures: …"."""
    first = text("reports.list", lang).join(message(f, lang) for f in findings[:FIRST_MESSAGES])
    more = len(findings) - FIRST_MESSAGES
    tail = text("reports.junit.more", lang, n=more) if more > 0 else ""
    return _clip(text("reports.junit.summary", lang, count=count(what, len(findings), lang),
                      first=first, more=tail))


def _testcase(suite: ET.Element, case: _Case, lang: Lang) -> None:
    element = ET.SubElement(suite, "testcase", {
        "classname": xml_safe(dimension_of(case.rule) or case.rule),
        "name": xml_safe(f"{case.rule} {rule_title(case.rule, lang)}"),
        "time": "0",
    })
    if case.status == "error":
        _text(element, "error", case.error or "", message=_clip(case.error or ""),
              type="rule-error")
    elif case.status == "failure":
        severity = case.fail[0].severity
        _text(element, "failure", "\n".join(evidence_line(f, lang) for f in case.fail),
              message=_summary(case.fail, lang, "reports.count.failures"), type=severity)
    elif case.status == "skipped":
        _text(element, "skipped", _summary(case.review, lang, "reports.count.reviews"))
    # What the one status element does not list: reviews beside failures, findings beside
    # an error.
    extra = {"error": case.fail + case.review, "failure": case.review}.get(case.status, [])
    if extra:
        _text(element, "system-out", "\n".join(evidence_line(f, lang) for f in extra))


def _load_case(suite: ET.Element, finding: Finding, lang: Lang) -> None:
    element = ET.SubElement(suite, "testcase", {
        "classname": "page.load", "name": xml_safe(f"page.load {rule_title('page.load', lang)}"),
        "time": "0"})
    _text(element, "error", evidence_line(finding, lang),
          message=_clip(message(finding, lang)), type=str(finding.value or "load"))


def _properties(suite: ET.Element, items: Iterable[tuple[str, object]]) -> None:
    props = ET.SubElement(suite, "properties")
    for name, value in items:
        if value is not None:
            ET.SubElement(props, "property", {"name": name, "value": xml_safe(value)})


def _count(suite: ET.Element) -> dict[str, int]:
    cases = suite.findall("testcase")
    return {"tests": len(cases),
            "failures": sum(c.find("failure") is not None for c in cases),
            "errors": sum(c.find("error") is not None for c in cases),
            "skipped": sum(c.find("skipped") is not None for c in cases)}


def _page_suite(root: ET.Element, page: PageResult, index: int, groups: dict[str, RuleGroup],
                timestamp: str, lang: Lang) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", {"name": xml_safe(suite_name(page)),
                                              "id": str(index), "timestamp": timestamp})
    _properties(suite, [("url", page.url), ("final_url", page.final_url),
                        ("http_status", page.http_status), ("viewport", page.viewport),
                        ("mode", page.mode), ("title", page.title),
                        ("screenshot", page.screenshot)])
    load = next((f for f in page.findings if f.rule == "page.load"), None)
    if load is not None:
        _load_case(suite, load, lang)
    else:
        for case in _cases(page, index, groups, lang):
            _testcase(suite, case, lang)
    seconds = page.timings.get("total_ms", 0.0) / 1000
    suite.set("time", f"{seconds:.3f}")
    return suite


def _scan_error_suite(root: ET.Element, source: ReportSource, lang: Lang) -> ET.Element:
    """A scan that reached no page still fails the build, with the reason as the error."""
    report = source.report
    suite = ET.SubElement(root, "testsuite", {"name": xml_safe(report.target), "id": "0",
                                              "timestamp": xml_safe(report.started_at)})
    case = ET.SubElement(suite, "testcase", {
        "classname": "scan", "name": text("reports.junit.scan", lang), "time": "0"})
    error = report.error
    said = (error_text(error.code, error.message, lang) if error
            else status_name(report.status, lang))
    # in words; the raw text is a detail for whoever debugs the run, in system-err
    _text(case, "error", said, type=error.code if error else "failed", message=_clip(said))
    if error:
        _text(case, "system-err", error.message)
    return suite


def render(source: ReportSource, lang: Lang = "zh") -> bytes:
    report = source.report
    root = ET.Element("testsuites", {"name": xml_safe(f"elderscan {report.target}")})
    groups = {g.rule: g for g in rule_groups(report)}
    suites = [_page_suite(root, page, i, groups, report.started_at, lang)
              for i, page in enumerate(report.pages)]
    if not suites:
        suites = [_scan_error_suite(root, source, lang)]
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites:
        counts = _count(suite)
        for key, value in counts.items():
            suite.set(key, str(value))
            if key in totals:
                totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{sum(float(s.get('time', '0')) for s in suites):.3f}")
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data
