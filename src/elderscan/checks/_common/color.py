"""WCAG colour arithmetic: relative luminance, contrast ratio, alpha compositing."""

from __future__ import annotations

from collections.abc import Sequence


def _channel(value: float) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: Sequence[float]) -> float:
    r, g, b = rgb[:3]
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
