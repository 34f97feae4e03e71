"""Contrast of text over images and gradients, measured from the page screenshot (Pillow).

The DOM cannot say what colour lies behind text set over a photo or a gradient, so the pixels
around the text's box are read instead. Inside the box, pixels near the text colour are glyphs
(grown by a pixel to cover anti-aliasing). The background that matters is the halo a few pixels
around the glyphs: what the eye compares each stroke with, and where a text shadow or outline
(which WCAG accepts as the background) lies. When the glyphs cannot be told from their
surroundings at all (text the colour of its photo), the halo is empty and a ring of margin
around the box stands in as the background. Either way the result is a distribution: the
contrast of the text colour against each background pixel, summarised by percentiles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageChops, ImageFilter

from elderscan.checks._common.color import composite, contrast_ratio, luminance
from elderscan.checks.standards import pixels as std

Outcome = Literal["pass", "fail", "review"]
Unmeasured = Literal["sample", "glyphs"]
"""sample: too few background pixels; glyphs: the text's colour is not found in its box"""


@dataclass(frozen=True)
class PixelSample:
    """What the screenshot says about one text box."""

    background_pixels: int
    glyph_pixels: int
    worst: float
    """contrast at the low percentile: the background the text stands out from least"""
    typical: float
    """median contrast"""
    best: float
    background_median: tuple[int, int, int]
    """the background colour at the median contrast"""
    source: str = "halo"
    """halo: pixels around the glyphs; ring: the margin around the box (glyphs not found)"""

    def judge(self, threshold: float) -> Outcome:
        if self.worst >= threshold:
            return "pass"
        if self.typical < threshold:
            return "fail"
        return "review"

    def as_data(self) -> dict[str, object]:
        return {
            "p10": round(self.worst, 2),
            "p50": round(self.typical, 2),
            "p90": round(self.best, 2),
            "background_px": self.background_pixels,
            "glyph_px": self.glyph_pixels,
            "background_median": hex_colour(self.background_median),
            "background_source": self.source,
        }


class Screenshot:
    """A page screenshot at CSS-pixel scale; document coordinates map straight onto it."""

    def __init__(self, path: str) -> None:
        with Image.open(path) as img:
            img.load()  # converting an RGB image to RGB copies it (1.5 ms a corpus page)
            self.image = img if img.mode == "RGB" else img.convert("RGB")
        self.width, self.height = self.image.size

    def inside(self, box: Sequence[float]) -> bool:
        """At least most of the box is on the screenshot (a page taller than the cap is cut)."""
        x, y, w, h = box[:4]
        if w < 1 or h < 1:
            return False
        ix = min(x + w, self.width) - max(x, 0.0)
        iy = min(y + h, self.height) - max(y, 0.0)
        return ix > 0 and iy > 0 and ix * iy >= 0.5 * w * h

    def measure(self, box: Sequence[float], color: Sequence[float],
                font_px: float) -> PixelSample | Unmeasured:
        """The contrast distribution of `color` text over the pixels behind `box`, or why it
        could not be measured."""
        x, y, w, h = (float(v) for v in box[:4])
        margin = max(std.MARGIN_MIN_PX, std.MARGIN_FONT_SHARE * font_px)
        left = max(0, math.floor(x - margin))
        top = max(0, math.floor(y - margin))
        right = min(self.width, math.ceil(x + w + margin))
        bottom = min(self.height, math.ceil(y + h + margin))
        if right - left < 2 or bottom - top < 2:
            return "sample"
        crop = self.image.crop((left, top, right, bottom))
        size = crop.size
        inner = (max(0, math.floor(x) - left), max(0, math.floor(y) - top),
                 min(size[0], math.ceil(x + w) - left), min(size[1], math.ceil(y + h) - top))

        alpha = color[3] if len(color) > 3 else 1.0
        reference = crop.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        assert isinstance(reference, tuple)
        glyph_rgb = tuple(round(c) for c in composite(color, reference)) if alpha < 0.999 \
            else tuple(round(c) for c in color[:3])
        in_box = Image.new("L", size, 0)
        in_box.paste(255, inner)
        box_px = max(1, (inner[2] - inner[0]) * (inner[3] - inner[1]))
        grown, halo = _glyphs_and_halo(crop, in_box, glyph_rgb, std.GLYPH_TOLERANCE, font_px)
        if _count(halo) >= std.MIN_BACKGROUND_PIXELS:
            # Anti-aliased and thin strokes never reach the text colour: with the typical
            # background known, a pixel nearer the text colour than that is (part) glyph.
            typical_bg = _median_colour(crop, halo)
            spread = max(abs(a - b) for a, b in zip(glyph_rgb, typical_bg, strict=True))
            tolerance = max(std.GLYPH_TOLERANCE, spread // 2)
            if tolerance > std.GLYPH_TOLERANCE:
                grown, halo = _glyphs_and_halo(crop, in_box, glyph_rgb, tolerance, font_px)
        glyph_count = _count(grown)
        if glyph_count < std.GLYPH_MIN_SHARE * box_px:
            # The text's colour is not where the text is: something covers it (a pop-up's
            # mask), or it is painted otherwise than its computed colour says.
            return "glyphs"
        source = "halo"
        keep = halo
        if _count(halo) < std.MIN_BACKGROUND_PIXELS or glyph_count > std.GLYPH_MAX_SHARE * box_px:
            # Glyphs indistinguishable from what surrounds them (more "glyph" than any text
            # covers): the box's own background plus the ring of margin outside it.
            source = "ring"
            keep = ImageChops.invert(grown)

        sample = crop.convert("RGBA")
        sample.putalpha(keep)
        total = size[0] * size[1]
        scale = 1.0
        if total > std.MAX_SAMPLE_PIXELS:
            scale = math.sqrt(std.MAX_SAMPLE_PIXELS / total)
            sample = sample.resize((max(1, int(size[0] * scale)), max(1, int(size[1] * scale))),
                                   Image.Resampling.NEAREST)
        colours = sample.getcolors(sample.size[0] * sample.size[1] + 1) or []
        background: list[tuple[int, tuple[int, int, int]]] = []
        for count, rgba in colours:
            assert isinstance(rgba, tuple)
            if rgba[3] != 0:
                background.append((count, (rgba[0], rgba[1], rgba[2])))
        n = sum(count for count, _ in background)
        if n < std.MIN_BACKGROUND_PIXELS * scale * scale:
            return "sample"
        ratios = sorted(
            (contrast_ratio(composite(color, rgb), rgb), count, rgb) for count, rgb in background
        )
        worst, _ = _percentile(ratios, n, std.WORST_PERCENTILE)
        typical, median_rgb = _percentile(ratios, n, std.TYPICAL_PERCENTILE)
        best, _ = _percentile(ratios, n, 1 - std.WORST_PERCENTILE)
        unscale = 1 / (scale * scale)
        return PixelSample(
            background_pixels=round(n * unscale),
            glyph_pixels=glyph_count,
            worst=worst,
            typical=typical,
            best=best,
            background_median=median_rgb,
            source=source,
        )


def hex_colour(rgb: Sequence[float]) -> str:
    r, g, b = (round(c) for c in rgb[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _glyphs_and_halo(crop: Image.Image, in_box: Image.Image, rgb: Sequence[int], tolerance: int,
                     font_px: float) -> tuple[Image.Image, Image.Image]:
    """Glyph pixels in the box (grown over anti-aliasing), and the halo just around them."""
    glyphs = ImageChops.multiply(_near(crop, rgb, tolerance), in_box)
    grown = ImageChops.multiply(_grow(glyphs, std.GLYPH_GROW_PX), in_box)
    halo = ImageChops.subtract(_grow(glyphs, std.GLYPH_GROW_PX + _halo_px(font_px)), grown)
    return grown, ImageChops.multiply(halo, in_box)


def _median_colour(crop: Image.Image, mask: Image.Image) -> tuple[int, int, int]:
    """The colour of median luminance among the pixels `mask` selects."""
    sample = crop.convert("RGBA")
    sample.putalpha(mask)
    colours = [(luminance(rgba), n, rgba) for n, rgba in
               sample.getcolors(crop.size[0] * crop.size[1] + 1) or []
               if isinstance(rgba, tuple) and rgba[3] != 0]
    colours.sort()
    half = sum(n for _, n, _ in colours) / 2
    seen = 0
    for _, n, rgba in colours:
        seen += n
        if seen >= half:
            return rgba[0], rgba[1], rgba[2]
    return 255, 255, 255


def _halo_px(font_px: float) -> int:
    return max(std.HALO_MIN_PX, round(std.HALO_FONT_SHARE * font_px))


_ANY = [0] + [255] * 255
_BOX_STEP_PX = 10


def _grow(mask: Image.Image, px: int) -> Image.Image:
    """The 0/255 mask dilated by a square of `px` pixels each way: what `MaxFilter(2 px + 1)`
    gives, pixel for pixel, at a cost that does not grow with the square (MaxFilter ranks every
    pixel's whole square: 15 ms for px = 6 on a 400 x 60 crop, ~0.2 ms this way).

    A box blur spreads each set pixel over its square, and any non-zero result is set. Pillow
    blurs rows then columns at 8 bits with rounding, so one set pixel still shows after both
    passes only up to a square of 21 (255 / 21 / 21 > 0.5); larger growths are done in steps of
    at most 10 pixels, which compose to the same square. Borders are extended in both."""
    while px > 0:
        step = min(px, _BOX_STEP_PX)
        mask = mask.filter(ImageFilter.BoxBlur(step)).point(_ANY)
        px -= step
    return mask


def _count(mask: Image.Image) -> int:
    """Pixels set in an L mask of 0/255."""
    return int(mask.histogram()[255])


def _near(img: Image.Image, rgb: Sequence[int], tolerance: int) -> Image.Image:
    """An L mask: 255 where every channel is within `tolerance` of `rgb`."""
    solid = Image.new("RGB", img.size, (int(rgb[0]), int(rgb[1]), int(rgb[2])))
    r, g, b = ImageChops.difference(img, solid).split()
    largest = ImageChops.lighter(ImageChops.lighter(r, g), b)
    return largest.point(lambda v: 255 if v <= tolerance else 0)


def _percentile(ratios: list[tuple[float, int, tuple[int, int, int]]], n: int,
                share: float) -> tuple[float, tuple[int, int, int]]:
    """The ratio below which `share` of the (count-weighted) pixels fall."""
    target = share * n
    seen = 0
    for ratio, count, rgb in ratios:
        seen += count
        if seen >= target:
            return ratio, rgb
    ratio, _, rgb = ratios[-1]
    return ratio, rgb
