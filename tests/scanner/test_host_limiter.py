"""The per-host limit on requests: how many at once, the gap between them, and which waiter
goes next (a page load before preflights fetched ahead of it). No browser."""

from __future__ import annotations

import asyncio
import itertools
import time

from elderscan.scanner.crawl import HostLimiter


async def test_host_limiter_spaces_and_bounds_requests() -> None:
    limiter = HostLimiter(concurrency=1, delay=0.2)
    starts: list[float] = []
    running = 0
    peak = 0

    async def request() -> None:
        nonlocal running, peak
        async with limiter.slot("http://127.0.0.1:9/x"):
            starts.append(time.monotonic())
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(request() for _ in range(4)))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert peak == 1
    assert all(gap >= 0.19 for gap in gaps), gaps


async def test_a_page_load_takes_the_hosts_next_slot_before_waiting_preflights() -> None:
    """A capture's time limit runs while it waits for the host: a page load asked for `first`
    goes ahead of every preflight already queued (the crawl preflights ahead of its captures)."""
    limiter = HostLimiter(concurrency=1, delay=0.0)
    order: list[str] = []
    release = asyncio.Event()

    async def request(name: str, first: bool = False) -> None:
        async with limiter.slot("http://127.0.0.1:9/x", first=first):
            order.append(name)
            if name == "held":
                await release.wait()

    held = asyncio.create_task(request("held"))
    await asyncio.sleep(0)
    queued = [asyncio.create_task(request(f"preflight {n}")) for n in range(3)]
    load = asyncio.create_task(request("page load", first=True))
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(held, *queued, load)
    assert order == ["held", "page load", "preflight 0", "preflight 1", "preflight 2"]


async def test_a_waiter_cancelled_in_the_queue_or_as_its_turn_comes_keeps_no_slot() -> None:
    limiter = HostLimiter(concurrency=1, delay=0.0)
    release = asyncio.Event()

    async def hold() -> None:
        async with limiter.slot("http://h/a"):
            await release.wait()

    async def take() -> str:
        async with limiter.slot("http://h/b"):
            return "got it"

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    gone = asyncio.create_task(take())  # cancelled while it waits
    late = asyncio.create_task(take())  # cancelled as the holder leaves (handed the slot or not)
    await asyncio.sleep(0)
    gone.cancel()
    release.set()
    await asyncio.sleep(0)  # the holder leaves and hands its slot over …
    late.cancel()  # … to `late`, cancelled before it can use it
    await asyncio.gather(holder, gone, late, return_exceptions=True)
    assert await asyncio.wait_for(take(), 1) == "got it"  # the slot came back
