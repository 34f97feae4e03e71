"""lang.version-required on hand-made probes: each way a required version can fail, the
region lookup, and the contract's `versions` entries."""

from __future__ import annotations

from typing import Any

import pytest

from elderscan.capture import SiteCapture, VersionEntry, VersionsProbe
from elderscan.checks import REGISTRY
from elderscan.checks._common.regions import requirements, verified_share
from elderscan.checks._registry import run_rule
from elderscan.finding import Finding
from elderscan.judge.sections import CONTRACT_FIELDS, contract_versions

RULE = REGISTRY["lang.version-required"]


def _entry(**kw: Any) -> VersionEntry:
    base: dict[str, Any] = {"kind": "language", "lang": "bo", "label": "藏文版", "how": "link",
                            "url": "http://x.gov.cn/bo/", "status": 200, "verified": 0.97,
                            "lang_attr": "bo", "glyphs_ok": True, "selector": "#bo",
                            "box": (1.0, 2.0, 30.0, 20.0), "failure": None}
    base.update(kw)
    return VersionEntry(**base)


def _site(region: str | None, *entries: VersionEntry, probed: bool = True) -> SiteCapture:
    return SiteCapture(target="http://x.gov.cn/", start_url="http://x.gov.cn/",
                       started_at="2026-01-01T00:00:00Z", finished_at="2026-01-01T00:00:01Z",
                       pages=[], skipped=[], chromium="1", axe_core="4",
                       browser_launches=1, browser_crashes=0,
                       versions=VersionsProbe(region=region, versions=list(entries))
                       if probed else None)


def _judge(site: SiteCapture, lang: str = "zh") -> list[Finding]:
    result = run_rule(RULE, site, lang)  # type: ignore[arg-type]
    assert isinstance(result, list), result
    return result


def test_regions_from_the_data_file() -> None:
    assert [r.lang for r in requirements("西藏自治区拉萨市")] == ["bo"]
    assert [r.lang for r in requirements("新疆")] == ["ug"]
    assert [r.lang for r in requirements("内蒙古自治区")] == ["mn"]
    assert [r.lang for r in requirements("吉林省延边朝鲜族自治州")] == ["ko"]
    assert requirements("东川省") == [] and requirements(None) == []
    assert "藏汉双语" in requirements("西藏")[0].clause


def test_no_region_or_no_probe_judges_nothing() -> None:
    assert _judge(_site(None, _entry(failure="http", status=404))) == []
    assert _judge(_site("东川省")) == []
    assert _judge(_site("西藏", probed=False)) == []


@pytest.mark.parametrize(("entry", "outcome", "key", "value"), [
    (_entry(), "pass", "works", 0.97),
    (_entry(failure="http", status=404, verified=None, lang_attr=None, glyphs_ok=None),
     "fail", "http", 404),
    (_entry(failure="timeout", status=None), "fail", "unreachable", "timeout"),
    (_entry(how="toggle", failure="no-change"), "fail", "no-change", "no-change"),
    (_entry(failure="off-site", status=None), "review", "not-followed", "off-site"),
    (_entry(failure="robots", status=None), "review", "not-followed", "robots"),
    (_entry(verified=0.1), "fail", "unverified", 0.1),
    (_entry(verified=None), "fail", "unverified", None),
    (_entry(glyphs_ok=False, missing_glyphs="\uf300"), "fail", "glyphs", "\uf300"),
    (_entry(lang_attr="zh-CN", unmarked=4), "fail", "mislabelled", "zh-CN"),
    (_entry(lang_attr="zh-CN", unmarked=0), "pass", "works", 0.97),
])
def test_a_required_version_is_judged(entry: VersionEntry, outcome: str, key: str,
                                      value: object) -> None:
    [finding] = _judge(_site("西藏", entry))
    assert (finding.outcome, finding.message_key, finding.value) == (
        outcome, f"lang.version-required.{key}", value)
    assert finding.selector == "#bo" and finding.box == (1.0, 2.0, 30.0, 20.0)
    assert finding.threshold is not None
    if key == "mislabelled":
        assert finding.clause.startswith("WCAG")
    else:
        assert "藏汉双语" in finding.clause
    assert "{" not in finding.message and finding.message


def test_missing_required_version_fails_in_both_languages() -> None:
    site = _site("西藏", _entry(lang="en", label="English"))
    [zh] = _judge(site, "zh")
    [en] = _judge(site, "en")
    assert (zh.outcome, zh.message_key) == ("fail", "lang.version-required.missing")
    assert "藏文版" in zh.message and "Tibetan version" in en.message
    assert zh.threshold == "present"


def test_uyghur_must_run_right_to_left() -> None:
    ltr = _entry(lang="ug", label="ئۇيغۇرچە", lang_attr="ug", direction="ltr")
    [finding] = _judge(_site("新疆", ltr))
    assert (finding.outcome, finding.value, finding.threshold) == ("fail", "ltr", "rtl")
    [ok] = _judge(_site("新疆", ltr.model_copy(update={"direction": "rtl"})))
    assert ok.outcome == "pass"


def test_a_working_entry_wins_over_a_broken_one() -> None:
    broken = _entry(failure="http", status=404, selector="#bad")
    [finding] = _judge(_site("西藏", broken, _entry()))
    assert finding.outcome == "pass" and finding.selector == "#bo"


def test_share_threshold_comes_from_the_data() -> None:
    at = verified_share()
    [finding] = _judge(_site("西藏", _entry(verified=at)))
    assert finding.outcome == "pass" and finding.threshold == at


def test_contract_entries_have_exactly_the_issue_fields() -> None:
    site = _site(None, _entry(), _entry(kind="traditional", lang="zh-Hant", how="toggle"))
    listed = contract_versions(site)
    assert listed is not None and [tuple(v) for v in listed] == [CONTRACT_FIELDS] * 2
    assert listed[0] == {"kind": "language", "lang": "bo", "label": "藏文版", "how": "link",
                         "url": "http://x.gov.cn/bo/", "status": 200, "verified": 0.97,
                         "lang_attr": "bo", "glyphs_ok": True}
    assert contract_versions(_site(None, probed=False)) is None
