"""Which way a known problem moved between two scans: worse, better, or the same.

A finding fingerprint is value-free on purpose (a text whose contrast fell from 2.85:1 to 1.6:1
is still the same problem on the same element), so matching by fingerprint alone hides a
regression. Here the two measurements of one problem are compared in the direction its rule
measures in (`elderscan.directions`, below the rule registry, so the store loads no rule): for
"higher" rules passing means value ≥ threshold, for "lower" rules value ≤ threshold. The
distance to the threshold is compared, not the raw value, so a text that grew from normal to
large (threshold 4.5 → 3) is judged by how far each is from passing.

The outcome counts first: review → fail is worse, fail → review better. Values are compared only
when both findings say the same thing (same message key): ads.popup's coverage and its drift in
px are not one scale. A change smaller than `NOISE` of the threshold is measurement noise.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal, Protocol

from elderscan.directions import RULE_DIRECTIONS, Direction

Movement = Literal["worse", "better", "same"]
NOISE = 0.01
"""Changes within 1 % of the threshold (0.045 of a 4.5:1 ratio, 0.18 of 18 px) are the same."""

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[×x*]\s*(\d+(?:\.\d+)?)\s*$")
_RANK = {"fail": 2, "review": 1, "pass": 0}


class Measured(Protocol):
    """What a comparison needs of a finding (a contract `Finding` or a stored problem)."""

    @property
    def rule(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def message_key(self) -> str | None: ...
    @property
    def value(self) -> Any: ...
    @property
    def threshold(self) -> Any: ...
    @property
    def data(self) -> dict[str, Any]: ...


def direction_of(rule_id: str) -> Direction | None:
    """Which way the rule's value improves; None when its value is not a measure."""
    return RULE_DIRECTIONS.get("wcag.*" if rule_id.startswith("wcag.") else rule_id)


def number(value: Any) -> float | None:
    """A measured value as one number: floats and ints as they are, a `W×H` size as its shorter
    side (what a target-size rule judges); labels, booleans and verdicts are not numbers."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        size = _SIZE.match(value)
        if size:
            return min(float(size.group(1)), float(size.group(2)))
        try:
            parsed = float(value)
        except ValueError:
            return None
        return parsed if math.isfinite(parsed) else None
    return None


def _margins(direction: Direction, finding: Measured) -> list[float | None] | None:
    """How far the finding is on the passing side of its threshold (negative: failing), then
    the rule's other measures; larger is better for every entry."""
    value = number(finding.value)
    if value is None:
        return None
    sign = 1.0 if direction.better == "higher" else -1.0
    threshold = number(finding.threshold)
    margins: list[float | None] = [sign * (value - (threshold or 0.0))]
    for name in direction.also_measured:
        extra = number((finding.data or {}).get(name))
        margins.append(None if extra is None else sign * extra)
    return margins


def movement(before: Measured, after: Measured) -> Movement:
    """Whether `after` is worse, better or the same as `before` (one problem, two scans)."""
    rank_a, rank_b = _RANK.get(before.outcome, 0), _RANK.get(after.outcome, 0)
    if rank_a != rank_b:
        return "worse" if rank_b > rank_a else "better"
    direction = direction_of(after.rule)
    if direction is None or before.message_key != after.message_key:
        return "same"
    a, b = _margins(direction, before), _margins(direction, after)
    if a is None or b is None:
        return "same"
    scale = abs(number(before.threshold) or 0.0)
    for index, (x, y) in enumerate(zip(a, b, strict=True)):
        if x is None or y is None:
            continue
        noise = NOISE * (scale if index == 0 and scale else max(abs(x), 1.0))
        if y < x - noise:
            return "worse"
        if y > x + noise:
            return "better"
    return "same"


def badness(finding: Measured) -> tuple[float, ...]:
    """A sort key, larger is worse: the outcome, then the margins (for picking the worst of the
    findings one fingerprint has in several viewports and modes)."""
    direction = direction_of(finding.rule)
    margins = _margins(direction, finding) if direction is not None else None
    return (float(_RANK.get(finding.outcome, 0)),
            *(-(m if m is not None else 0.0) for m in (margins or [])))
