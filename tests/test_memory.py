"""The process-tree readers behind `scan`'s printed peak and the renderer memory guard."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from elderscan import memory
from elderscan.memory import PeakMemory, descendants, rss_bytes, tree_rss

# a child that starts a grandchild, then both sleep until killed
TREE = ("import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        "time.sleep(60)")


@pytest.fixture
def tree() -> Iterator[tuple[int, int]]:
    """(child, grandchild) pids, both running; both killed after the test."""
    child = subprocess.Popen([sys.executable, "-c", TREE])
    try:
        deadline = time.monotonic() + 10
        while not (kids := psutil.Process(child.pid).children()):
            if time.monotonic() > deadline:
                raise AssertionError("the grandchild never started")
            time.sleep(0.05)
        yield child.pid, kids[0].pid
    finally:
        for proc in psutil.Process(child.pid).children(recursive=True):
            proc.kill()
        child.kill()
        child.wait()


def test_descendants_and_rss_follow_the_real_tree(tree: tuple[int, int]) -> None:
    child, grandchild = tree
    below = descendants(os.getpid())
    assert child in below and grandchild in below
    assert descendants(child) == [grandchild]
    assert os.getpid() not in below
    # the figure psutil reads, for each member (a starting interpreter still moves a little)
    for pid in (child, grandchild):
        assert abs(rss_bytes(pid) - psutil.Process(pid).memory_info().rss) < 2**21
    def summed() -> float:
        return sum(psutil.Process(p).memory_info().rss for p in (os.getpid(), *below)) / 2**20

    # this test process moves meanwhile (a thread an earlier test left, on a loaded machine 5 MB
    # between two readings): the tree's figure must lie between psutil's sums before and after
    before = summed()
    measured = tree_rss(psutil.Process())
    after = summed()
    assert min(before, after) - 3 < measured < max(before, after) + 3, (before, measured, after)


def test_a_process_that_is_gone_has_no_memory() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert rss_bytes(gone.pid) == 0  # nothing, not an error


def test_peak_memory_sees_the_tree(tree: tuple[int, int]) -> None:
    child, _ = tree
    with PeakMemory(child, interval=0.05, pss_interval=0.05) as peak:
        time.sleep(0.3)
    both = sum(p.memory_info().rss for p in (psutil.Process(child),
                                             *psutil.Process(child).children()))
    assert peak.peak_rss_mb >= 0.9 * both / 2**20
    assert 0 < peak.peak_pss_mb <= peak.peak_rss_mb


def test_without_proc_psutil_answers(tree: tuple[int, int], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A system with no /proc (macOS) still gets the tree and its memory, through psutil."""
    child, grandchild = tree
    monkeypatch.setattr(memory, "_PROC", str(tmp_path / "no-proc"))
    assert set(descendants(child)) == {grandchild}
    assert rss_bytes(grandchild) > 0
    assert tree_rss(psutil.Process(child)) > 0
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert rss_bytes(gone.pid) == 0


# A "browser" that starts a process carrying the zygote's command line for a second, which then
# becomes a "renderer" holding 64 MB (exec keeps the pid, as a forked renderer renaming itself
# does), and a "utility" process holding as much.
HOLD = "import time; b = bytes([1]) * (64 << 20); time.sleep(60)"
FORKED = f"sleep 1; exec {sys.executable} -c '{HOLD}' --type=renderer"
BROWSER = ("import subprocess, sys, time; "
           f"subprocess.Popen(['sh', '-c', {FORKED!r}, '--type=zygote']); "
           f"subprocess.Popen([sys.executable, '-c', {HOLD!r}, '--type=utility']); "
           "time.sleep(60)")


def test_a_renderer_first_seen_as_the_zygote_is_guarded_once_it_is_one() -> None:
    """The guard's look may fall between the zygote's fork and the renderer's renaming: that
    process must be looked at again, not written off as something other than a renderer."""
    browser = subprocess.Popen([sys.executable, "-c", BROWSER])
    try:
        watch = memory.RendererWatch()
        limit = 32 << 20
        deadline = time.monotonic() + 10
        while len(descendants(browser.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        forked = next(p for p in psutil.Process(browser.pid).children()
                      if "--type=zygote" in p.cmdline())
        assert watch.over(browser.pid, limit) == []  # seen while it is still the zygote's
        while time.monotonic() < deadline and not (
                "--type=renderer" in forked.cmdline() and rss_bytes(forked.pid) > limit):
            time.sleep(0.05)
        assert [p.pid for p in watch.over(browser.pid, limit)] == [forked.pid]
        assert watch.over(browser.pid, 1 << 40) == []  # under a cap it is left alone
    finally:
        for proc in psutil.Process(browser.pid).children(recursive=True):
            proc.kill()
        browser.kill()
        browser.wait()
