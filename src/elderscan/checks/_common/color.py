"""WCAG colour arithmetic: relative luminance, contrast ratio, alpha compositing, and the
nearest colour that would pass."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from functools import lru_cache


def _channel(value: float) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: Sequence[float]) -> float:
    r, g, b = rgb[:3]
    return _luminance(r, g, b)


@lru_cache(maxsize=65536)
def _luminance(r: float, g: float, b: float) -> float:
    """Kept per colour: a page has a few dozen colours and thousands of runs and candidate
    colours that use them (the passing-colour search alone asked ~16,000 times a page)."""
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(fg: Sequence[float], bg: Sequence[float]) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter colour on top; 1.0 to 21.0."""
    a, b = luminance(fg), luminance(bg)
    hi, lo = (a, b) if a >= b else (b, a)
    return (hi + 0.05) / (lo + 0.05)


def composite(fg: Sequence[float], bg: Sequence[float]) -> tuple[float, float, float]:
    """A translucent foreground (r, g, b, a) as it shows over an opaque background."""
    alpha = fg[3] if len(fg) > 3 else 1.0
    return (
        fg[0] * alpha + bg[0] * (1 - alpha),
        fg[1] * alpha + bg[1] * (1 - alpha),
        fg[2] * alpha + bg[2] * (1 - alpha),
    )


def is_large_text(font_px: float, font_weight: int) -> bool:
    """WCAG 'large scale': at least 18 pt (24 px), or 14 pt (18.67 px) and bold."""
    return font_px >= 24 or (font_px >= 18.66 and font_weight >= 700)


def hex_rgb(rgb: Sequence[float]) -> str:
    """`#rrggbb` of the first three channels, rounded."""
    r, g, b = (max(0, min(255, round(c))) for c in rgb[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def css_rgba(rgba: Sequence[float]) -> str:
    """A translucent colour as CSS writes it, e.g. `rgba(0, 0, 0, 0.5)`."""
    r, g, b = (round(c) for c in rgba[:3])
    alpha = rgba[3] if len(rgba) > 3 else 1.0
    return f"rgba({r}, {g}, {b}, {alpha:g})"


def _at_lightness(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def _reach(hue: float, saturation: float, start: float, end: float,
           bg: Sequence[float], threshold: float) -> tuple[int, int, int] | None:
    """The colour nearest `start` on the lightness line towards `end` whose contrast with `bg`
    reaches `threshold`, rounded to 8-bit channels and checked again; None if even `end` fails.
    Each channel grows with lightness at a fixed hue and saturation, so contrast does too in
    one direction and bisection finds the nearest lightness."""
    if contrast_ratio(_at_lightness(hue, saturation, end), bg) < threshold:
        return None
    near, far = start, end
    for _ in range(40):
        mid = (near + far) / 2
        if contrast_ratio(_at_lightness(hue, saturation, mid), bg) >= threshold:
            far = mid
        else:
            near = mid
    step = 1 / 255 if end > start else -1 / 255
    lightness = far
    while True:  # rounding to 8 bits may land just short: walk on until it really passes
        colour = _at_lightness(hue, saturation, lightness)
        if contrast_ratio(colour, bg) >= threshold:
            return colour
        if lightness == end:
            return None
        lightness = min(end, lightness + step) if step > 0 else max(end, lightness + step)


def passing_colour(fg: Sequence[float], bg: Sequence[float],
                   threshold: float) -> tuple[int, int, int] | None:
    """The nearest colour to the text colour `fg` (opaque, as judged) that reaches `threshold`
    against `bg`: same hue and saturation, lightness moved the way that raises contrast (the
    other way if that cannot get there), else black or white; None when nothing can (a 7:1
    threshold on a mid-grey background). A site owner keeps their palette's hue."""
    return _passing((fg[0], fg[1], fg[2]), (bg[0], bg[1], bg[2]), threshold)


@lru_cache(maxsize=4096)
def _passing(fg: tuple[float, float, float], bg: tuple[float, float, float],
             threshold: float) -> tuple[int, int, int] | None:
    """`passing_colour`, kept per pair: the runs of a page share a few colour pairs, and each
    search is ~50 contrast ratios."""
    if contrast_ratio(fg, bg) >= threshold:
        return round(fg[0]), round(fg[1]), round(fg[2])
    hue, lightness, saturation = colorsys.rgb_to_hls(fg[0] / 255, fg[1] / 255, fg[2] / 255)
    darker_first = luminance(fg) <= luminance(bg)
    for end in ((0.0, 1.0) if darker_first else (1.0, 0.0)):
        found = _reach(hue, saturation, lightness, end, bg, threshold)
        if found is not None:
            return found
    for plain in ((0, 0, 0), (255, 255, 255)):
        if contrast_ratio(plain, bg) >= threshold:
            return plain
    return None
