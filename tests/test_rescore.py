"""The score after review is never a mix of models: a result scored by another model version
than this one's has none, and the reader is told why (in words, in both languages)."""

from __future__ import annotations

import json
from pathlib import Path

from elderscan.contract import ScanReport
from elderscan.reports.review_text import summary_text
from elderscan.scoring.rescore import rescore
from elderscan.store.reviews import ReviewedScore, site_rules

OLD = Path(__file__).resolve().parent / "store" / "data" / "gov-elder-link.json"


def test_a_result_of_another_scoring_model_is_not_rescored() -> None:
    report = ScanReport.model_validate(json.loads(OLD.read_text("utf-8")))
    assert report.engine.scoring_model == "elderscan-score-2026.11"
    review = next((i, j) for i, p in enumerate(report.pages) for j, f in enumerate(p.findings)
                  if f.outcome == "review")
    assert rescore(report, {review: "fail"}, site_rules()) is None
    current = report.model_copy(update={"engine": report.engine.model_copy(
        update={"scoring_model": "elderscan-score-2026.12"})})
    assert rescore(current, {}, site_rules()) is not None


def test_the_reader_is_told_why_there_is_no_score_after_review() -> None:
    score = ReviewedScore(scan_id=1, review=2, confirmed=1, waived=0, open=1, fail=3, passed=9,
                          engine_total=90.6, reviewed_total=None, reviewed_grade=None,
                          reviewed_passed=None, reviewed_dimensions=None,
                          scoring_model="elderscan-score-2026.11")
    zh, en = summary_text(score, "zh"), summary_text(score, "en")
    assert zh.engine == en.engine == "90.6"
    assert zh.note == "无法重算：本次检测使用的评分模型（elderscan-score-2026.11）不是当前版本的。"
    assert en.note == ("Cannot be recomputed: this scan was scored with another model "
                       "(elderscan-score-2026.11) than this version's.")
    assert (zh.reviewed, en.reviewed) == ("无评分", "not scored")
    assert en.counts == "2 to review: 1 confirmed as failing, 0 waived, 1 not decided yet."
