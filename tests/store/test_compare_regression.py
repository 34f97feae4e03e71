"""Compare on real scans: a site whose body text went 16 → 14 px and whose dates went #999 →
#ccc keeps the same problems by fingerprint, and compare must call them worse (both values
shown), on SQLite and PostgreSQL; a round is compared with the one before, site by site."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from comparepair import scanned_pair
from elderscan.contract import ScanReport
from elderscan.store import (
    claim_scan,
    create_batch,
    enqueue_scan,
    fail_scan,
    save_result,
    session_scope,
    upsert_site,
)
from elderscan.store.compare import RoundNotFound, compare_rounds, compare_scans, rounds_named

ROUNDS = "全市政务网站适老化复查"


def _save(engine: Engine, scan_id: int, report: ScanReport) -> None:
    with session_scope(engine) as s:
        assert claim_scan(s, scan_id, "test") is not None
    with session_scope(engine) as s:
        save_result(s, scan_id, report)


def _pair_scans(engine: Engine) -> tuple[int, int]:
    before, after = scanned_pair()
    with session_scope(engine) as s:
        site = upsert_site(s, "石门市人民政府（示例）", "https://www.shimen.example.gov.cn/", "gov")
        a, b = enqueue_scan(s, site).id, enqueue_scan(s, site).id
    _save(engine, a, before)
    _save(engine, b, after)
    return a, b


def test_a_worsened_value_is_a_regression(engine: Engine) -> None:
    a, b = _pair_scans(engine)
    with session_scope(engine) as s:
        diff = compare_scans(s, a, b)
        reverse = compare_scans(s, b, a)
        same = compare_scans(s, b, b)
    dates = [c for c in diff.worsened if c.rule == "contrast.text"]
    assert len(dates) == 3  # the three dates of the news list
    assert {(c.value_a, c.value_b, c.threshold_a, c.threshold_b) for c in dates} == {
        (2.85, 1.61, 4.5, 4.5)}
    assert all(c.change == "worsened" and c.outcome_a == c.outcome_b == "fail" for c in dates)
    # font.size: the share of 18 px text is about the same; the main size went 16 → 14 px
    sizes = [c for c in diff.worsened if c.rule == "font.size"]
    assert sizes
    assert {(c.data_a["dominant_px"], c.data_b["dominant_px"]) for c in sizes} == {(16.0, 14.0)}
    assert "16px" in sizes[0].message and "14px" in (sizes[0].message_b or "")
    assert not [c for c in diff.unchanged if c.rule in ("contrast.text", "font.size")]
    assert "wcag.image-alt" in {c.rule for c in diff.fixed}
    assert "wcag.label" in {c.rule for c in diff.new}
    assert diff.counts["regressions"] == len(diff.new) + len(diff.worsened)
    assert diff.counts["worsened"] == len(diff.worsened) >= 4
    # the other way round the same rows moved closer to passing, still failing: improved
    assert {"contrast.text", "font.size"} <= {c.rule for c in reverse.improved}
    assert not [c for c in reverse.worsened if c.rule in ("contrast.text", "font.size")]
    # a scan against itself: nothing moved
    assert same.counts["unchanged"] == len(same.unchanged) > 0
    assert not (same.worsened or same.improved or same.new or same.fixed)


def test_a_round_against_the_one_before(engine: Engine) -> None:
    before, after = scanned_pair()
    with session_scope(engine) as s:
        sites = {key: upsert_site(s, name, f"https://{key}.example.gov.cn/", "gov").id
                 for key, name in (("x", "甲市"), ("y", "乙市"), ("z", "丙市"), ("w", "丁市"),
                                   ("f", "戊市"))}
        one = create_batch(s, ROUNDS, [sites[k] for k in "xyzf"])
        two = create_batch(s, ROUNDS, [sites[k] for k in "xywf"])
        first = {scan.site_id: scan.id for scan in one.scans}
        second = {scan.site_id: scan.id for scan in two.scans}
        ids = (one.id, two.id)
    for key in "xyzf":
        _save(engine, first[sites[key]], before)
    for key in "yw":
        _save(engine, second[sites[key]], before)
    _save(engine, second[sites["x"]], after)
    with session_scope(engine) as s:
        fail_scan(s, second[sites["f"]], "dns", "name does not resolve")
    with session_scope(engine) as s:
        a, b = rounds_named(s, ROUNDS)
        assert (a.id, b.id) == ids
        result = compare_rounds(s, a.id, b.id)
        with pytest.raises(RoundNotFound) as first_round:
            rounds_named(s, ROUNDS, 1)
        assert first_round.value.first
        with pytest.raises(RoundNotFound):
            rounds_named(s, "没有这个批次")
    rows = {r.name: r for r in result.sites}
    assert result.sites[0].name == "甲市"  # regressions first
    x = rows["甲市"]
    assert x.presence == "both" and x.counts is not None
    assert x.counts["worsened"] >= 4 and x.counts["regressions"] > x.counts["worsened"]
    assert (x.score_a, x.score_b) == (before.score["total"], after.score["total"])
    assert x.change == round(after.score["total"] - before.score["total"], 1)
    assert rows["乙市"].counts == {"fixed": 0, "new": 0, "worsened": 0, "improved": 0,
                                  "unchanged": rows["乙市"].counts["unchanged"],
                                  "unverified": 0, "regressions": 0}
    assert rows["乙市"].change == 0
    assert (rows["丙市"].presence, rows["丙市"].scan_b, rows["丙市"].counts) == ("only_a", None,
                                                                              None)
    assert (rows["丁市"].presence, rows["丁市"].scan_a) == ("only_b", None)
    failed = rows["戊市"]
    assert (failed.status_b, failed.error_b, failed.counts) == ("failed", "dns", None)
    assert result.totals["sites_regressed"] == 1
    assert result.totals["worsened"] == x.counts["worsened"]
    assert (result.totals["sites_only_a"], result.totals["sites_only_b"]) == (1, 1)
