"""The Playwright driver: the Node.js process every browser is launched and spoken to through.

It is the slowest part of a browser's start (0.6–0.7 s on two cores, of which Chromium's own
launch is 0.1 s), so `elderscan scan` starts it first and imports the scan's modules meanwhile
(`start_early`), and Node keeps the code it compiled for the next start (`NODE_COMPILE_CACHE`,
Node ≥ 22; about 0.1 s a start, the Node.js built into Playwright being 26). Every process that
starts a browser (the CLI, the API server, a worker) sets that variable for itself and its
children unless it is set already: `$XDG_CACHE_HOME/elderscan/node-compile-cache`, else
`~/.cache/elderscan/node-compile-cache`.

The driver's young generation is capped at 4 MB a semi-space (`NODE_OPTIONS`, unless it
names a size already): its traffic is short-lived protocol messages, and with Node's default it
held 218–235 MB of PSS at the peak of a 50-page scan at concurrency 4, against 162–187 MB with
the cap, for the same CPU (3 interleaved rounds).

A process that starts many pools in one loop, one after another (a test session), can keep one
driver for all of them (`kept`): a driver's start and stop cost 0.65 CPU s on two cores, a
Chromium launch 0.22."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from playwright.async_api import Playwright, async_playwright

_early: asyncio.Task[Playwright] | None = None
_kept: dict[asyncio.AbstractEventLoop, Playwright | None] = {}
"""Loops in `kept`, each with the driver its pools share once one has started."""


def _compile_cache() -> None:
    """Where Node keeps what it compiled of the driver, unless the user chose (or turned it
    off with NODE_DISABLE_COMPILE_CACHE): a folder it cannot write is ignored by Node."""
    if "NODE_COMPILE_CACHE" in os.environ:
        return
    try:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    except (RuntimeError, KeyError):  # no home folder (a service user without one)
        return
    os.environ["NODE_COMPILE_CACHE"] = str(Path(base) / "elderscan" / "node-compile-cache")


DRIVER_NODE_OPTIONS = "--max-semi-space-size=4"


def _node_options() -> None:
    options = os.environ.get("NODE_OPTIONS", "")
    if "--max-semi-space-size" not in options.replace("_", "-"):
        os.environ["NODE_OPTIONS"] = f"{options} {DRIVER_NODE_OPTIONS}".strip()


def start_early() -> None:
    """Start the driver now, in the running loop: the next `start` of this loop takes it."""
    global _early
    _compile_cache()
    _node_options()
    _early = asyncio.get_running_loop().create_task(async_playwright().start())


async def start() -> Playwright:
    """The driver started early in this loop, else the loop's kept one, else one started now.
    Give it back with `stop`."""
    global _early
    early, _early = _early, None
    loop = asyncio.get_running_loop()
    if early is not None and early.get_loop() is loop:
        return await early
    if (kept := _kept.get(loop)) is not None:
        return kept
    _compile_cache()
    _node_options()
    started = await async_playwright().start()
    if loop in _kept:
        _kept[loop] = started
    return started


async def stop(driver: Playwright) -> None:
    """Stop a driver `start` gave, unless it is its loop's kept one."""
    if _kept.get(asyncio.get_running_loop()) is not driver:
        await driver.stop()


def forget(driver: Playwright) -> None:
    """A kept driver that failed (its Node.js process gone) is not handed out again: the next
    `start` of the loop starts another. `stop` then stops it as any other."""
    loop = asyncio.get_running_loop()
    if _kept.get(loop) is driver:
        _kept[loop] = None


@contextlib.asynccontextmanager
async def kept() -> AsyncIterator[None]:
    """While inside, the pools of this loop share one driver, started by the first of them and
    stopped on the way out. Pools still launch and stop their own browsers, which take the
    environment the driver started with, not the one at their launch."""
    loop = asyncio.get_running_loop()
    _kept[loop] = None
    try:
        yield
    finally:
        if (driver := _kept.pop(loop, None)) is not None:
            with contextlib.suppress(Exception):
                await driver.stop()


async def discard_early() -> None:
    """Stop a driver started early that no browser took (the scan ended before it launched)."""
    global _early
    early, _early = _early, None
    if early is None:
        return
    with contextlib.suppress(Exception):  # one half started would outlive a cancel
        await (await asyncio.wait_for(early, 30)).stop()
