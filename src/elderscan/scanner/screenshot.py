"""The screenshot step: how far down the page to shoot, waiting for the images it will show,
and the shot itself (straight through the DevTools protocol where it can be), plus the copy
with overlays hidden (`unmasked`)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from elderscan.capture import Mode, Viewport, unmasked_screenshot
from elderscan.errors import first_line
from elderscan.i18n import english
from elderscan.scanner.browser import VIEWPORTS
from elderscan.scanner.dompass import DomPass
from elderscan.scanner.failures import reraise_crash
from elderscan.scanner.page_context import PageContext
from elderscan.scanner.page_scripts import FREEZE, IMAGES_READY
from elderscan.scanner.unmasked import unmasked_shot
from elderscan.settings import ScanSettings

IMAGES_READY_S = 5.0
"""How long a screenshot waits for the images it will show (see js/images_ready.js)."""
SHOT_PAD_PX = 16
"""below the lowest text over an image, beyond its font size: covers the pixel check's margin"""
SHOT_TIMEOUT_S = 30
REFUSED = "Unable to capture screenshot"
"""What Chromium sometimes answers a capture with, then takes the same picture when asked again
(1 in ~11 full test runs here; robotframework-browser#5237 saw it on 7 % of one CI leg)."""
REFUSED_PAUSE_S = 0.25


def screenshot_name(url: str, viewport: Viewport, mode: Mode) -> str:
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return f"{digest}-{viewport}-{mode}.png"


async def shoot_step(ctx: PageContext) -> None:
    """The page's screenshot, when there is a folder for it and a part worth shooting; a shot
    that fails costs the screenshot (an error in the capture), never the page."""
    target, page = ctx.target, ctx.page
    if target.screenshot_dir is None:
        return
    ctx.shot_height = shot_height(ctx.dom, ctx.settings)
    if ctx.shot_height is None:
        return
    width = VIEWPORTS[target.viewport]["viewport"]["width"]
    path = target.screenshot_dir / screenshot_name(target.url, target.viewport, target.mode)
    height = ctx.shot_height
    await images_ready(page, height, ctx.warnings)

    async def shoot(to: Path) -> None:
        await again_if_refused(lambda: shoot_once(to))

    async def shoot_once(to: Path) -> None:
        if VIEWPORTS[target.viewport]["has_touch"]:
            # Playwright turns touch emulation back on after a capture beyond the
            # viewport (Chromium drops it); its own screenshot does that right.
            await page.screenshot(path=str(to), full_page=True, scale="css",
                                  type="png", timeout=SHOT_TIMEOUT_S * 1000,
                                  animations="disabled",
                                  clip={"x": 0, "y": 0, "width": width, "height": height})
        else:
            await asyncio.wait_for(take_screenshot(page, to, width, height), SHOT_TIMEOUT_S)

    try:
        await shoot(path)
        ctx.shot_path = path.name  # relative to the screenshot folder, as results name it
        await unmasked_shot(page, ctx.dom.overlays, unmasked_screenshot(path), shoot,
                            ctx.warnings)
    except TimeoutError:
        ctx.errors["screenshot"] = english("reasons.shot_slow", seconds=f"{SHOT_TIMEOUT_S:g}")
        ctx.shot_height = None
    except PlaywrightError as exc:
        reraise_crash(exc)
        ctx.errors["screenshot"] = first_line(exc, 300)
        ctx.shot_height = None


async def again_if_refused(shoot: Callable[[], Awaitable[None]]) -> None:
    """`shoot`, and once more after a short pause if Chromium refused the capture outright; any
    other error, or a second refusal, is the caller's."""
    try:
        await shoot()
    except PlaywrightError as exc:
        if REFUSED not in str(exc):
            raise
        await asyncio.sleep(REFUSED_PAUSE_S)
        await shoot()


def shot_height(data: DomPass, settings: ScanSettings) -> int | None:
    """How far down from the page's top the screenshot reaches, or None for no screenshot.

    A whole page costs about a fifth of a capture on a portal page (raster and encode of a
    1280 × 4000 px image). Only the pixel contrast check reads it when nobody keeps the file,
    and only around text over images and gradients."""
    whole = max(1, min(data.document_size[1], settings.SCREENSHOT_MAX_HEIGHT))
    if settings.SCREENSHOT_SCOPE == "page":
        return whole
    # the box, then the margin ring the check reads (a quarter of the font size, ≥ 4 px)
    bottoms = [run.box[1] + run.box[3] + run.font_px + SHOT_PAD_PX
               for run in data.text_runs if run.over_image]
    return min(whole, max(1, math.ceil(max(bottoms)))) if bottoms else None


async def images_ready(page: Page, height: int, warnings: list[str]) -> None:
    """Let the images in the top `height` px finish loading before they are photographed: a
    background image may still be on its way after the load event, and text judged against
    the colour beneath it would get the wrong verdict (5 to 23 of 300 captures of
    `gov-image-text` with both cores busy and no settle wait; none of 300 with this wait). A
    page whose images never arrive is shot as it is, with a warning."""
    try:
        await asyncio.wait_for(IMAGES_READY(page, height), IMAGES_READY_S)
    except TimeoutError:
        warnings.append(f"images under the screenshot had not loaded within "
                        f"{IMAGES_READY_S:g}s; shot as they were")
    except PlaywrightError as exc:
        reraise_crash(exc)
        warnings.append(f"could not wait for the page's images: {first_line(exc, 200)}")


async def take_screenshot(page: Page, target: Path, width: int, height: int) -> None:
    """The page from its top, `width` x `height` CSS px, as PNG (a viewport without touch and
    at device scale 1).

    Straight through the DevTools protocol rather than `page.screenshot`: Chromium's
    `optimizeForSpeed` encoding takes ~280 ms where the default takes ~440 ms (median of 20
    corpus pages), and the pixels are the same (a lossless PNG either way, only less packed).
    A shot that lies inside the unscrolled viewport is taken without `captureBeyondViewport`,
    which would resize the view to the whole page and lay it out again (the same pixels, ~37 ms
    less CPU a shot on the benchmark corpus)."""
    session = await page.context.new_cdp_session(page)
    try:
        frozen = await FREEZE(page, "freeze")
        try:
            shot = await session.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": not in_viewport(frozen, width, height),
                "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        finally:
            await FREEZE(page, "thaw")
    finally:
        with contextlib.suppress(PlaywrightError):
            await session.detach()
    await asyncio.to_thread(target.write_bytes, base64.b64decode(shot["data"]))


def in_viewport(frozen: Any, width: int, height: int) -> bool:
    """Whether the top `width` x `height` CSS px of the page are all on screen (`frozen`:
    what freeze.js reports)."""
    if not isinstance(frozen, dict):
        return False
    scroll, viewport = frozen.get("scroll") or [1, 1], frozen.get("viewport") or [0, 0]
    return bool(scroll[0] == 0 and scroll[1] == 0 and width <= viewport[0]
                and height <= viewport[1])
