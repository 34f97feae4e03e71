"""Which way a known problem moved, from the rules' declared directions (no store, no browser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elderscan.checks import REGISTRY
from elderscan.store.measures import badness, movement, number

MEASURED = {"contrast.text", "contrast.over-image", "contrast.enhanced", "font.size",
            "font.line-spacing", "font.text-spacing", "target.size", "elder.effective",
            "elder.max-scale", "zoom.allowed"}


@dataclass(frozen=True)
class F:
    rule: str
    value: Any
    threshold: Any = 4.5
    outcome: str = "fail"
    message_key: str | None = "contrast.text.low"
    data: dict[str, Any] = field(default_factory=dict)


def test_the_rules_that_declare_a_measure() -> None:
    declared = {rule for rule, entry in REGISTRY.items() if entry.meta.better is not None}
    assert declared == MEASURED
    for entry in REGISTRY.values():
        assert entry.meta.better in (None, "higher", "lower")
        assert not entry.meta.also_measured or entry.meta.better is not None


def test_contrast_further_from_passing_is_worse() -> None:
    assert movement(F("contrast.text", 2.85), F("contrast.text", 1.61)) == "worse"
    assert movement(F("contrast.text", 1.61), F("contrast.text", 2.85)) == "better"
    assert movement(F("contrast.text", 2.85), F("contrast.text", 2.87)) == "same"  # noise
    # judged by the distance to each threshold: large text (3:1) at 2.9 is closer than 2.85/4.5
    assert movement(F("contrast.text", 2.85), F("contrast.text", 2.9, 3.0)) == "better"
    # another message says another thing: not one scale
    assert movement(F("contrast.text", 2.85),
                    F("contrast.text", 1.0, message_key="contrast.text.other")) == "same"


def test_outcome_first_then_other_measures() -> None:
    assert movement(F("contrast.text", 1.0, outcome="review"), F("contrast.text", 3.0)) == "worse"
    assert movement(F("contrast.text", 1.0), F("contrast.text", 1.0, outcome="review")) == "better"
    key = "font.size.share"
    before = F("font.size", 0.0, 0.8, message_key=key, data={"dominant_px": 16.0})
    after = F("font.size", 0.0, 0.8, message_key=key, data={"dominant_px": 14.0})
    assert movement(before, after) == "worse" and movement(after, before) == "better"
    # labels and verdicts are not measures
    assert movement(F("wcag.image-alt", "critical", None), F("wcag.image-alt", "serious")) == "same"


def test_numbers_and_the_worst_of_duplicates() -> None:
    assert number("96×24") == 24.0 and number("42.7×25") == 25.0 and number(16) == 16.0
    assert number("broken") is None and number(True) is None and number(None) is None
    key = "target.size.small"
    small, smaller = F("target.size", "96×24", "44×44", message_key=key), F(
        "target.size", "84×20", "44×44", message_key=key)
    assert movement(small, smaller) == "worse"
    assert badness(smaller) > badness(small)
    assert badness(F("contrast.text", 4.0)) > badness(F("contrast.text", 1.0, outcome="review"))
