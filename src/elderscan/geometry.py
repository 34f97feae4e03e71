"""Box arithmetic on capture boxes: (x, y, width, height) in document CSS pixels."""

from __future__ import annotations

from collections.abc import Sequence

BoxLike = Sequence[float]


def area(box: BoxLike) -> float:
    return max(0.0, box[2]) * max(0.0, box[3])


def contains(outer: BoxLike, inner: BoxLike, slack: float = 0.5) -> bool:
    """`inner` lies within `outer`, allowing `slack` px for rounding."""
    ox, oy, ow, oh = outer[:4]
    ix, iy, iw, ih = inner[:4]
    return (ox - slack <= ix and oy - slack <= iy
            and ix + iw <= ox + ow + slack and iy + ih <= oy + oh + slack)


def centre(box: BoxLike) -> tuple[float, float]:
    return box[0] + box[2] / 2, box[1] + box[3] / 2


def gap(a: BoxLike, b: BoxLike) -> float:
    """Distance between the nearest edges of two boxes; 0 when they touch or overlap."""
    dx = max(0.0, max(a[0], b[0]) - min(a[0] + a[2], b[0] + b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[1] + a[3], b[1] + b[3]))
    return float((dx * dx + dy * dy) ** 0.5)


def overlap_ratio(a: BoxLike, b: BoxLike) -> float:
    """Intersection over union of two boxes, 0–1."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0


def off_document(box: BoxLike) -> bool:
    """Entirely left of or above the document: text moved off screen to hide it."""
    x, y, w, h = box[:4]
    return x + w <= 0 or y + h <= 0
