"""Screenshots with the problem marked: the element's box drawn on a crop of the page.

Boxes are document coordinates in CSS pixels and page screenshots are full-page at CSS scale,
so a box maps onto the image one to one. A box outside the image (the screenshot is cut at
`SCREENSHOT_MAX_HEIGHT`, or the element sat off-page) gives no crop rather than a misleading one.

A report marks the same screenshots many times (a crop per finding, an overview per page):
within `decoded_kept()` the last `DECODED` decoded are kept and shared (never changed in
place). The report asks rule by rule, each rule page by page, so with more screenshots than
that a page is decoded again for each rule that names it (gov-poor's 9 screenshots: 73 decodes
without the cache, 22 with it); decoding each once would need the crops made page by page. The
PNGs are written at zlib level 3 without `optimize`, which cost 3–5× the encoding time for
files no smaller. A 20-page scan's HTML report: 4.36 → 1.37 s.
"""

from __future__ import annotations

import contextlib
import io
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
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


DECODED = 4
"""Screenshots kept decoded while a report renders (a full page is 1280 × up to ~8,000 px:
~30 MB as RGB); none are kept outside `decoded_kept()`, so a server holds no images."""

_kept: ContextVar[OrderedDict[tuple[str, int, int], Image.Image | None] | None] = ContextVar(
    "kept_screenshots", default=None)


@contextlib.contextmanager
def decoded_kept() -> Iterator[None]:
    """Within it, the last `DECODED` screenshots decoded are kept for the next call."""
    token = _kept.set(OrderedDict())
    try:
        yield
    finally:
        _kept.reset(token)


def _decoded(screenshot: Path) -> Image.Image | None:
    """The screenshot as RGB, shared between callers (crop or copy it, never draw on it), or
    None when it cannot be read. A file written again is read again (its time and size are
    part of the key)."""
    try:
        stat = screenshot.stat()
    except OSError:
        return None
    kept = _kept.get()
    key = (str(screenshot), stat.st_mtime_ns, stat.st_size)
    if kept is not None and key in kept:
        kept.move_to_end(key)
        return kept[key]
    try:
        with Image.open(screenshot) as opened:
            image: Image.Image | None = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        image = None
    if kept is not None:
        kept[key] = image
        while len(kept) > DECODED:
            kept.popitem(last=False)
    return image


def _scaled(image: Image.Image, max_width: int) -> Image.Image:
    """`image` no wider than `max_width` (a box reduction by the whole factor first, then
    Lanczos for the rest: 3–10× faster than Lanczos alone on a full page, as sharp at
    thumbnail size)."""
    if image.width <= max_width:
        return image
    size = (max_width, max(1, round(image.height * max_width / image.width)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.0)


def _encode(image: Image.Image, max_width: int) -> bytes:
    buffer = io.BytesIO()
    _scaled(image, max_width).save(buffer, format="PNG", compress_level=3)
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
    page = _decoded(screenshot)
    if page is None:
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
    page = _decoded(screenshot)
    if page is None:
        return None
    if max_height is not None and page.height > max_height:
        page = page.crop((0, 0, page.width, max_height))
    # Boxes are drawn on the scaled page, 2 px wide, as they were drawn at full size before.
    shown = _scaled(page, max_width)
    shown = shown.copy() if shown is page else shown  # the decoded page is shared
    scale = shown.width / page.width
    for box in boxes:
        spot = _usable(box, page.size)
        if spot is not None:
            x, y, w, h = spot
            _draw(shown, (x * scale, y * scale, w * scale, h * scale), (0, 0), 2)
    return _encode(shown, max_width)
