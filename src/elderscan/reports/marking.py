"""Screenshots with the problem marked: the element's box drawn on a crop of the page.

Boxes are document coordinates in CSS pixels and page screenshots are full-page at CSS scale,
so a box maps onto the image one to one. A box outside the image (the screenshot is cut at
`SCREENSHOT_MAX_HEIGHT`, or the element sat off-page) gives no crop rather than a misleading one.

A report marks the same screenshots many times (a crop per finding, an overview per page) and
asks rule by rule: `Marks` collects what it asks for and draws it screenshot by screenshot, so
each is decoded once (when the last 4 decoded were kept instead, a page was decoded again for
each rule naming it: a 50-page scan's HTML report took 9.3 s, 7.1 s with `Marks`, 6.3 s with
the page views as JPEG as well). Crops are PNGs written at zlib
level 3 without `optimize` (which cost 3–5× the encoding time for files no smaller); page
views, scaled down, are JPEGs (`_encode_view`).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from functools import partial
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


def _read(screenshot: Path) -> Image.Image | None:
    """The screenshot as RGB, or None when it cannot be read."""
    try:
        with Image.open(screenshot) as opened:
            return opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


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


def _encode_view(image: Image.Image) -> bytes:
    """A scaled-down view of a page as JPEG: about half the bytes of a PNG of it and a tenth
    of the time (a 360 px overview: 120 KB in 2.6 ms against 225 KB in 24 ms); full colour
    resolution, so a 2 px box stays red and sharp. Crops stay PNG: their colours are exact."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, subsampling=0)
    return buffer.getvalue()


def _draw(image: Image.Image, box: tuple[float, float, float, float], origin: tuple[int, int],
          width: int) -> None:
    x, y, w, h = box
    ox, oy = origin
    draw = ImageDraw.Draw(image)
    pad = width + 1
    draw.rectangle((x - ox - pad, y - oy - pad, x - ox + w + pad, y - oy + h + pad),
                   outline=MARK, width=width)


def crop_png(page: Image.Image, box: Box | None, *, max_width: int = MAX_WIDTH) -> bytes | None:
    """PNG of `page` around `box` with the box outlined, or None when the box cannot be shown
    on it (no box, off the image). `page` is left as it was."""
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


def page_jpeg(page: Image.Image, boxes: Sequence[Box | None], *, max_width: int = 640,
              max_height: int | None = None) -> bytes | None:
    """JPEG of `page` (its top `max_height` CSS px, if given) scaled down, every box outlined:
    where on the page problems are, or what the first screen looks like. `page` (RGB, as
    `_read` gives it: JPEG has no alpha) is left as it was."""
    if max_height is not None and page.height > max_height:
        page = page.crop((0, 0, page.width, max_height))
    # Boxes are drawn on the scaled page, 2 px wide, as they were drawn at full size before.
    shown = _scaled(page, max_width)
    shown = shown.copy() if shown is page else shown  # the decoded page may be shared
    scale = shown.width / page.width
    for box in boxes:
        spot = _usable(box, page.size)
        if spot is not None:
            x, y, w, h = spot
            _draw(shown, (x * scale, y * scale, w * scale, h * scale), (0, 0), 2)
    return _encode_view(shown)


def marked_crop(screenshot: Path, box: Box | None, *, max_width: int = MAX_WIDTH) -> bytes | None:
    """`crop_png` of the screenshot file, or None when it cannot be read."""
    page = _read(screenshot)
    return None if page is None else crop_png(page, box, max_width=max_width)


class Marked:
    """A marked image a report asked for, drawn later by `Marks.draw`. In a template it is the
    image's data URI, and false when there is none (a box off the page, an unreadable file)."""

    __slots__ = ("uri",)

    def __init__(self) -> None:
        self.uri: str | None = None

    def __bool__(self) -> bool:
        return self.uri is not None

    def __str__(self) -> str:
        return self.uri or ""

    def __html__(self) -> str:
        return self.uri or ""  # a fixed prefix and base64: nothing to escape


class Marks:
    """The marked images of one report, asked for while it is put together (rule by rule, page
    by page) and drawn afterwards screenshot by screenshot: each file is decoded once, however
    many findings and pages name it, and one is held decoded at a time."""

    def __init__(self) -> None:
        self._asked: dict[Path, list[tuple[Callable[[Image.Image], bytes | None], str,
                                           Marked]]] = {}

    def _ask(self, screenshot: Path, make: Callable[[Image.Image], bytes | None],
             mime: str) -> Marked:
        marked = Marked()
        self._asked.setdefault(screenshot, []).append((make, mime, marked))
        return marked

    def crop(self, screenshot: Path, box: Box | None, *, max_width: int = MAX_WIDTH) -> Marked:
        return self._ask(screenshot, partial(crop_png, box=box, max_width=max_width),
                         "image/png")

    def page(self, screenshot: Path, boxes: Sequence[Box | None], *, max_width: int = 640,
             max_height: int | None = None) -> Marked:
        return self._ask(screenshot, partial(page_jpeg, boxes=list(boxes), max_width=max_width,
                                             max_height=max_height), "image/jpeg")

    def draw(self) -> None:
        for screenshot, asked in self._asked.items():
            page = _read(screenshot)
            for make, mime, marked in asked:
                data = make(page) if page is not None else None
                if data is not None:
                    marked.uri = f"data:{mime};base64," + base64.b64encode(data).decode()
            del page  # before the next is decoded: one full page held at a time
        self._asked.clear()
