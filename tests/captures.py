"""Builders for small hand-made captures, so check tests need no browser."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image as PILImage

from elderscan.capture import (
    AxeNode,
    AxeResults,
    AxeRule,
    Capture,
    ClippedText,
    FocusStep,
    Image,
    Interactive,
    Media,
    MovingElement,
    NetworkEntry,
    Overlay,
    Reflow,
    TextRun,
    Timings,
)
from elderscan.checks._registry import REGISTRY, Lang, RuleError, run_rule
from elderscan.finding import Finding

Box = tuple[float, float, float, float]


def run(text: str = "政务公开", *, px: float = 16, weight: int = 400,
        color: tuple[float, float, float, float] = (0, 0, 0, 1),
        background: tuple[int, int, int] = (255, 255, 255), over_image: bool = False,
        line_height: float | None = None, length: int | None = None,
        selector: str = "p", tag: str = "p", box: Box = (0, 0, 100, 20)) -> TextRun:
    return TextRun(
        text=text, length=len(text) if length is None else length, selector=selector, tag=tag,
        font_px=px, font_weight=weight, font_family="sans-serif", line_height_px=line_height,
        color=color, background=background, over_image=over_image, box=box,
        in_first_screen=True, landmark="main",
    )


def overlay(*, coverage: float, appeared: float | None, position: str = "fixed",
            box: tuple[float, float, float, float] = (0, 0, 1280, 900),
            selector: str = "#pop", text: str = "广告", close_box: Box | None = None,
            close_label: str | None = None, inside: str | None = None,
            z_index: int | None = 999) -> Overlay:
    return Overlay(
        selector=selector, tag="div", position=position, z_index=z_index, box=box,
        viewport_coverage=coverage, text=text, appeared_ms=appeared, close_box=close_box,
        close_label=close_label, inside=inside,
    )


def control(name: str = "办事服务", *, tag: str = "a", box: Box = (0, 0, 120, 48),
            selector: str | None = None, visible: bool = True, focusable: bool = True,
            text: str | None = None, href: str | None = None, id: str | None = None,
            role: str | None = None, aria_label: str | None = None,
            title: str | None = None) -> Interactive:
    return Interactive(
        tag=tag, role=role, type=None, text=name if text is None else text, name=name,
        aria_label=aria_label, title=title, href=href, id=id,
        selector=selector or f"#{tag}-{abs(hash(name)) % 10_000}", box=box, visible=visible,
        focusable=focusable, in_first_screen=True, landmark="main",
    )


def image(src: str = "/img/photo.png", *, alt: str | None = "照片", id: str | None = None,
          classes: str = "", box: Box = (100, 100, 120, 40), visible: bool = True,
          selector: str = "img") -> Image:
    return Image(selector=selector, src=src, alt=alt, id=id, classes=classes, box=box,
                 visible=visible, in_first_screen=True)


def media(*, tag: str = "audio", autoplay: bool = True, paused: bool = False,
          muted: bool = False, controls: bool = False, selector: str = "audio") -> Media:
    return Media(tag=tag, selector=selector, src="/a.mp3", autoplay=autoplay, paused=paused,
                 muted=muted, controls=controls)


def moving(*, changes: int = 4, window_ms: float = 12_000, pause_control: bool = False,
           selector: str = "#banner", box: Box = (0, 100, 1280, 300),
           position: str | None = None, travel_px: float | None = None,
           dom_selector: str | None = None) -> MovingElement:
    """Content that changed in place; with `position`, a box that drifted across the page."""
    return MovingElement(selector=selector, box=box, changes=changes, window_ms=window_ms,
                         pause_control=pause_control, position=position, travel_px=travel_px,
                         dom_selector=dom_selector)


def focus_step(selector: str = "a", *, indicator: bool = True, name: str = "首页") -> FocusStep:
    return FocusStep(selector=selector, tag="a", name=name, box=(0, 0, 60, 24),
                     indicator=indicator, changes=["outline-style"] if indicator else [])


def reflow(*clipped: ClippedText, runs: int = 10, scroll: bool = False,
           candidates: int | None = None) -> Reflow:
    """`candidates` (texts inside an overflow-hiding box) defaults to every run."""
    return Reflow(viewport_width=640, clipped=list(clipped), horizontal_scroll=scroll,
                  text_runs=runs, candidates=runs if candidates is None else candidates)


def clipped(selector: str = "#notice", *, clip_box: Box = (0, 0, 300, 24)) -> ClippedText:
    return ClippedText(selector=selector, text="通知公告：关于调整办公时间的通知",
                       box=(0, 0, 600, 48), clip_box=clip_box)


def request(url: str, resource_type: str = "script") -> NetworkEntry:
    return NetworkEntry(url=url, resource_type=resource_type, method="GET", status=200,
                        size=None, failure=None)


def axe_rule(rule_id: str = "image-alt", *, impact: str | None = "critical",
             tags: tuple[str, ...] = ("cat.text-alternatives", "wcag2a", "wcag111"),
             targets: tuple[str, ...] = ("img.logo",),
             frame_url: str = "http://127.0.0.1/") -> AxeRule:
    return AxeRule(
        id=rule_id, impact=impact, tags=list(tags), help=f"{rule_id} help",
        help_url=f"https://dequeuniversity.com/rules/axe/4.10/{rule_id}",
        nodes=[AxeNode(target=[t], html=f"<x class='{t}'>", frame_url=frame_url,
                       failure_summary="Fix this") for t in targets],
    )


def axe(*, violations: tuple[AxeRule, ...] = (), incomplete: tuple[AxeRule, ...] = (),
        passes: tuple[str, ...] = ()) -> AxeResults:
    return AxeResults(version="4.10.0", frames=1, frame_errors=[], violations=list(violations),
                      incomplete=list(incomplete), passes=list(passes), inapplicable=[])


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


def judge(rule_id: str, capture: Capture, lang: Lang = "en") -> list[Finding]:
    """Run one registered rule on a capture, as the runner would; a rule error fails the test."""
    import elderscan.checks  # noqa: F401  (registers every rule)

    result = run_rule(REGISTRY[rule_id], capture, lang)
    assert not isinstance(result, RuleError), result
    other = run_rule(REGISTRY[rule_id], capture, "zh" if lang == "en" else "en")
    assert not isinstance(other, RuleError), other
    for found in result + other:  # a template for every key, every field filled from data
        key = (found.message_key or "").rsplit(".", 1)[-1]
        assert "{" not in found.message and found.message != key, found
    return result


def outcomes(found: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.outcome, f.selector) for f in found]


Background = Callable[[int, int], tuple[int, int, int]]


def solid(rgb: tuple[int, int, int]) -> Background:
    return lambda x, y: rgb


def gradient(left: tuple[int, int, int], right: tuple[int, int, int], x0: int,
             width: int) -> Background:
    def at(x: int, y: int) -> tuple[int, int, int]:
        f = min(1.0, max(0.0, (x - x0) / max(1, width - 1)))
        r, g, b = (round(a + (c - a) * f) for a, c in zip(left, right, strict=True))
        return r, g, b

    return at


def noise(base: int, spread: int, seed: int = 1) -> Background:
    rng = random.Random(seed)
    cache: dict[tuple[int, int], tuple[int, int, int]] = {}

    def at(x: int, y: int) -> tuple[int, int, int]:
        if (x, y) not in cache:
            v = max(0, min(255, base + rng.randint(-spread, spread)))
            cache[(x, y)] = (v, v, v)
        return cache[(x, y)]

    return at


def paint(path: Path, background: Background, *, size: tuple[int, int] = (400, 300),
          text: tuple[Box, tuple[int, int, int]] | None = None) -> str:
    """A fake screenshot: `background`, with glyph-like strokes of a colour inside a box
    (2 px bars every 5 px, about 40 % ink, as text covers its box)."""
    img = PILImage.new("RGB", size)
    pixels = img.load()
    assert pixels is not None
    for y in range(size[1]):
        for x in range(size[0]):
            pixels[x, y] = background(x, y)
    if text is not None:
        (bx, by, bw, bh), rgb = text
        for x in range(int(bx) + 1, int(bx + bw) - 1):
            if (x - int(bx)) % 5 < 2:
                for y in range(int(by) + 2, int(by + bh) - 2):
                    pixels[x, y] = rgb
    img.save(path)
    return str(path)
