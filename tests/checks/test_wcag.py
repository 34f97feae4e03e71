"""The wcag.* family: axe-core results as findings with their own rule, severity and clause."""

from __future__ import annotations

import pytest

from captures import axe, axe_rule, judge, make_capture
from elderscan.checks import REGISTRY, check_page
from elderscan.checks.standards.axe import SKIPPED_AXE_RULES
from elderscan.checks.wcag import clause_for, severity_for


def test_family_is_registered_once_as_a_wildcard() -> None:
    assert "wcag.*" in REGISTRY and "wcag.axe" not in REGISTRY
    assert REGISTRY["wcag.*"].meta.reads == ("axe", "final_url")


def test_each_violating_node_is_a_fail_of_its_own_rule() -> None:
    page = make_capture(axe=axe(violations=(axe_rule(targets=("img.logo", "#banner img")),)))
    found = judge("wcag.*", page)
    assert [(f.rule, f.outcome, f.selector) for f in found] == [
        ("wcag.image-alt", "fail", "img.logo"), ("wcag.image-alt", "fail", "#banner img")]
    hit = found[0]
    assert hit.severity == "critical" and hit.value == "critical"
    assert hit.clause == "WCAG 1.1.1; GB/T 37668-2019 一级"
    assert hit.message_key == "wcag.*.violation"
    assert hit.data["help_url"].endswith("/image-alt") and "frame_url" not in hit.data
    assert "image-alt help" in hit.message


def test_incomplete_is_review_and_passes_have_no_element() -> None:
    page = make_capture(axe=axe(
        incomplete=(axe_rule("aria-valid-attr-value", impact="serious",
                             tags=("wcag2a", "wcag412"), targets=("#tabs",)),),
        passes=("document-title", "html-has-lang"),
    ))
    found = judge("wcag.*", page)
    assert [(f.rule, f.outcome, f.selector) for f in found] == [
        ("wcag.aria-valid-attr-value", "review", "#tabs"),
        ("wcag.document-title", "pass", None),
        ("wcag.html-has-lang", "pass", None)]
    assert found[0].severity == "serious" and found[0].clause == "WCAG 4.1.2; GB/T 37668-2019 一级"


def test_rules_we_measure_ourselves_are_skipped() -> None:
    assert {"color-contrast", "color-contrast-enhanced", "target-size"} <= SKIPPED_AXE_RULES
    page = make_capture(axe=axe(
        violations=(axe_rule("color-contrast", impact="serious", tags=("wcag2aa", "wcag143")),
                    axe_rule("target-size", tags=("wcag22aa", "wcag258"))),
        passes=("color-contrast",),
    ))
    assert judge("wcag.*", page) == []


def test_nodes_in_frames_name_their_frame() -> None:
    rule = axe_rule("frame-title", impact="serious", tags=("wcag2a", "wcag412"),
                    frame_url="http://127.0.0.1/ad-frame.html")
    [hit] = judge("wcag.*", make_capture(axe=axe(violations=(rule,))))
    assert hit.data["frame_url"] == "http://127.0.0.1/ad-frame.html"


def test_missing_axe_is_an_error_not_a_pass() -> None:
    verdict = check_page(make_capture(axe=None, errors={"axe": "timed out"}))
    assert [e.rule for e in verdict.errors] == ["wcag.*"]
    assert not [f for f in verdict.findings if f.rule.startswith("wcag.")]


@pytest.mark.parametrize(
    ("tags", "clause"),
    [(["wcag2aa", "wcag143"], "WCAG 1.4.3; GB/T 37668-2019 二级"),
     (["wcag21aa", "wcag1410", "wcag2aa"], "WCAG 1.4.10; GB/T 37668-2019 二级"),
     (["cat.aria", "wcag2a", "wcag412", "wcag131", "EN-301-549"],
      "WCAG 1.3.1, 4.1.2; GB/T 37668-2019 一级"),
     (["wcag2aaa", "wcag146"], "WCAG 1.4.6; GB/T 37668-2019 三级"),
     (["best-practice"], "GB/T 37668-2019 二级; WCAG 2.x A/AA")],
)
def test_clause_from_axe_tags(tags: list[str], clause: str) -> None:
    assert clause_for(tags) == clause


def test_impact_becomes_severity() -> None:
    assert severity_for("minor") == "minor"
    assert severity_for(None) == "moderate"
    assert severity_for("bogus") == "moderate"


def test_the_scanner_does_not_run_the_axe_rules_our_checks_replace() -> None:
    """Both sides name the same rules: axe-core skips them (half its time), the checks ignore
    them in captures made elsewhere."""
    from elderscan.checks.standards.axe import SKIPPED_AXE_RULES
    from elderscan.scanner.axe import NOT_RUN, RUN_OPTIONS

    assert NOT_RUN == SKIPPED_AXE_RULES
    assert {r for r, o in RUN_OPTIONS["rules"].items() if not o["enabled"]} == NOT_RUN
