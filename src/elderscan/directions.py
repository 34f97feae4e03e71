"""Which way each measured rule's `value` moves towards passing: said once here, below the
rule registry (`RuleMeta.better`, `RuleMeta.also_measured`) and the store's scan comparison
(`store/measures.py`), so comparing two stored scans does not load every rule."""

from __future__ import annotations

from typing import Literal, NamedTuple

Better = Literal["higher", "lower"]


class Direction(NamedTuple):
    better: Better
    """"higher" when passing means value ≥ threshold (contrast ratio, font size, the shorter
    side of a `W×H` target), "lower" when it means value ≤ threshold (coverage, counts,
    durations). A rule left out of `RULE_DIRECTIONS` has a label or a verdict as its value,
    not a measure."""
    also_measured: tuple[str, ...] = ()
    """`data` fields that measure the same thing in the same direction, compared when the values
    tie: font.size's share of 18 px text is 0 % at 16 px and at 14 px alike, and its most common
    size (`dominant_px`) tells the two apart."""


RULE_DIRECTIONS: dict[str, Direction] = {
    "elder.effective": Direction("higher"),
    "elder.max-scale": Direction("higher"),
    "font.size": Direction("higher", also_measured=("dominant_px",)),
    "font.line-spacing": Direction("higher"),
    "font.text-spacing": Direction("higher"),
    "zoom.allowed": Direction("higher"),
    "contrast.text": Direction("higher"),
    "contrast.over-image": Direction("higher"),
    "contrast.enhanced": Direction("higher"),
    "target.size": Direction("higher"),
}
