"""The gate's rules and the fingerprints it relies on, on hand-made results (no browser)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from elderscan.capture import Anchor
from elderscan.contract import Engine, PageResult, ScanReport, Summary
from elderscan.errors import UsageError
from elderscan.finding import Finding
from elderscan.fingerprints import anchor_fingerprint, finding_fingerprint, fingerprint
from elderscan.gate.baseline import baseline_from_report, load_baseline, write_baseline
from elderscan.gate.gate import Thresholds, compare, evaluate, parse_dimensions

SITE = "https://www.example.gov.cn"
DIMS = {"elder_mode": 80.0, "font": 65.0, "contrast": 70.0, "voice": 60.0, "ads": 100.0,
        "accessibility": 74.0}


def finding(rule: str = "contrast.text", outcome: str = "fail", selector: str | None = "#a",
            anchor: Anchor | None = None, value: float = 2.5) -> Finding:
    return Finding(rule=rule, outcome=outcome, severity="serious",  # type: ignore[arg-type]
                   clause="WCAG 1.4.3", selector=selector, value=value, threshold=4.5,
                   message="low contrast", anchor=anchor)


def link(text: str, index: int = 0, landmark: str = "main") -> Anchor:
    return Anchor(role="link", text=text, landmark=landmark, index=index)


def page(path: str, findings: list[Finding], loaded: bool = True) -> PageResult:
    if not loaded:
        findings = [Finding(rule="page.load", outcome="fail", severity="critical", clause="EVAL",
                            value="timeout", message="timeout")]
    return PageResult(url=SITE + path, final_url=SITE + path, http_status=200 if loaded else None,
                      mode="standard", viewport="desktop", title="t", screenshot=None,
                      metrics={"font": {}} if loaded else {}, findings=findings)


def report(pages: list[PageResult], total: float | None = 71.5,
           dims: dict[str, float] | None = None, vetoes: list[dict[str, str]] | None = None
           ) -> ScanReport:
    score: dict[str, Any] = {"total": total, "pass_line": 60,
                             "passed": None if total is None else total >= 60, "grade": "C",
                             "dimensions": dims or DIMS, "vetoes": vetoes or []}
    return ScanReport(target=SITE + "/", started_at="2026-01-01T00:00:00Z",
                      finished_at="2026-01-01T00:01:00Z", status="ok", error=None,
                      engine=Engine(elderscan="0", chromium="0", axe_core="0"), score=score,
                      pages=pages, summary=Summary(pages=len(pages), fail=0, review=0, pass_=0))


# ----------------------------------------------------------------------------- thresholds


def test_passes_when_every_threshold_holds() -> None:
    verdict = evaluate(report([page("/", [])]),
                       Thresholds(fail_under=60, dimensions={"contrast": 70}))
    assert verdict.passed
    assert [(c.name, c.value, c.limit) for c in verdict.checks] == [
        ("total", 71.5, 60), ("contrast", 70.0, 70)]


def test_fails_on_the_total_and_names_the_dimension_below_its_limit() -> None:
    verdict = evaluate(report([page("/", [])], total=55.0),
                       Thresholds(fail_under=60, dimensions={"font": 70, "ads": 90}))
    assert not verdict.passed
    assert [c.name for c in verdict.failed] == ["total", "font"]


def test_an_unscored_total_or_dimension_fails_the_gate() -> None:
    dims = {**DIMS, "voice": None}
    verdict = evaluate(report([page("/", [])], total=None, dims=dims),  # type: ignore[arg-type]
                       Thresholds(dimensions={"voice": 10}))
    assert [(c.name, c.note) for c in verdict.failed] == [("total", "not scored"),
                                                          ("voice", "not scored")]


def test_a_veto_fails_only_with_fail_on_veto() -> None:
    vetoed = report([page("/", [])], total=59.0,
                    vetoes=[{"rule": "ads.elder-mode", "message": "ads in elder mode"}])
    assert evaluate(vetoed, Thresholds(fail_under=50)).passed
    verdict = evaluate(vetoed, Thresholds(fail_under=50, fail_on_veto=True))
    assert [(c.name, c.note) for c in verdict.failed] == [("vetoes", "ads.elder-mode")]
    # The veto caps the total at 59, so the default pass line catches it anyway.
    assert not evaluate(vetoed, Thresholds()).passed


@pytest.mark.parametrize(("given", "limits"), [
    (["contrast=70"], {"contrast": 70.0}),
    (["contrast=70,font=60.5", "elder-mode=50"],
     {"contrast": 70.0, "font": 60.5, "elder_mode": 50.0}),
    ([], {}),
])
def test_dimension_options(given: list[str], limits: dict[str, float]) -> None:
    assert parse_dimensions(given) == limits


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages below are matched in English (tests/test_error_language.py has both)."""
    monkeypatch.setenv("ELDERSCAN_LANG", "en")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("given", "message"), [
    ("colour=70", "unknown dimension 'colour'; one of elder_mode, font, contrast"),
    ("contrast", "NAME=SCORE"),
    ("contrast=high", "'high' is not a number"),
    ("contrast=170", "not between 0 and 100"),
])
def test_bad_dimension_options_are_usage_errors(given: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_dimensions([given])


# ----------------------------------------------------------------------------- baseline


def test_only_a_failing_finding_the_baseline_lacks_is_new() -> None:
    before = report([page("/", [finding(selector="#a", anchor=link("更多")),
                                finding(rule="font.size", outcome="review", selector="#p",
                                        anchor=link("说明"))])])
    after = report([page("/", [
        finding(selector="#x > a", anchor=link("更多")),  # refactored: known
        finding(rule="font.size", selector="#q", anchor=link("说明")),  # review → fail: known
        finding(selector="#b", anchor=link("更多", index=1)),  # a second one: new
        finding(selector="#c", outcome="review", anchor=link("提示")),  # review: never new
    ])])
    verdict = evaluate(after, Thresholds(), baseline_from_report(before))
    assert verdict.comparison is not None
    assert [p.finding.selector for p in verdict.comparison.new] == ["#b"]
    assert verdict.comparison.known == 2 and verdict.comparison.fixed == 0
    assert [c.name for c in verdict.failed] == ["new failing findings"]
    assert evaluate(after, Thresholds(max_new=1), baseline_from_report(before)).passed


def test_the_same_element_in_two_viewports_is_one_new_finding() -> None:
    after = report([page("/", [finding(anchor=link("更多"))]),
                    page("/", [finding(selector="#m", anchor=link("更多"))])])
    assert len(compare(after, baseline_from_report(report([page("/", [])]))).new) == 1


def test_pages_that_failed_in_either_scan_give_no_new_and_no_fixed_findings() -> None:
    before = report([page("/", [finding(anchor=link("a"))]),
                     page("/news/1.html", [], loaded=False)])
    after = report([page("/", [], loaded=False),
                    page("/news/2.html", [finding(anchor=link("b"))])])
    comparison = compare(after, baseline_from_report(before))
    assert comparison.new == [] and comparison.fixed == 0
    assert comparison.not_compared == [f"{SITE}/ (did not load)",
                                       f"{SITE}/news/2.html (not in the baseline)"]


def test_fixed_problems_are_counted_on_pages_that_loaded() -> None:
    before = report([page("/", [finding(anchor=link("a")), finding(anchor=link("b"))])])
    after = report([page("/", [finding(anchor=link("a"))])])
    assert compare(after, baseline_from_report(before)).fixed == 1


def test_a_baseline_without_anchors_is_matched_by_selector() -> None:
    """A result written before anchors existed still works as a baseline."""
    before = report([page("/", [finding(selector="#a")])])
    after = report([page("/", [finding(selector="#a", anchor=link("更多")),
                               finding(selector="#b", anchor=link("其他"))])])
    comparison = compare(after, baseline_from_report(before))
    assert [p.finding.selector for p in comparison.new] == ["#b"]
    assert comparison.fixed == 0


def test_a_result_file_and_a_compact_baseline_say_the_same(tmp_path: Path) -> None:
    before = report([page("/", [finding(anchor=link("更多")), finding(selector="#plain"),
                                finding(rule="page.viewport", selector=None)]),
                     page("/art/2024/art_7.html", [finding(anchor=link("返回", 0, "navigation"))])])
    result = tmp_path / "result.json"
    before.write_json(result)
    compact = tmp_path / "baseline.json"
    write_baseline(before, compact)
    a, b = load_baseline(result), load_baseline(compact)
    assert a.entries == b.entries and a.templates == b.templates
    assert b.templates == {"/", "/art/<n>/art_<n>.html"}
    lines = compact.read_text("utf-8").splitlines()
    assert len(lines) == 2 + len(b.entries)  # one problem per line: a readable diff
    assert "link “返回” in navigation" in compact.read_text("utf-8")
    after = report([page("/art/2025/art_9.html", [finding(anchor=link("返回", 0, "navigation"))])])
    assert compare(after, b).new == []


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot read baseline"),
    ("{not json", "is not JSON"),
    ("[1, 2]", "neither a scan result nor a baseline file"),
    ('{"some": "thing"}', "neither a scan result nor a baseline file"),
    ('{"schema_version": "1", "target": 3}', "is not a valid scan result"),
    ('{"format": "elderscan-baseline/1", "findings": []}', "damaged: missing 'templates'"),
])
def test_unusable_baselines_are_usage_errors(tmp_path: Path, content: str | None,
                                             message: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(UsageError, match=message):
        load_baseline(path)


@pytest.mark.usefixtures("english")
def test_a_failed_scan_is_no_baseline(tmp_path: Path) -> None:
    failed = report([]).model_copy(update={"status": "failed", "score": None})
    path = tmp_path / "failed.json"
    path.write_text(json.dumps(failed.to_json_dict()), "utf-8")
    with pytest.raises(UsageError, match="failed scan"):
        load_baseline(path)


# ----------------------------------------------------------------------------- fingerprints


def test_anchor_fingerprint_ignores_the_selector_and_the_host() -> None:
    anchor = link("更多", index=1)
    a = finding_fingerprint(finding(selector="#notice > a", anchor=anchor), SITE + "/a/1.html")
    b = finding_fingerprint(finding(selector="div.panel > div:nth-of-type(3) > a", anchor=anchor),
                            "http://other.example/a/2.html")
    assert a == b == anchor_fingerprint("contrast.text", SITE + "/a/1.html", anchor)
    assert a != finding_fingerprint(finding(anchor=link("更多", index=0)), SITE + "/a/1.html")
    assert a != finding_fingerprint(finding(rule="font.size", anchor=anchor), SITE + "/a/1.html")


def test_without_an_anchor_the_selector_fingerprint_is_kept() -> None:
    plain = finding(selector="#a > li:nth-child(4)")
    assert finding_fingerprint(plain, SITE + "/") == fingerprint(
        "contrast.text", SITE + "/", "#a > li:nth-child(9)")
