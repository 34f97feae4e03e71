"""Builders for small hand-made captures, so check tests need no browser."""

from __future__ import annotations

from typing import Any

from elderscan.capture import Capture, Overlay, TextRun, Timings


def run(text: str = "政务公开", *, px: float = 16, weight: int = 400,
        color: tuple[float, float, float, float] = (0, 0, 0, 1),
        background: tuple[int, int, int] = (255, 255, 255), over_image: bool = False,
        line_height: float | None = None, length: int | None = None,
        selector: str = "p") -> TextRun:
    return TextRun(
        text=text, length=len(text) if length is None else length, selector=selector, tag="p",
        font_px=px, font_weight=weight, font_family="sans-serif", line_height_px=line_height,
        color=color, background=background, over_image=over_image, box=(0, 0, 100, 20),
        in_first_screen=True, landmark="main",
    )


def overlay(*, coverage: float, appeared: float | None, position: str = "fixed",
            box: tuple[float, float, float, float] = (0, 0, 1280, 900),
            selector: str = "#pop") -> Overlay:
    return Overlay(
        selector=selector, tag="div", position=position, z_index=999, box=box,
        viewport_coverage=coverage, text="广告", appeared_ms=appeared, close_box=None,
        close_label=None,
    )


def make_capture(**fields: Any) -> Capture:
    base: dict[str, Any] = {
        "url": "http://127.0.0.1/", "final_url": "http://127.0.0.1/", "http_status": 200,
        "mode": "standard", "viewport": "desktop", "viewport_size": (1280, 900),
        "document_size": (1280, 2000), "title": "测试", "lang": "zh-CN", "meta_viewport": None,
        "meta_refresh": None, "charset": "UTF-8", "text_runs": [], "text_runs_truncated": False,
        "interactive": [], "overlays": [], "iframes": [], "media": [], "links": [],
        "network": [], "console_errors": [], "dialogs": [], "screenshot": None,
        "screenshot_height": None, "axe": None, "warnings": [], "errors": {},
        "timings": Timings(navigation_ms=1, settle_ms=0, collect_ms=1, axe_ms=0,
                           screenshot_ms=0, total_ms=2),
        "chromium": "156.0",
    }
    base.update(fields)
    return Capture(**base)
