"""Memory of a process tree: what `scan` prints as its peak, what the benchmarks measure, and
which renderers the pool's memory guard finds over its cap.

PSS beside RSS: Chromium's processes share most of their pages, and summing RSS counts the
shared ones once per process (about twice the real figure on a small scan); PSS splits them.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from typing import Self

import psutil

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_PROC = "/proc"


def descendants(pid: int) -> list[int]:
    """The pids below `pid`, from one pass over `/proc/*/stat`: about half the cost of
    `psutil.Process.children(recursive=True)`, which builds a `Process` for every pid it
    meets; the samplers below call it twice a second for the whole of a scan. Where there is
    no `/proc`, psutil's way."""
    try:
        names = os.listdir(_PROC)
    except OSError:
        with contextlib.suppress(psutil.Error):
            return [child.pid for child in psutil.Process(pid).children(recursive=True)]
        return []
    below: dict[int, list[int]] = {}
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"{_PROC}/{name}/stat", "rb") as f:
                stat = f.read()
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses
            ppid = int(stat[stat.rfind(b")") + 2:].split(b" ", 2)[1])
        except (OSError, ValueError, IndexError):
            continue
        below.setdefault(ppid, []).append(int(name))
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in below.get(stack.pop(), ()):
            found.append(child)
            stack.append(child)
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (`statm`); 0 for one that is gone."""
    try:
        with open(f"{_PROC}/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        if os.path.isdir(_PROC):
            return 0
    with contextlib.suppress(psutil.Error):
        return int(psutil.Process(pid).memory_info().rss)
    return 0


def _members(proc: psutil.Process, children: bool = True) -> list[psutil.Process]:
    """`proc` and, with `children`, its descendants (those gone by now left out)."""
    members = [proc]
    for pid in descendants(proc.pid) if children else []:
        with contextlib.suppress(psutil.Error):
            members.append(psutil.Process(pid))
    return members


def tree_memory(proc: psutil.Process, children: bool = True) -> tuple[float, float]:
    """(RSS, PSS) in MB of `proc` and, with `children`, its descendants; a process whose PSS
    cannot be read counts its RSS."""
    rss = pss = 0
    for member in _members(proc, children):
        with contextlib.suppress(psutil.Error):
            try:
                info = member.memory_full_info()
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            except psutil.AccessDenied:
                plain = member.memory_info().rss
                rss += plain
                pss += plain
    return rss / 2**20, pss / 2**20


RSS_JUMP = 1.05
"""an RSS sum this much above the one of the last PSS read reads PSS again at once"""


def tree_rss(proc: psutil.Process) -> float:
    """RSS in MB of `proc` and its descendants: cheap (`statm`), for sampling often."""
    return sum(rss_bytes(pid) for pid in (proc.pid, *descendants(proc.pid))) / 2**20


class Sampler:
    """Its `_run` in a daemon thread for as long as the `with` block lasts (`_stop` is set
    when the block ends): what samples a process tree while work goes on."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class PeakMemory(Sampler):
    """The peak RSS and PSS of a process tree (this process by default), sampled in a thread
    while the `with` block runs.

    RSS every `interval` seconds; PSS every `pss_interval` seconds and whenever the RSS sum
    sets a new high `RSS_JUMP` above the RSS of the last PSS read. PSS costs ~20–75 ms a read
    (the kernel walks each Chromium process's mappings for `smaps_rollup`) where RSS costs
    ~1.5 ms: read every half second, PSS alone took ~10 % of a 50-page scan's CPU."""

    def __init__(self, pid: int | None = None, interval: float = 0.5,
                 pss_interval: float = 5.0) -> None:
        super().__init__()
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self._proc = psutil.Process(pid)
        self._interval = interval
        self._pss_interval = pss_interval

    def _run(self) -> None:
        last_pss, rss_then = -math.inf, 0.0
        while not self._stop.wait(self._interval):
            rss = tree_rss(self._proc)
            now = time.monotonic()
            if now - last_pss >= self._pss_interval or (rss > self.peak_rss_mb
                                                        and rss > rss_then * RSS_JUMP):
                rss, pss = tree_memory(self._proc)
                self.peak_pss_mb = max(self.peak_pss_mb, pss)
                last_pss, rss_then = now, rss
            self.peak_rss_mb = max(self.peak_rss_mb, rss)


class RendererWatch:
    """Which of a browser's renderers are over a memory cap (the pool's memory guard asks
    twice a second).

    A process is classed once by its command line, which never changes — except just after
    the zygote forks a renderer: until the renderer renames itself it carries the zygote's
    (`--type=zygote`). Such a process, and the zygote itself, is looked at again each time,
    never taken for good as something other than a renderer. Classed at that moment, a renderer
    went unguarded for its whole life (the likely reason a page 2 GB past the cap was captured,
    not killed, once in a full test run)."""

    def __init__(self) -> None:
        self._known: dict[int, psutil.Process | None] = {}

    def over(self, browser_pid: int, limit_bytes: int) -> list[psutil.Process]:
        children = descendants(browser_pid)
        # a pid that stays listed is the same process: pids are handed out in sequence
        self._known = {pid: self._known[pid] for pid in children if pid in self._known}
        found: list[psutil.Process] = []
        for pid in children:
            try:
                if pid not in self._known:
                    child = psutil.Process(pid)
                    cmdline = child.cmdline()
                    if "--type=zygote" in cmdline:
                        continue
                    self._known[pid] = child if "--type=renderer" in cmdline else None
                process = self._known[pid]
            except psutil.Error:
                continue
            if process is not None and rss_bytes(pid) > limit_bytes:
                found.append(process)
        return found
