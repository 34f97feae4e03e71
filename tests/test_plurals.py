"""English counts agree with one ("1 failure", "2 failures"), in catalogue phrases and in rule
messages alike; Chinese is left as it is."""

from __future__ import annotations

from elderscan.checks._registry import render
from elderscan.checks.voice import FUNCTIONAL
from elderscan.i18n import singular, text
from elderscan.reports.wording import count


def test_catalogue_counts_agree() -> None:
    assert count("reports.count.failures", 1, "en") == "1 failure"
    assert count("reports.count.failures", 2, "en") == "2 failures"
    assert count("reports.count.failures", 1, "zh") == "1 处不通过"
    assert text("reports.html.more", "en", n=1) == \
        "1 more problem of this kind is not listed one by one."
    assert text("reports.html.more", "en", n=3) == \
        "3 more problems of this kind are not listed one by one."


def test_rule_messages_agree() -> None:
    data = {"label": "语音", "tried": 1, "labels": "语音"}
    said = render(FUNCTIONAL, "silent", data, "en")
    assert "1 control pressed" in said and "1 controls" not in said


def test_only_a_whole_one_is_singular() -> None:
    assert singular("11 pages, 1.1 pages, 21 pages") == "11 pages, 1.1 pages, 21 pages"
    assert singular("1 pages (1 failed to load)") == "1 page (1 failed to load)"
