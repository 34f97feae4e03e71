"""The local runner: scans run in this process, on one asyncio loop, a few at a time.

The default when no broker is configured: `elderscan batch` runs its scans here, and
`elderscan serve` submits the API's scans here (through `elderscan.runner.dispatch`).

    runner = LocalRunner(concurrency=2)
    futures = [runner.submit(scan_id) for scan_id in ids]   # thread-safe, returns at once
    ...
    runner.stop()

The loop lives in a daemon thread, so a caller on any thread (a FastAPI handler, the CLI's
progress loop) can submit. A scan submitted twice while in flight runs once. A scan held by
another live runner (`busy`) is asked for again every `recheck` seconds, without holding a
slot, until it is finished or its holder is gone.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import threading
from collections.abc import Iterable

from elderscan.runner.browsers import KeptBrowsers
from elderscan.runner.config import RunnerSettings, runner_settings
from elderscan.runner.task import Outcome, local_worker_id, run_scan_async

log = logging.getLogger("elderscan.runner")

RECHECK_SECONDS = 10.0


class LocalRunner:
    """Bounded concurrent scans on a background event loop."""

    def __init__(self, concurrency: int | None = None, *, worker: str | None = None,
                 config: RunnerSettings | None = None,
                 recheck: float = RECHECK_SECONDS) -> None:
        self.config = config or runner_settings()
        self.concurrency = concurrency or self.config.RUNNER_CONCURRENCY
        self.worker = worker or local_worker_id()
        self.recheck = recheck
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._semaphore: asyncio.Semaphore | None = None
        self._browsers = KeptBrowsers(self.concurrency if self.config.KEEP_BROWSERS else 0)
        self._inflight: dict[int, concurrent.futures.Future[Outcome]] = {}

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> LocalRunner:
        with self._lock:
            if self._thread is not None:
                return self
            self._thread = threading.Thread(target=self._main, name="elderscan-local-runner",
                                            daemon=True)
            self._thread.start()
        self._ready.wait()
        return self

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._semaphore = asyncio.Semaphore(self.concurrency)
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(self._browsers.close())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def stop(self, timeout: float = 30.0) -> None:
        """Cancel what is running (those scans stay `running`; a later runner takes them over
        once this process is gone) and end the loop thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)

    def __enter__(self) -> LocalRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- work -------------------------------------------------------------------------

    def submit(self, scan_id: int) -> concurrent.futures.Future[Outcome]:
        """Run a stored scan; the future's result is its outcome. Never raises for a failing
        site (that is recorded in the store); the future holds an exception only when the
        store itself could not be used."""
        self.start()
        assert self._loop is not None
        with self._lock:
            future = self._inflight.get(scan_id)
            if future is not None and not future.done():
                return future
            future = asyncio.run_coroutine_threadsafe(self._run(scan_id), self._loop)
            self._inflight[scan_id] = future
            future.add_done_callback(functools.partial(self._forget, scan_id))
            return future

    def submit_many(self, scan_ids: Iterable[int]) -> list[concurrent.futures.Future[Outcome]]:
        return [self.submit(i) for i in scan_ids]

    def _forget(self, scan_id: int, future: concurrent.futures.Future[Outcome]) -> None:
        with self._lock:
            if self._inflight.get(scan_id) is future:
                del self._inflight[scan_id]
        if not future.cancelled() and future.exception() is not None:
            log.error("scan %s: runner error: %s", scan_id, future.exception())

    def busy(self) -> int:
        """Scans submitted and not finished."""
        with self._lock:
            return sum(1 for f in self._inflight.values() if not f.done())

    async def _run(self, scan_id: int) -> Outcome:
        assert self._semaphore is not None
        while True:
            async with self._semaphore:
                outcome = await run_scan_async(scan_id, worker=self.worker, config=self.config,
                                               browsers=self._browsers)
            if outcome != "busy":
                return outcome
            await asyncio.sleep(self.recheck)


async def run_scans(scan_ids: Iterable[int], concurrency: int | None = None,
                    config: RunnerSettings | None = None) -> dict[int, Outcome]:
    """Run stored scans on the current event loop, `concurrency` at a time (no thread)."""
    cfg = config or runner_settings()
    at_once = concurrency or cfg.RUNNER_CONCURRENCY
    limit = asyncio.Semaphore(at_once)
    worker = local_worker_id()
    browsers = KeptBrowsers(at_once if cfg.KEEP_BROWSERS else 0)

    async def one(scan_id: int) -> Outcome:
        while True:
            async with limit:
                outcome = await run_scan_async(scan_id, worker=worker, config=cfg,
                                               browsers=browsers)
            if outcome != "busy":
                return outcome
            await asyncio.sleep(RECHECK_SECONDS)

    ids = list(dict.fromkeys(scan_ids))
    try:
        outcomes = await asyncio.gather(*(one(i) for i in ids))
    finally:
        await browsers.close()
    return dict(zip(ids, outcomes, strict=True))
