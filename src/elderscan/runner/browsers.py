"""Browsers kept between the scans of one runner, so a worker that scans site after site starts
Chromium once instead of once a site.

A launch and a close cost ~0.7 s and ~0.8 CPU s, about 15 % of the CPU of a 2-page site. Each
scan leases a whole pool, so scans never share slots, tabs or contexts (a crawl's contexts are
its own and closed when it ends); what carries over is the Chromium process, which the pool
still recycles every `RECYCLE_AFTER` pages. A pool is taken again only by a scan whose
browser settings (`BrowserPool.SETTINGS`) are the same; a scan that raised or was cancelled
closes its pool rather than hand on a browser in an unknown state.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from elderscan.settings import ScanSettings

if TYPE_CHECKING:  # Playwright loads when a scan needs it, not with the runner
    from elderscan.scanner.browser import BrowserPool


def pool_key(settings: ScanSettings) -> tuple[Hashable, ...]:
    from elderscan.scanner.browser import BrowserPool

    return tuple(getattr(settings, name) for name in BrowserPool.SETTINGS)


IDLE_SECONDS = 60.0
"""An idle pool is closed after this long: a service between scans holds no Chromium."""


@dataclass
class _Idle:
    key: tuple[Hashable, ...]
    pool: BrowserPool
    timer: asyncio.TimerHandle


class KeptBrowsers:
    """Idle browser pools of one event loop, at most `keep` of them, each closed once it has
    been idle `idle_seconds` (on a loop that is not running, such as a Celery worker's between
    tasks, when it next runs: before the next scan can lease it)."""

    def __init__(self, keep: int = 1, idle_seconds: float = IDLE_SECONDS) -> None:
        self.keep, self.idle_seconds = keep, idle_seconds
        self._idle: list[_Idle] = []
        self._closing: set[asyncio.Task[None]] = set()
        self.launched = 0

    @contextlib.asynccontextmanager
    async def lease(self, settings: ScanSettings) -> AsyncIterator[BrowserPool]:
        key = pool_key(settings)
        kept = next((i for i in self._idle if i.key == key and i.pool.is_alive()), None)
        if kept is not None:
            self._idle.remove(kept)
            kept.timer.cancel()
            pool = kept.pool
        else:
            from elderscan.scanner.browser import BrowserPool

            pool = BrowserPool(settings)
            await pool.start()
            self.launched += 1
        try:
            yield pool
        except BaseException:
            await pool.close()
            raise
        if self.keep <= 0 or not pool.is_alive():
            await pool.close()
            return
        loop = asyncio.get_running_loop()
        self._idle.append(_Idle(key, pool, loop.call_later(self.idle_seconds, self._expire,
                                                           pool)))
        while len(self._idle) > self.keep:
            oldest = self._idle.pop(0)
            oldest.timer.cancel()
            await oldest.pool.close()

    def _expire(self, pool: BrowserPool) -> None:
        idle = next((i for i in self._idle if i.pool is pool), None)
        if idle is not None:
            self._idle.remove(idle)
            task = asyncio.get_running_loop().create_task(pool.close())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for item in idle:
            item.timer.cancel()
            await item.pool.close()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
