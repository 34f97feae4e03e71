"""Memory of a process tree: what `scan` prints as its peak and what the benchmarks measure.

PSS beside RSS: Chromium's processes share most of their pages, and summing RSS counts the
shared ones once per process (about twice the real figure on a small scan); PSS splits them.
"""

from __future__ import annotations

import contextlib
import threading

import psutil


def tree_memory(proc: psutil.Process, children: bool = True) -> tuple[float, float]:
    """(RSS, PSS) in MB of `proc` and, with `children`, its descendants; a process whose PSS
    cannot be read counts its RSS."""
    rss = pss = 0
    with contextlib.suppress(psutil.Error):
        for member in [proc, *(proc.children(recursive=True) if children else [])]:
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


class PeakMemory:
    """The peak RSS and PSS of a process tree (this process by default), sampled every
    `interval` seconds in a thread while the `with` block runs."""

    def __init__(self, pid: int | None = None, interval: float = 0.5) -> None:
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self._proc = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            rss, pss = tree_memory(self._proc)
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            self.peak_pss_mb = max(self.peak_pss_mb, pss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
