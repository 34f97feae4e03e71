"""The browser dies mid-scan or ages out: no page is lost either way."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

import pytest

from conftest import settings
from elderscan.capture import Capture
from elderscan.errors import BrowserUnavailable
from elderscan.scanner._chromium import browser_name, find_chromium
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.site import capture_site

pytestmark = pytest.mark.browser


async def test_browser_killed_mid_scan_loses_no_page(hostile_url: str) -> None:
    opts = settings(max_pages=20, concurrency=2, include=(r"/(ok|dialogs|never-load)\.html$",),
                    max_depth=1)
    pool = BrowserPool(opts)
    await pool.start()
    killed: list[int] = []

    def on_page(kind: str, data: dict[str, object]) -> None:
        # Kill Chromium (SIGKILL, as the OOM killer would) when the second page is done, while
        # never-load.html (which takes seconds) is certainly still in flight.
        if kind == "page" and data["done"] == 2 and not killed and pool.pid is not None:
            killed.append(pool.pid)
            os.kill(pool.pid, signal.SIGKILL)

    try:
        site = await capture_site(hostile_url, opts, pool=pool, progress=on_page)
    finally:
        await pool.close()
    assert killed
    assert pool.launches >= 2
    urls = sorted(p.url.removeprefix(hostile_url) for p in site.pages)
    assert urls == ["", "dialogs.html", "never-load.html", "ok.html"]
    assert all(isinstance(p, Capture) for p in site.pages), site.pages


async def test_browser_is_recycled_after_n_pages(hostile_url: str) -> None:
    async with BrowserPool(settings(recycle_after=2, concurrency=1)) as pool:
        first_pid = pool.pid
        titles = [await _open(pool, hostile_url + "ok.html") for _ in range(5)]
        assert titles == ["正常页面"] * 5
        assert pool.launches == 3  # pages 1-2, 3-4, 5
        assert pool.pid != first_pid
        assert pool.crashes == 0


async def test_recycling_waits_for_pages_in_flight(hostile_url: str) -> None:
    async with BrowserPool(settings(recycle_after=2, concurrency=3)) as pool:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_open(pool, hostile_url + "ok.html")) for _ in range(7)]
        assert [t.result() for t in tasks] == ["正常页面"] * 7
        assert pool.launches >= 2
        assert pool.crashes == 0


async def _open(pool: BrowserPool, url: str) -> str:
    async with pool.context("desktop") as ctx:
        page = await ctx.new_page()
        await page.goto(url)
        return await page.title()


async def test_contexts_are_isolated(hostile_url: str) -> None:
    """State one page leaves (an elder-mode flag in localStorage) never reaches the next."""
    async with BrowserPool(settings()) as pool:
        async with pool.context("desktop") as ctx:
            page = await ctx.new_page()
            await page.goto(hostile_url + "ok.html")
            await page.evaluate("localStorage.setItem('elderMode', '1')")
        async with pool.context("desktop") as ctx:
            page = await ctx.new_page()
            await page.goto(hostile_url + "ok.html")
            assert await page.evaluate("localStorage.getItem('elderMode')") is None


async def test_a_browser_that_dies_as_it_starts_is_started_once_more(tmp_path: Path) -> None:
    real = find_chromium()
    starts = tmp_path / "starts"
    flaky = tmp_path / browser_name(real)  # its first start exits at once, as one did in a test run
    flaky.write_text(f'#!/bin/sh\necho start >> "{starts}"\n'
                     f'[ "$(wc -l < "{starts}")" -eq 1 ] && exit 1\nexec "{real}" "$@"\n', "utf-8")
    flaky.chmod(0o755)
    async with BrowserPool(settings(chromium=str(flaky))) as pool:
        assert pool.launches == 1
        assert pool.version
    assert starts.read_text("utf-8").count("start") == 2


async def test_a_browser_that_never_starts_is_one_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "chromium"
    starts = tmp_path / "starts"
    broken.write_text(f'#!/bin/sh\necho start >> "{starts}"\nexit 1\n', "utf-8")
    broken.chmod(0o755)
    with pytest.raises(BrowserUnavailable, match=re.escape(f"Chromium at {broken} did not start")):
        async with BrowserPool(settings(chromium=str(broken))):
            pass
    assert starts.read_text("utf-8").count("start") == 2  # tried twice, not forever
