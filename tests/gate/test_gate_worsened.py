"""The gate against a baseline fails on a known problem measured further from passing: the
before/after pair of fixtures/compare/ scanned for real (dates #999 → #ccc, text 16 → 14 px)."""

from __future__ import annotations

import json
from pathlib import Path

from comparepair import scanned_pair
from elderscan.cli.ci import _reason, _worsened_line
from elderscan.gate.baseline import baseline_from_report, load_baseline, write_baseline
from elderscan.gate.gate import WORSENED, Thresholds, evaluate

OPEN = Thresholds(fail_under=0)


def test_a_worsened_known_problem_fails_the_gate(tmp_path: Path) -> None:
    before, after = scanned_pair()
    verdict = evaluate(after, OPEN, baseline_from_report(before))
    assert verdict.comparison is not None
    worse = verdict.comparison.worsened
    dates = [p for p in worse if p.finding.rule == "contrast.text"]
    assert [(p.before.value if p.before else None, p.finding.value) for p in dates] == [
        (2.85, 1.61)] * 3
    assert "font.size" in {p.finding.rule for p in worse}
    assert "wcag.label" in {p.finding.rule for p in verdict.comparison.new}
    [check] = [c for c in verdict.checks if c.name == WORSENED]
    assert (check.value, check.limit, check.passed) == (len(worse), 0, False)
    assert not verdict.passed
    # a budget for them lets the build through (new problems aside)
    lenient = Thresholds(fail_under=0, max_new=99, max_worsened=len(worse))
    assert evaluate(after, lenient, baseline_from_report(before)).passed
    # the compact baseline file keeps the values, so it judges the same
    path = tmp_path / "baseline.json"
    write_baseline(before, path)
    assert '"value": 2.85' in path.read_text("utf-8")
    compact = evaluate(after, OPEN, load_baseline(path)).comparison
    assert compact is not None
    assert len(compact.worsened) == len(worse)
    # an unchanged site has nothing worse
    same = evaluate(before, OPEN, load_baseline(path))
    assert same.comparison is not None and same.comparison.worsened == [] and same.passed
    # the words, from the catalogue
    line = _worsened_line(dates[0], "en")
    assert "contrast.text" in line and "2.85 → 1.61 (threshold 4.5)" in line
    assert "2.85 → 1.61（标准 4.5）" in _worsened_line(dates[0], "zh")
    size = next(p for p in worse if p.finding.rule == "font.size")
    assert _worsened_line(size, "en").endswith("; main text size (px) 16 → 14")
    assert _reason(check, "en") == (f"known problems that got worse: {len(worse)} (at most 0 "
                                    "allowed)")


def test_a_baseline_without_values_only_knows(tmp_path: Path) -> None:
    """A compact file written before values were kept: its problems are known, never worse."""
    before, after = scanned_pair()
    path = tmp_path / "old.json"
    write_baseline(before, path)
    head, *lines = path.read_text("utf-8").splitlines()
    old = [head] + [json.dumps({k: v for k, v in json.loads(line.strip().rstrip(",")).items()
                                if k not in ("value", "threshold", "message_key", "measures")},
                               ensure_ascii=False) + ("," if line.rstrip().endswith(",") else "")
                    if line.startswith("  {") else line for line in lines]
    path.write_text("\n".join(old) + "\n", "utf-8")
    assert '"value"' not in path.read_text("utf-8")
    verdict = evaluate(after, OPEN, load_baseline(path))
    assert verdict.comparison is not None
    assert verdict.comparison.worsened == []
    assert verdict.comparison.known > 0
