"""The Playwright driver started before the scan's modules are imported is the one the browser
pool then uses (not a second Node.js process), one nobody took is stopped, and Node keeps its
compiled code in elderscan's cache folder unless told otherwise."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import psutil
import pytest

from conftest import settings
from elderscan.scanner import driver_process
from elderscan.scanner.browser import BrowserPool, BrowserUnavailable

pytestmark = pytest.mark.browser


def _drivers(besides: frozenset[int] = frozenset()) -> list[psutil.Process]:
    """This process's Playwright drivers, except the pids `besides` (the browsers other test
    modules of this worker still hold: the suite's tests are spread across modules)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "run-driver" in " ".join(child.cmdline()) and child.pid not in besides:
                found.append(child)
        except psutil.Error:
            continue
    return found


@pytest.fixture
async def others(own_driver: None) -> AsyncIterator[frozenset[int]]:
    """The drivers running before the test; a driver started early and left by a test is
    stopped before and after this one (else the next pool of this loop would take it). The
    pools of the test start drivers of their own, not the session's kept one."""
    await driver_process.discard_early()
    yield frozenset(p.pid for p in _drivers())
    await driver_process.discard_early()


async def _until_no_driver(besides: frozenset[int],
                           seconds: float = 10) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while (left := _drivers(besides)) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return left


async def test_the_pool_takes_the_driver_started_early(others: frozenset[int]) -> None:
    driver_process.start_early()
    await asyncio.sleep(0.2)  # the driver is on its way
    [early] = _drivers(others)
    async with BrowserPool(settings()) as pool:
        assert pool.version
        assert [p.pid for p in _drivers(others)] == [early.pid]
    assert await _until_no_driver(others) == []


async def test_the_driver_runs_with_a_small_young_generation(
    monkeypatch: pytest.MonkeyPatch, others: frozenset[int]
) -> None:
    monkeypatch.setenv("NODE_OPTIONS", "--no-deprecation")
    driver_process.start_early()
    deadline = time.monotonic() + 10
    while not (started := _drivers(others)) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    [early] = started
    options = early.environ().get("NODE_OPTIONS", "")
    assert options.split() == ["--no-deprecation", driver_process.DRIVER_NODE_OPTIONS]
    await driver_process.discard_early()


def test_a_young_generation_the_user_chose_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    for chosen in ("--max-semi-space-size=32", "--max_semi_space_size=32"):
        monkeypatch.setenv("NODE_OPTIONS", chosen)
        driver_process._node_options()
        assert driver_process.os.environ["NODE_OPTIONS"] == chosen
    monkeypatch.delenv("NODE_OPTIONS")
    driver_process._node_options()
    assert driver_process.os.environ["NODE_OPTIONS"] == driver_process.DRIVER_NODE_OPTIONS


async def test_a_driver_nobody_took_is_stopped(others: frozenset[int]) -> None:
    driver_process.start_early()
    await asyncio.sleep(0.2)
    assert len(_drivers(others)) == 1
    await driver_process.discard_early()
    assert await _until_no_driver(others) == []
    await driver_process.discard_early()  # nothing left: nothing to do


async def test_node_keeps_its_compiled_code_in_elderscans_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, others: frozenset[int]
) -> None:
    monkeypatch.setenv("NODE_COMPILE_CACHE", "")  # so that it is restored after the test
    monkeypatch.delenv("NODE_COMPILE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    async with BrowserPool(settings()):
        pass
    cache = tmp_path / "elderscan" / "node-compile-cache"
    assert any(cache.iterdir())
    chosen = tmp_path / "chosen"
    monkeypatch.setenv("NODE_COMPILE_CACHE", str(chosen))
    async with BrowserPool(settings()):
        pass
    assert any(chosen.iterdir())


async def test_kept_pools_share_one_driver_until_the_end(others: frozenset[int]) -> None:
    async with driver_process.kept():
        async with BrowserPool(settings()) as first:
            assert first.version
            [driver] = _drivers(others)
        async with BrowserPool(settings()) as second:
            assert second.version
            assert [p.pid for p in _drivers(others)] == [driver.pid]
        assert [p.pid for p in _drivers(others)] == [driver.pid]  # kept between pools
    assert await _until_no_driver(others) == []


async def test_a_kept_driver_that_died_is_replaced(others: frozenset[int]) -> None:
    async with driver_process.kept():
        async with BrowserPool(settings()):
            [driver] = _drivers(others)
        driver.kill()
        driver.wait(10)
        with pytest.raises(BrowserUnavailable):
            async with BrowserPool(settings()):
                pass
        async with BrowserPool(settings()) as pool:
            assert pool.version
            [again] = _drivers(others)
            assert again.pid != driver.pid
    assert await _until_no_driver(others) == []
