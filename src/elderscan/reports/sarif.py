"""The `sarif` report: SARIF 2.1.0, for code-scanning dashboards and SARIF viewers.

A web page is not a source file: a result's location is the page URL as the artifact, with no
line region, and the element's CSS selector as a logical location of kind `element`; its box
(document CSS px) goes into the location's properties. Only problems are results: `fail` (level
`error` or `warning` by severity) and `review` (kind `review`, which the standard allows only with
level `none`). Passes are left out, as other analysers leave out clean lines.
"""

from __future__ import annotations

import json
from typing import Any

from elderscan import fingerprints
from elderscan.contract import PageResult
from elderscan.finding import Finding
from elderscan.i18n import text
from elderscan.i18n.reasons import said
from elderscan.reports.digest import Lang, dimension_of, message, meta_of, rule_title, rule_why
from elderscan.reports.source import ReportSource
from elderscan.reports.wording import clause_text, error_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "elderscan/v2"
"""Bump the suffix when the fingerprint recipe changes, so old and new never get compared."""
ERROR_SEVERITIES = frozenset({"critical", "serious"})
LANGUAGE = {"zh": "zh-CN", "en": "en-US"}


def finding_fingerprint(finding: Finding, page: PageResult) -> str:
    """The identity of a problem across scans, as the store and `elderscan ci` see it (the
    element's anchor when it has one): v2; v1 was the CSS selector alone."""
    return fingerprints.finding_fingerprint(finding, page.url)


def level(finding: Finding) -> str:
    if finding.outcome != "fail":
        return "none"
    return "error" if finding.severity in ERROR_SEVERITIES else "warning"


def _text(value: str) -> dict[str, str]:
    return {"text": value}


def _rule_name(rule: str) -> str:
    """`contrast.over-image` → `ContrastOverImage`: SARIF names are identifiers, not titles."""
    words = rule.replace("-", ".").replace("_", ".").split(".")
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def _descriptor(rule: str, finding: Finding, lang: Lang) -> dict[str, Any]:
    title = rule_title(rule, lang)
    why = rule_why(rule, lang) or title
    dimension = dimension_of(rule)
    clause = text("reports.sarif.clause", lang, clause=clause_text(finding.clause, lang))
    meta = meta_of(rule)
    severity = meta.severity if meta else finding.severity
    return {
        "id": rule,
        "name": _rule_name(rule),
        "shortDescription": _text(title),
        "fullDescription": _text(why),
        "help": {"text": f"{why}\n{clause}",
                 "markdown": f"**{title}**\n\n{why}\n\n{clause}"},
        "defaultConfiguration": {
            "level": "error" if severity in ERROR_SEVERITIES else "warning"},
        "properties": {"dimension": dimension, "clause": finding.clause, "severity": severity,
                       "tags": ["elderscan", *([dimension] if dimension else [])]},
    }


def _location(finding: Finding, page: PageResult) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": page.final_url or page.url}}}
    if finding.selector:
        location["logicalLocations"] = [{"name": finding.selector, "kind": "element"}]
    properties: dict[str, Any] = {"viewport": page.viewport, "mode": page.mode}
    if finding.box is not None:
        properties["box"] = list(finding.box)
    if finding.snippet:
        properties["snippet"] = finding.snippet
    location["properties"] = properties
    return location


def _result(finding: Finding, page: PageResult, index: int, lang: Lang) -> dict[str, Any]:
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "kind": "fail" if finding.outcome == "fail" else "review",
        "level": level(finding),
        "message": _text(message(finding, lang)),
        "locations": [_location(finding, page)],
        "partialFingerprints": {FINGERPRINT_KEY: finding_fingerprint(finding, page)},
        "properties": {"severity": finding.severity, "clause": finding.clause,
                       "value": finding.value, "threshold": finding.threshold,
                       "pageTitle": page.title},
    }


def _notifications(source: ReportSource, lang: Lang) -> list[dict[str, Any]]:
    """Rules that could not run, and a scan that reached no page: the run was incomplete. The
    message says what went wrong in words; the raw text is kept as the note's detail."""
    report = source.report
    notes: list[dict[str, Any]] = []
    if report.error is not None:
        notes.append({"level": "error", "descriptor": {"id": report.error.code},
                      "message": _text(error_text(report.error.code, report.error.message,
                                                  lang)),
                      "properties": {"detail": report.error.message}})
    for page in report.pages:
        for item in page.rule_errors:
            notes.append({
                "level": "error", "descriptor": {"id": item.get("rule", "?")},
                "message": _text(said(item.get("message", ""), lang)),
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": page.url}}}]})
    return notes


def render(source: ReportSource, lang: Lang = "zh") -> bytes:
    report = source.report
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for page in report.pages:
        for finding in page.findings:
            if finding.outcome == "pass":
                continue
            if finding.rule not in rules:
                rules[finding.rule] = len(descriptors)
                descriptors.append(_descriptor(finding.rule, finding, lang))
            results.append(_result(finding, page, rules[finding.rule], lang))
    engine = report.engine.model_dump()
    invocation: dict[str, Any] = {
        "executionSuccessful": report.status != "failed",
        "startTimeUtc": report.started_at,
        "endTimeUtc": report.finished_at,
        "properties": {"status": report.status, "score": report.score,
                       "summary": report.summary.model_dump(by_alias=True)},
    }
    notifications = _notifications(source, lang)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "elderscan", "version": report.engine.elderscan,
                                "semanticVersion": report.engine.elderscan,
                                "rules": descriptors, "properties": {"engine": engine}}},
            "invocations": [invocation],
            "language": LANGUAGE[lang],
            "results": results,
            "properties": {"target": report.target, "status": report.status,
                           "score": report.score, "engine": engine, "site": source.site or None},
        }],
    }
    # "replace": a lone surrogate in a page's text cannot be encoded; it must not stop the report.
    return json.dumps(log, ensure_ascii=False, indent=2).encode("utf-8", errors="replace")
