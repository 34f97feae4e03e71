"""The process-tree readers behind `scan`'s printed peak and the renderer memory guard."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from elderscan import memory
from elderscan.memory import PeakMemory, descendants, rss_bytes, tree_rss

# a child that starts a grandchild, then both sleep until killed
TREE = ("import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        "time.sleep(60)")


def _grandchild(child: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        kids = psutil.Process(child.pid).children()
        if kids:
            return kids[0].pid
        time.sleep(0.05)
    raise AssertionError("the grandchild never started")


def test_descendants_and_rss_follow_the_real_tree() -> None:
    child = subprocess.Popen([sys.executable, "-c", TREE])
    try:
        grandchild = _grandchild(child)
        below = descendants(os.getpid())
        assert child.pid in below and grandchild in below
        assert descendants(child.pid) == [grandchild]
        assert os.getpid() not in below
        # the figure psutil reads, for each member (a starting interpreter still moves a little)
        for pid in (child.pid, grandchild):
            assert abs(rss_bytes(pid) - psutil.Process(pid).memory_info().rss) < 2**21
        expected = sum(psutil.Process(p).memory_info().rss
                       for p in (os.getpid(), *below)) / 2**20
        assert abs(tree_rss(psutil.Process()) - expected) < 5  # this process moves a little
    finally:
        for proc in psutil.Process(child.pid).children(recursive=True):
            proc.kill()
        child.kill()
        child.wait()
    assert rss_bytes(child.pid) == 0  # gone: nothing, not an error


def test_peak_memory_sees_the_tree() -> None:
    child = subprocess.Popen([sys.executable, "-c", TREE])
    try:
        _grandchild(child)
        with PeakMemory(child.pid, interval=0.05, pss_interval=0.05) as memory:
            time.sleep(0.3)
        both = sum(p.memory_info().rss for p in (psutil.Process(child.pid),
                                                 *psutil.Process(child.pid).children()))
        assert memory.peak_rss_mb >= 0.9 * both / 2**20
        assert 0 < memory.peak_pss_mb <= memory.peak_rss_mb
    finally:
        for proc in psutil.Process(child.pid).children(recursive=True):
            proc.kill()
        child.kill()
        child.wait()


def test_without_proc_psutil_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A system with no /proc (macOS) still gets the tree and its memory, through psutil."""
    child = subprocess.Popen([sys.executable, "-c", TREE])
    try:
        grandchild = _grandchild(child)
        monkeypatch.setattr(memory, "_PROC", str(tmp_path / "no-proc"))
        assert set(descendants(child.pid)) == {grandchild}
        assert rss_bytes(grandchild) > 0
        assert tree_rss(psutil.Process(child.pid)) > 0
    finally:
        for proc in psutil.Process(child.pid).children(recursive=True):
            proc.kill()
        child.kill()
        child.wait()
    assert rss_bytes(child.pid) == 0
