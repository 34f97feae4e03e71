"""Geometry of the trend charts: scores over rounds as SVG coordinates.

The chart is drawn on the server, so it shows without JavaScript and a screenshot of the page
is the chart; the template only places what this module computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 600
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 20, 48
PASS_LINE = 60.0


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str
    scan_id: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    points: list[Point]
    ticks: list[tuple[float, int]]
    """(y, score) of the horizontal grid lines."""
    pass_y: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


def _y(score: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (1 - max(0.0, min(100.0, score)) / 100)


def trend_chart(key: str, title: str,
                series: Sequence[tuple[str, float | None, int]]) -> Chart:
    """A chart of `series` — (label, score or None, scan id), oldest first. Unscored scans keep
    their place on the x axis, so rounds line up across the dimension charts."""
    count = len(series)
    span = WIDTH - LEFT - RIGHT
    points: list[Point] = []
    for index, (label, value, scan_id) in enumerate(series):
        if value is None:
            continue
        x = LEFT + (span / 2 if count == 1 else span * index / (count - 1))
        points.append(Point(x=x, y=_y(value), value=round(value, 1), label=label,
                            scan_id=scan_id))
    ticks = [(_y(score), score) for score in (0, 20, 40, 60, 80, 100)]
    return Chart(key=key, title=title, points=points, ticks=ticks, pass_y=_y(PASS_LINE))
