"""elderscan against the W3C ACT Rules test cases: the agreement target is 95 % per rule.

The browser test runs `act_agreement` for every ACT rule we map (contrast, zoom, reflow, text
spacing, meta refresh) and holds each to its target; the table it prints is the figure the
closing notes quote.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from act_agreement import CORPUS, MAPPINGS, RuleReport, disagreements, outcome, run, table

from conftest import settings
from elderscan.finding import Finding, Outcome

TARGET = 0.95
TARGETS = {"afw4f7": TARGET, "b4f0c3": TARGET, "59br37": TARGET, "78fd32": TARGET,
           "24afc2": TARGET, "9e45ec": TARGET, "bc659a": TARGET,
           # Two cases refresh after more than 20 hours: this AAA rule fails them, WCAG 2.2.1
           # (AA, which we apply) allows them. 11/13 is the most AA can agree on.
           "bisz58": 0.84}
"""The issue asks 95 % of afw4f7 and b4f0c3; the others guard what has been reached."""


def finding(rule: str, outcome_: Outcome, key: str = "x") -> Finding:
    return Finding(rule=rule, outcome=outcome_, severity="serious", clause="", message="",
                   message_key=f"{rule}.{key}")


# ---- the mapping, no browser ----------------------------------------------------------------

def test_findings_map_to_act_outcomes() -> None:
    contrast = MAPPINGS["afw4f7"]
    assert outcome([], contrast) == "inapplicable"
    assert outcome([finding("contrast.text", "pass")], contrast) == "passed"
    assert outcome([finding("contrast.text", "pass"),
                    finding("contrast.over-image", "fail")], contrast) == "failed"
    assert outcome([finding("contrast.over-image", "review")], contrast) == "cantTell"
    assert outcome([finding("font.size", "fail")], contrast) == "inapplicable"


def test_message_keys_narrow_a_rule_to_the_act_question() -> None:
    refresh = MAPPINGS["bc659a"]
    assert outcome([finding("motion.timing", "fail", "audio")], refresh) == "inapplicable"
    assert outcome([finding("motion.timing", "fail", "refresh")], refresh) == "failed"
    assert outcome([finding("motion.timing", "pass", "redirect")], refresh) == "passed"


# ---- against the corpus, in a browser -------------------------------------------------------

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "manifest.json").is_file(),
    reason=f"the W3C ACT test-case corpus is not there: {CORPUS / 'manifest.json'} "
           "(corpora/act of the shared design folder beside the repository)")


@pytest.fixture(scope="module")
async def reports() -> AsyncIterator[dict[str, RuleReport]]:
    found = await run(list(TARGETS), settings(axe=False, settle_ms=0))
    print("\n" + table(found))
    missed = disagreements(found)
    if missed:
        print(missed)
    yield {r.rule_id: r for r in found}


def _rate(report: RuleReport) -> float:
    assert report.status == "measured", report.note
    assert report.cases > 0
    return report.agreement or 0.0


@pytest.mark.browser
@needs_corpus
@pytest.mark.parametrize("rule_id", list(TARGETS))
def test_agreement_reaches_the_target(reports: dict[str, RuleReport], rule_id: str) -> None:
    report = reports[rule_id]
    errors: list[Any] = [r for r in report.results if r.error]
    assert not errors, errors
    assert _rate(report) >= TARGETS[rule_id]
