"""`run_scan`: the one task both runners execute — claim a stored scan, run it, store the result.

    outcome = run_scan(scan_id, worker=local_worker_id())   # "done", "failed", "skipped", "busy"

Steps: claim the scan (`claim_scan`, atomic; nothing to do when another delivery already
finished it), build the scan settings from the scan's stored options, run `scan_site` under a
hard time limit with screenshots in `scan_artifacts_dir(scan_id)`, write progress while it runs,
and `save_result`. Any error becomes `fail_scan` with a code and a one-line message — a site
that fails is recorded and never stops a batch — except a *transient* one (the database or the
browser unavailable) when the caller asked to retry it (`retry_transient=True`, Celery). The
last write, result or failure, is retried while the store refuses writes (`outcome.finish`),
so a full disk does not leave the scan `running`.

Who may take over a scan left `running`: a claim names its holder (`worker`). A scan running
under a holder that is gone — a local process that exited, a Celery worker that no longer runs
it — is taken over at once; one whose holder cannot be asked (another machine) only once its
lease (`SCAN_TIMEOUT + SCAN_LEASE_GRACE` after the claim) has run out. A live holder is left
alone and the caller is told `busy`. At worst (two takers racing) a scan runs twice; it is
stored once, because `save_result` replaces and a batch has one scan per site.

It is longer than 400 lines because claim, time limit, progress, result and failure
handling are one lifecycle whose steps share the claim; split, each part would need them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import psutil
from pydantic import ValidationError

from elderscan.contract import ScanReport
from elderscan.errors import STORE_CODE, BrowserUnavailable, failure_code, one_line
from elderscan.runner.config import RunnerSettings, runner_settings
from elderscan.runner.outcome import StoreRefused, fail, finish
from elderscan.settings import ScanSettings, describe_error, load_settings

if TYPE_CHECKING:
    from elderscan.runner.browsers import KeptBrowsers

log = logging.getLogger("elderscan.runner")

Outcome = Literal["done", "failed", "skipped", "busy"]
"""done/failed: this call ran the scan; skipped: nothing to do (finished already, or no such
scan); busy: another live runner holds it (ask again later)."""

HolderCheck = Callable[[str, int], "bool | None"]
"""(holder, scan_id) → True: alive and running it; False: gone; None: cannot tell."""

MACHINE_LOCAL_OPTIONS = frozenset({"chromium", "screenshots_dir"})
"""Scan settings a stored scan cannot set: they name things on the machine that runs it."""
SCAN_OPTION_NAMES = frozenset(name.lower() for name in ScanSettings.model_fields) \
    - MACHINE_LOCAL_OPTIONS
MAX_MESSAGE = 500

_running: set[int] = set()
_running_lock = threading.Lock()


class TransientScanError(Exception):
    """The scan could not run for a reason that may pass (database down, browser would not
    start); raised only with `retry_transient=True`. The scan stays claimed by this holder."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# ------------------------------------------------------------------------------- holders


def _host() -> str:
    return socket.gethostname()


def _process_start(pid: int) -> int | None:
    try:
        return int(psutil.Process(pid).create_time())
    except (psutil.Error, OSError):
        return None


def local_worker_id() -> str:
    """`local:<host>:<pid>@<process start>` — the start time tells a reused pid apart."""
    pid = os.getpid()
    return f"local:{_host()}:{pid}@{_process_start(pid) or 0}"


def running_here(scan_id: int) -> bool:
    """Whether this process is running the scan now."""
    with _running_lock:
        return scan_id in _running


def local_holder_alive(holder: str, scan_id: int) -> bool | None:
    """Liveness of a local-runner holder: known only on its own machine."""
    if not holder.startswith("local:"):
        return None
    try:
        _, host, rest = holder.split(":", 2)
        pid_text, _, started = rest.partition("@")
        pid, start = int(pid_text), int(started or 0)
    except ValueError:
        return None
    if host != _host():
        return None
    if pid == os.getpid():
        return running_here(scan_id)
    actual = _process_start(pid)
    return actual is not None and (start == 0 or abs(actual - start) <= 1)


# ------------------------------------------------------------------------------- options


def scan_options(options: dict[str, Any] | None) -> dict[str, Any]:
    """The stored options a scan honours (known scan settings, lower-case names)."""
    given = {str(k).lower(): v for k, v in (options or {}).items()}
    unknown = sorted(k for k in given if k not in SCAN_OPTION_NAMES)
    if unknown:
        log.warning("ignoring scan options %s", ", ".join(unknown))
    return {k: v for k, v in given.items() if k in SCAN_OPTION_NAMES and v is not None}


def validate_scan_options(options: dict[str, Any]) -> dict[str, Any]:
    """Check options before they are stored; returns them as JSON values. Raises ValueError
    naming the bad setting (for a CLI or API user)."""
    unknown = sorted(str(k) for k in options if str(k).lower() not in SCAN_OPTION_NAMES)
    if unknown:
        raise ValueError(f"unknown scan option {', '.join(unknown)}")
    clean = {str(k).lower(): v for k, v in options.items() if v is not None}
    try:
        parsed = ScanSettings.model_validate({**ScanSettings().model_dump(),
                                              **{k.upper(): v for k, v in clean.items()}})
    except ValidationError as exc:
        raise ValueError(describe_error(exc)) from exc
    dumped = parsed.model_dump(mode="json")
    return {k: dumped[k.upper()] for k in clean}


# --------------------------------------------------------------------------------- claim


@dataclass(frozen=True)
class Claimed:
    scan_id: int
    target: str
    options: dict[str, Any]
    attempts: int


def _claim(scan_id: int, worker: str, cfg: RunnerSettings,
           holder_alive: HolderCheck) -> Claimed | Literal["skipped", "busy"]:
    from elderscan.store import claim_scan, get_scan, session_scope

    def claimed(scan: Any) -> Claimed:
        options = dict(scan.options or {})
        if not options.get("region") and scan.site is not None and scan.site.region:
            options["region"] = scan.site.region  # the site's region picks required versions
        return Claimed(scan.id, scan.target, options, scan.attempts)

    with session_scope() as session:
        scan = claim_scan(session, scan_id, worker, stale_after=cfg.lease,
                          max_attempts=cfg.SCAN_MAX_ATTEMPTS)
        if scan is not None:
            return claimed(scan)
        current = get_scan(session, scan_id)
        if current is None or current.status != "running":
            return "skipped"
        holder = current.worker or ""
    alive = holder_alive(holder, scan_id)
    if alive is not False:
        return "busy"
    with session_scope() as session:
        scan = claim_scan(session, scan_id, worker, max_attempts=cfg.SCAN_MAX_ATTEMPTS)
        if scan is not None:
            log.warning("scan %s: taking over from %s, which is gone", scan_id, holder)
            return claimed(scan)
        current = get_scan(session, scan_id)
        return "busy" if current is not None and current.status == "running" else "skipped"


# ---------------------------------------------------------------------------------- store


def _set_progress(scan_id: int, progress: dict[str, Any]) -> None:
    from elderscan.store import session_scope, set_progress

    with session_scope() as session:
        set_progress(session, scan_id, progress)


class _ProgressWriter:
    """Writes the latest page count to the store, one write in flight at a time, so the scan
    never waits for the database."""

    def __init__(self, scan_id: int) -> None:
        self.scan_id = scan_id
        self.latest: dict[str, Any] | None = None
        self.state: dict[str, Any] = {"phase": "loading"}
        """`phase`: loading, probes (pages done, `probe` elder or voice running), scoring."""
        self.task: asyncio.Task[None] | None = None

    def __call__(self, kind: str, data: dict[str, object]) -> None:
        if kind == "page":
            self.state.update({"pages_done": data.get("done"), "pages_total": data.get("total"),
                               "url": data.get("url"), "viewport": data.get("viewport")})
        elif kind == "probe":
            self.state["probe"] = data.get("probe")
        elif kind == "phase":
            self.state["phase"] = data.get("phase")
        else:
            return
        self.latest = dict(self.state)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        while self.latest is not None:
            progress, self.latest = self.latest, None
            try:
                await asyncio.to_thread(_set_progress, self.scan_id, progress)
            except Exception as exc:  # progress is best effort
                log.debug("scan %s: progress not written: %s", self.scan_id, exc)

    async def flush(self) -> None:
        if self.task is not None:
            await self.task


# ----------------------------------------------------------------------------- errors


def _transient(exc: BaseException) -> str | None:
    """The error code of a failure worth retrying later, else None."""
    if isinstance(exc, BrowserUnavailable):
        return "browser-unavailable"
    from elderscan.store.db import store_unusable

    return STORE_CODE if store_unusable(exc) else None


def _failure(exc: BaseException) -> tuple[str, str]:
    """(code, one-line message) of an error that ends the scan."""
    if isinstance(exc, TimeoutError):
        return "timeout", "the scan took longer than its time limit"
    code = failure_code(exc) or _transient(exc)
    if code is not None:
        return code, one_line(exc, MAX_MESSAGE)
    return "internal", f"{type(exc).__name__}: {one_line(exc, MAX_MESSAGE)}"


# ------------------------------------------------------------------------------------ run


def _scan_settings(options: dict[str, Any], shots: Path) -> ScanSettings:
    return load_settings(**scan_options(options), screenshots_dir=shots)


def _prepare_artifacts(scan_id: int) -> Path:
    from elderscan.store import scan_artifacts_dir

    shots = scan_artifacts_dir(scan_id)
    shutil.rmtree(shots, ignore_errors=True)  # a takeover starts clean
    shots.mkdir(parents=True, exist_ok=True)
    return shots


async def run_scan_async(
    scan_id: int,
    *,
    worker: str,
    holder_alive: HolderCheck | None = None,
    retry_transient: bool = False,
    config: RunnerSettings | None = None,
    browsers: KeptBrowsers | None = None,
) -> Outcome:
    """Claim and run one stored scan (see the module docstring). Cancelling it leaves the
    scan `running` under this holder; a later claim takes it over once this process is gone.
    With `browsers`, the scan leases a kept browser instead of launching its own."""

    cfg = config or runner_settings()
    check = holder_alive or local_holder_alive
    try:
        claimed = await asyncio.to_thread(_claim, scan_id, worker, cfg, check)
    except Exception as exc:
        code = _transient(exc)
        if code is not None and retry_transient:
            raise TransientScanError(code, one_line(exc, MAX_MESSAGE)) from exc
        raise
    if not isinstance(claimed, Claimed):
        return claimed
    with _running_lock:
        _running.add(scan_id)
    try:
        return await _run_claimed(claimed, cfg, browsers, retry_transient)
    except StoreRefused as exc:
        if retry_transient:  # Celery: the task is retried later and takes the scan over
            raise TransientScanError(STORE_CODE, str(exc)) from exc
        raise
    finally:
        with _running_lock:
            _running.discard(scan_id)


async def _run_claimed(claimed: Claimed, cfg: RunnerSettings, browsers: KeptBrowsers | None,
                       retry_transient: bool) -> Outcome:
    """Scan a claimed target and store how it ended: the result, or the failure, each written
    by `outcome.finish`, which waits out a store that refuses writes."""
    scan_id, retry_for = claimed.scan_id, cfg.STORE_RETRY_SECONDS
    try:
        shots = await asyncio.to_thread(_prepare_artifacts, scan_id)
        try:
            settings = _scan_settings(claimed.options, shots)
        except ValidationError as exc:
            return await finish(scan_id, failure=(
                "options", f"bad scan options: {describe_error(exc)}"), retry_for=retry_for)
        progress = _ProgressWriter(scan_id)
        try:
            report = await asyncio.wait_for(
                _scan(claimed.target, settings, progress, browsers), cfg.SCAN_TIMEOUT)
        finally:
            with contextlib.suppress(Exception):
                await progress.flush()
        with contextlib.suppress(OSError):
            shots.rmdir()  # only if the scan left nothing there
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        code = _transient(exc)
        if code is not None and retry_transient:
            raise TransientScanError(code, one_line(exc, MAX_MESSAGE)) from exc
        code, message = _failure(exc)
        log.warning("scan %s failed: %s: %s", scan_id, code, message)
        return await finish(scan_id, failure=(code, message), retry_for=retry_for)
    try:
        return await finish(scan_id, report=report, retry_for=retry_for)
    except (StoreRefused, asyncio.CancelledError):
        raise
    except Exception as exc:  # not the store's state: a bug or a value it refuses
        code, message = _failure(exc)
        log.warning("scan %s: result not stored: %s: %s", scan_id, code, message)
        return await finish(scan_id, failure=(code, message), retry_for=retry_for)


async def _scan(target: str, settings: ScanSettings, progress: _ProgressWriter,
                browsers: KeptBrowsers | None) -> ScanReport:
    """Screenshots are named relative to the data directory, as the store keeps them."""
    from elderscan.runner.scan import scan_site
    from elderscan.store.retention import artifacts_root

    root = artifacts_root()
    if browsers is None:
        return await scan_site(target, settings, progress=progress, screenshots_root=root)
    async with browsers.lease(settings) as pool:
        return await scan_site(target, settings, progress=progress, pool=pool,
                               screenshots_root=root)


_kept = threading.local()
"""Per thread: an event loop that outlives one `run_scan`, and the browser kept on it."""


def run_scan(scan_id: int, *, worker: str, holder_alive: HolderCheck | None = None,
             retry_transient: bool = False, config: RunnerSettings | None = None) -> Outcome:
    """Blocking `run_scan_async`, for a thread or a Celery task. Each thread keeps its event
    loop and, unless `KEEP_BROWSERS` is off, the browser of its last scan for the next one;
    `close_kept_browsers` ends both."""
    from elderscan.runner.browsers import KeptBrowsers

    cfg = config or runner_settings()
    if not cfg.KEEP_BROWSERS:
        return asyncio.run(run_scan_async(scan_id, worker=worker, holder_alive=holder_alive,
                                          retry_transient=retry_transient, config=cfg))
    if getattr(_kept, "loop", None) is None:
        _kept.loop, _kept.browsers = asyncio.new_event_loop(), KeptBrowsers(keep=1)
        asyncio.set_event_loop(_kept.loop)
    loop: asyncio.AbstractEventLoop = _kept.loop
    return loop.run_until_complete(run_scan_async(
        scan_id, worker=worker, holder_alive=holder_alive, retry_transient=retry_transient,
        config=cfg, browsers=_kept.browsers))


def close_kept_browsers() -> None:
    """Close this thread's kept browser and its loop (a worker process shutting down)."""
    loop = getattr(_kept, "loop", None)
    if loop is None:
        return
    _kept.loop = None
    try:
        loop.run_until_complete(_kept.browsers.close())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def give_up(scan_id: int, code: str, message: str) -> None:
    """Record a scan as failed after its retries ran out (best effort: the database may be
    what is failing)."""
    try:
        fail(scan_id, code, message)
    except Exception as exc:
        log.error("scan %s: could not record the failure (%s): %s", scan_id, code, exc)
