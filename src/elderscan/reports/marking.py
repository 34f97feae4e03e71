"""Screenshots with the problem marked: the element's box drawn on a crop of the page.

Boxes are document coordinates in CSS pixels and page screenshots are full-page at CSS scale,
so a box maps onto the image one to one. A box outside the image (the screenshot is cut at
`SCREENSHOT_MAX_HEIGHT`, or the element sat off-page) gives no crop rather than a misleading one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

Box = Sequence[float]

MARK = (220, 0, 0)
MARGIN = 60
"""CSS px of page shown around the element, so the spot can be recognised."""
MIN_CROP = (360, 160)
MAX_CROP_HEIGHT = 720
MAX_WIDTH = 960
"""Crops wider than this are scaled down (a full-width banner on a 1280 px page)."""


def _usable(box: Box | None, size: tuple[int, int]) -> tuple[float, float, float, float] | None:
    if box is None or len(box) != 4:
        return None
    x, y, w, h = (float(v) for v in box)
    width, height = size
    if w < 0 or h < 0 or x >= width or y >= height or x + w <= 0 or y + h <= 0:
        return None
    return x, y, w, h


def _encode(image: Image.Image, max_width: int) -> bytes:
    if image.width > max_width:
        ratio = max_width / image.width
        size = (max_width, max(1, round(image.height * ratio)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw(image: Image.Image, box: tuple[float, float, float, float], origin: tuple[int, int],
          width: int) -> None:
    x, y, w, h = box
    ox, oy = origin
    draw = ImageDraw.Draw(image)
    pad = width + 1
    draw.rectangle((x - ox - pad, y - oy - pad, x - ox + w + pad, y - oy + h + pad),
                   outline=MARK, width=width)


def marked_crop(screenshot: Path, box: Box | None, *, max_width: int = MAX_WIDTH) -> bytes | None:
    """PNG of the page around `box` with the box outlined, or None when the box cannot be
    shown on this screenshot (no box, off the image, unreadable file)."""
    try:
        with Image.open(screenshot) as opened:
            page = opened.convert("RGB")
    except (OSError, ValueError):
        return None
    spot = _usable(box, page.size)
    if spot is None:
        return None
    x, y, w, h = spot
    left = max(0, int(x - MARGIN))
    top = max(0, int(y - MARGIN))
    right = min(page.width, int(x + w + MARGIN) + 1)
    bottom = min(page.height, int(y + h + MARGIN) + 1)
    if right - left < MIN_CROP[0]:
        grow = MIN_CROP[0] - (right - left)
        left = max(0, left - grow // 2)
        right = min(page.width, left + MIN_CROP[0])
    if bottom - top < MIN_CROP[1]:
        grow = MIN_CROP[1] - (bottom - top)
        top = max(0, top - grow // 2)
        bottom = min(page.height, top + MIN_CROP[1])
    bottom = min(bottom, top + MAX_CROP_HEIGHT)
    crop = page.crop((left, top, right, bottom))
    _draw(crop, spot, (left, top), 3)
    return _encode(crop, max_width)


def marked_page(screenshot: Path, boxes: Sequence[Box | None], *,
                max_width: int = 640, max_height: int | None = None) -> bytes | None:
    """The screenshot (its top `max_height` CSS px, if given) scaled down, every box outlined:
    where on the page problems are, or what the first screen looks like."""
    try:
        with Image.open(screenshot) as opened:
            page = opened.convert("RGB")
    except (OSError, ValueError):
        return None
    if max_height is not None and page.height > max_height:
        page = page.crop((0, 0, page.width, max_height))
    for box in boxes:
        spot = _usable(box, page.size)
        if spot is not None:
            _draw(page, spot, (0, 0), max(2, round(page.width / max_width * 2)))
    return _encode(page, max_width)
