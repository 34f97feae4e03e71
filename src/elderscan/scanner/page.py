"""Capture one page in one viewport: load it, let it settle, then run the capture steps —
DOM pass, axe-core, anchors, screenshot, probes — in the order `STEPS` gives, over one
`PageContext`, so a step can be timed, skipped or moved in one place.

Everything that can go wrong on a hostile or broken page ends as a `PageFailure` with a reason
code, never as an exception out of here (except a browser crash, which the caller retries on a
fresh browser so no page is lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Error as PlaywrightError

from elderscan.capture import Capture, Mode, PageFailure, Timings, Viewport
from elderscan.errors import first_line
from elderscan.scanner.anchoring import anchor_pass, axe_selectors
from elderscan.scanner.axe import run_axe
from elderscan.scanner.browser import VIEWPORTS, BrowserPool
from elderscan.scanner.dompass import dom_pass, version_controls
from elderscan.scanner.failures import (
    OUT_OF_MEMORY,
    REUSABLE_AFTER,
    BrowserCrashed,
    PageFailed,
    classify,
    reraise_crash,
)
from elderscan.scanner.navigation import HostSlot, navigate
from elderscan.scanner.page_context import OnDom, PageContext, PageTarget
from elderscan.scanner.page_probes import run_probes
from elderscan.scanner.recorder import PageRecorder
from elderscan.scanner.screenshot import shoot_step
from elderscan.settings import ScanSettings


@dataclass(frozen=True)
class Step:
    """One capture step: its name (the key of its time in `PageContext.spent_ms`) and what it
    does to the context."""

    name: str
    run: Callable[[PageContext], Awaitable[None]]


async def _dom_step(ctx: PageContext) -> None:
    ctx.data = await dom_pass(ctx.page, ctx.settings, ctx.warnings)
    if (ctx.target.on_dom is not None and ctx.target.viewport == "desktop"
            and ctx.settings.PROBE_VERSIONS):  # the home page, for the versions probe
        ctx.version_controls = await version_controls(ctx.page)


async def _axe_step(ctx: PageContext) -> None:
    if not ctx.settings.AXE:
        return
    session = ctx.target.session
    try:
        if session is None:  # a page that is not a tab's (an elder version's, say)
            session = await ctx.page.context.new_cdp_session(ctx.page)
        ctx.axe = await run_axe(ctx.page, ctx.settings.AXE_TIMEOUT, ctx.settings.AXE_LOCALE,
                                session)
    except Exception as exc:
        if isinstance(exc, PlaywrightError):
            reraise_crash(exc)
        ctx.errors["axe"] = first_line(exc, 300)
    finally:
        if session is not None and session is not ctx.target.session:
            with contextlib.suppress(Exception):
                await session.detach()


async def _anchors_step(ctx: PageContext) -> None:
    """Anchors of everything the checks can name, before the probes move clock and viewport."""
    ctx.anchors_ms += await anchor_pass(ctx.page, axe_selectors(ctx.axe, ctx.page.url),
                                        ctx.anchors, ctx.snippets, ctx.errors, registry=True)


async def _probes_step(ctx: PageContext) -> None:
    """Keyboard, zoom and motion, then anchors of the elements only they found."""
    if not ctx.settings.PROBES:
        return
    size = VIEWPORTS[ctx.target.viewport]["viewport"]
    ctx.focus, ctx.reflow, ctx.motion, left = await run_probes(
        ctx.page, ctx.target.viewport, size, ctx.errors, ctx.target.recorder.page_error)
    if left:  # what the probes found was on a document that is gone
        return
    probed = [step.selector for step in ctx.focus or []]
    probed += [clip.selector for clip in ctx.reflow.clipped] if ctx.reflow else []
    probed += [moving.selector for moving in ctx.motion or []]
    ctx.anchors_ms += await anchor_pass(ctx.page, [p for p in probed if p not in ctx.anchors],
                                        ctx.anchors, ctx.snippets, ctx.errors)


STEPS: tuple[Step, ...] = (
    Step("collect", _dom_step),
    Step("axe", _axe_step),
    Step("anchors", _anchors_step),
    Step("screenshot", shoot_step),
    Step("probes", _probes_step),
)
"""The capture steps in the order they run: the anchors come right after axe-core, so the
text they read is the text the checks judged; the probes last, since they press keys, resize
the viewport and run the page's clock."""


def not_captured_in_time(settings: ScanSettings) -> str:
    """What a page that outlasted `PAGE_TIMEOUT` is recorded as failing with."""
    return (f"page not captured within {settings.PAGE_TIMEOUT:g}s "
            "(a script that never yields, or a page that never loads)")


async def capture_page(
    pool: BrowserPool,
    url: str,
    viewport: Viewport,
    settings: ScanSettings,
    *,
    mode: Mode = "standard",
    screenshot_dir: Path | None = None,
    host_slot: HostSlot | None = None,
    tab_key: str | None = None,
    on_dom: OnDom | None = None,
    probe: bool = False,
) -> Capture | PageFailure:
    """Capture `url`, or say why not. Raises `BrowserCrashed` only when Chromium itself died.

    With a `tab_key` (one per site crawl) the page may be captured in a tab that captured
    another page of the same crawl before, its cookies and storage cleared (see `BrowserPool`).

    `on_dom` hears the page as the DOM pass saw it (see `PageTarget.on_dom`); it is given for
    the home page only, which is loaded through a splash page in front of it (`splash`). A
    site `probe`'s capture (an elder version's pages) takes a probe slot (see
    `BrowserPool.context`).

    `host_slot` is held while the page loads (the politeness limit on requests to one host),
    not while it settles and is measured, so more pages can be in the works than are loading."""

    def failure(reason: str, message: str, status: int | None = None,
                final: str | None = None) -> PageFailure:
        return PageFailure(url=url, final_url=final, http_status=status, mode=mode,
                           viewport=viewport, reason=reason, message=message)

    recorder: PageRecorder | None = None
    kills = pool.memory_kills
    try:
        async with pool.tab(viewport, tab_key, probe=probe) as tab:
            page = tab.page
            if settings.PROBES and not tab.clock_installed:
                await page.clock.install()
                tab.clock_installed = True
            recorder = PageRecorder(page)
            tab.reusable = False  # until the capture ends in a state worth keeping
            try:
                async with asyncio.timeout(settings.PAGE_TIMEOUT) as budget:
                    nav = await navigate(page, recorder, url, settings, host_slot,
                                         fake_clock=settings.PROBES, home=on_dom is not None,
                                         budget=budget)
                    capture = await collect(PageTarget(page, recorder, nav, url, viewport, mode,
                                                       settings, screenshot_dir, pool.version,
                                                       on_dom, tab.cdp))
                tab.reusable = True
                return capture
            except TimeoutError:
                status = recorder.main_response.status if recorder.main_response else None
                if recorder.crashed or pool.ran_out_of_memory(kills):
                    return failure("crash", OUT_OF_MEMORY, status)
                return failure("timeout", not_captured_in_time(settings), status)
            except PageFailed as failed:
                # Judged before the context closes: the renderer is still there to be measured.
                if failed.reason == "timeout" and (recorder.crashed
                                                   or pool.ran_out_of_memory(kills)):
                    raise PageFailed("crash", OUT_OF_MEMORY, failed.status,
                                     failed.final_url) from None
                tab.reusable = failed.reason in REUSABLE_AFTER
                raise
            finally:
                recorder.detach()
    except PageFailed as failed:
        return failure(failed.reason, failed.message, failed.status, failed.final_url)
    except PlaywrightError as exc:
        reason = classify(exc)
        if recorder is not None and recorder.crashed:
            reason = "crash"
        if reason == "browser-crash" or not pool.is_alive():
            raise BrowserCrashed(first_line(exc, 300)) from exc
        message = first_line(exc, 300)
        if reason == "crash":
            message = OUT_OF_MEMORY
        return failure(reason, message)


async def collect(target: PageTarget) -> Capture:
    """Everything about the page as it is now: the capture steps, in order, then the capture."""
    ctx = PageContext(target)
    started = time.perf_counter()
    for step in STEPS:
        began = time.perf_counter()
        await step.run(ctx)
        ctx.spent_ms[step.name] = (time.perf_counter() - began) * 1000
        if step.name == "collect" and target.on_dom is not None:
            target.on_dom(_capture_of(ctx, settle_ms=(started - target.nav.loaded) * 1000,
                                      total_ms=(time.perf_counter() - target.nav.started) * 1000))
    return _capture_of(ctx, settle_ms=(started - target.nav.loaded) * 1000,
                       total_ms=(time.perf_counter() - target.nav.started) * 1000)


def _capture_of(ctx: PageContext, *, settle_ms: float, total_ms: float) -> Capture:
    target, data, nav = ctx.target, ctx.dom, ctx.target.nav
    size = VIEWPORTS[target.viewport]["viewport"]
    spent = ctx.spent_ms
    return Capture(
        url=target.url,
        final_url=ctx.page.url,
        http_status=nav.status,
        mode=target.mode,
        viewport=target.viewport,
        viewport_size=(size["width"], size["height"]),
        document_size=data.document_size,
        title=data.title[:500],
        lang=data.lang,
        meta_viewport=data.meta_viewport,
        meta_refresh=nav.refreshes[0] if nav.refreshes else data.meta_refresh,
        meta_refreshes=nav.refreshes or ([data.meta_refresh] if data.meta_refresh else []),
        charset=data.charset,
        text_runs=data.text_runs,
        text_runs_truncated=data.text_runs_truncated,
        interactive=data.interactive,
        overlays=data.overlays,
        iframes=data.iframes,
        media=data.media,
        links=data.links,
        images=data.images,
        scripts=data.scripts,
        spacing=data.spacing,
        focus=ctx.focus,
        reflow=ctx.reflow,
        motion=ctx.motion,
        network=target.recorder.network,
        console_errors=target.recorder.console_errors,
        dialogs=data.dialogs,
        screenshot=ctx.shot_path,
        screenshot_height=ctx.shot_height,
        axe=ctx.axe,
        version_controls=ctx.version_controls,
        anchors=ctx.anchors,
        snippets=ctx.snippets,
        warnings=ctx.warnings,
        errors=ctx.errors,
        timings=Timings(
            navigation_ms=round((nav.loaded - nav.started) * 1000, 1),
            settle_ms=round(settle_ms, 1),
            collect_ms=round(spent.get("collect", 0.0), 1),
            axe_ms=round(spent.get("axe", 0.0), 1),
            screenshot_ms=round(spent.get("screenshot", 0.0), 1),
            probes_ms=round(spent.get("probes", 0.0), 1),
            anchors_ms=round(ctx.anchors_ms, 1),
            total_ms=round(total_ms, 1),
        ),
        chromium=target.chromium,
    )
