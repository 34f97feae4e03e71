"""Running one tool as a process tree and measuring it: wall time, CPU seconds of the whole
tree, and peak memory of the tree, sampled four times a second (RSS summed, and PSS, which counts
pages that Chromium's processes share once).

CPU comes from `RUSAGE_CHILDREN`, which counts only descendants that someone waited for.
Chromium's zygote is never waited for by the browser, and with it go the rusage of every
renderer it reaped, which is most of the work (an axe-only run read 0.4 CPU s/page instead of
1.3). So this process makes itself the subreaper of its descendants: orphans are re-parented
here and reaped after the tool exits, and their CPU is counted.
"""

from __future__ import annotations

import compileall
import contextlib
import ctypes
import os
import resource
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

import elderscan
from elderscan.memory import PeakMemory

PR_SET_CHILD_SUBREAPER = 36


def compiled() -> None:
    """elderscan's modules compiled, as a pip install leaves them: an editable checkout under
    PYTHONDONTWRITEBYTECODE (or a read-only one) would compile ~0.2 s of source at the start
    of every elderscan process the benchmark runs, which no installed copy does."""
    compileall.compile_dir(Path(elderscan.__file__).parent, quiet=2)


def become_subreaper() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def children() -> set[int]:
    with contextlib.suppress(psutil.Error):
        return {child.pid for child in psutil.Process().children()}
    return set()


def reap_orphans(keep: set[int], grace: float = 5.0) -> None:
    """Wait for the descendants the tool left behind (killing those still alive after
    `grace` seconds), so their CPU lands in `RUSAGE_CHILDREN`; children in `keep` (started
    before the tool, such as a bench's own workers) are left alone."""
    deadline = time.monotonic() + grace
    while orphans := children() - keep:
        for pid in orphans:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        if time.monotonic() > deadline:
            for pid in orphans:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    peak_pss_mb: float
    ok: bool
    output: str


def run(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 3600) -> Sample:
    """Run `cmd` to the end and measure it. Not thread-safe: it reaps every child."""
    become_subreaper()
    keep = children()
    # Output goes to a file, not a pipe: Node writes to a pipe asynchronously and pa11y-ci's
    # process.exit() cuts off whatever is still queued (its summary line, past 64 KB of output).
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as sink:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})}, cwd=cwd)
        note = ""
        with PeakMemory(proc.pid, interval=0.25, pss_interval=1.0) as memory:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                note = f"\n[timed out after {timeout:.0f}s]"
        seconds = time.perf_counter() - started
        reap_orphans(keep)
        sink.seek(0)
        output = sink.read() + note
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(seconds, cpu, memory.peak_rss_mb, memory.peak_pss_mb, proc.returncode == 0,
                  output)
