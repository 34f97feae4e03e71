"""Steps: the CPU a page of each capture step, split by process, for the README's "Where the
time goes".

Whole scans on a 2-core machine vary by ±15 % between runs of the same code, and a whole-scan
figure does not say which step to work on. This scans the corpus at concurrency 1 with the
elder-mode and voice probes off, so one step runs at a time and every process's CPU in that
interval is that step's: each step function of a capture (`elderscan.scanner.page.STEPS` and
what they call) is wrapped where it is looked up, and the CPU
of every process of the tree is read before and after it. A step called inside another (the
settle inside the navigation) is taken out of the outer one. A tab's blanking and clearing
before its next page is a row (a navigation of its own, 8 % of a page's CPU when it was first
read); what else runs between the steps (opening tabs, building the capture, the checks,
scoring) is its own row.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import psutil
from rich.console import Console
from rich.table import Table

from bench.corpus import shared_corpus
from elderscan.devserver import SiteServer
from elderscan.memory import descendants
from elderscan.runner.scan import scan_site
from elderscan.scanner import browser, navigation, page, page_probes, screenshot
from elderscan.settings import load_settings

STEPS: dict[str, str] = {
    "navigate": "navigation (goto to load)",
    "settle": "settle (clock run ahead, then real time until quiet, ≤ 200 ms)",
    "dom_pass": "DOM pass",
    "run_axe": "axe-core",
    "anchor_pass": "anchor passes (two)",
    "images_ready": "images ready for the screenshot",
    "take_screenshot": "screenshot",
    "probe_focus": "keyboard probe (20 Tab presses)",
    "probe_reflow": "zoom probe (two relayouts)",
    "probe_motion": "motion probe",
    "_clear_tab": "tab blanked and cleared for the next page",
}
"""The functions of a capture that are timed, in the order a capture runs them."""
HOMES: dict[str, ModuleType] = {
    "navigate": page, "settle": navigation, "dom_pass": page, "run_axe": page,
    "anchor_pass": page, "images_ready": screenshot, "take_screenshot": screenshot,
    "probe_focus": page_probes, "probe_reflow": page_probes, "probe_motion": page_probes,
    "_clear_tab": browser,
}
"""The module each step is called through, where wrapping it takes effect."""
OUTSIDE = "outside the steps (opening tabs, capture, checks, scoring)"
KINDS = ("renderer", "browser", "gpu", "network", "other Chromium", "Playwright's Node", "Python")


def kind_of(proc: psutil.Process, me: int) -> str:
    if proc.pid == me:
        return "Python"
    try:
        cmdline = proc.cmdline()
    except psutil.Error:
        return "other Chromium"
    flags = " ".join(cmdline[1:])
    if "--type=" not in flags:
        return "browser" if "chrom" in (cmdline[0] if cmdline else "") else "Playwright's Node"
    if "--type=renderer" in flags:
        return "renderer"
    if "--type=gpu-process" in flags:
        return "gpu"
    if "NetworkService" in flags:
        return "network"
    return "other Chromium"


class CpuByKind:
    """CPU seconds so far of each kind of process in this process's tree. A process that has
    exited keeps the CPU it had at its last reading (one at each step's start and end), so the
    totals only grow and the scan's whole can be read after its browser is gone."""

    def __init__(self) -> None:
        self.me = os.getpid()
        self.procs: dict[int, tuple[psutil.Process, str]] = {}
        self.last: dict[int, float] = {}

    def read(self) -> dict[str, float]:
        for pid in [self.me, *descendants(self.me)]:
            if pid not in self.procs:
                try:
                    proc = psutil.Process(pid)
                    self.procs[pid] = (proc, kind_of(proc, self.me))
                except psutil.Error:
                    continue
            try:
                times = self.procs[pid][0].cpu_times()
            except psutil.Error:
                continue
            self.last[pid] = times.user + times.system
        totals = dict.fromkeys(KINDS, 0.0)
        for pid, seconds in self.last.items():
            totals[self.procs[pid][1]] += seconds
        return totals


class StepClock:
    """Exclusive CPU of each step: while a nested step runs, the outer one's clock stops."""

    def __init__(self, steps: Iterable[str] = STEPS) -> None:
        self.cpu = CpuByKind()
        self.totals: dict[str, dict[str, float]] = {s: dict.fromkeys(KINDS, 0.0) for s in steps}
        self.wall: dict[str, float] = dict.fromkeys(self.totals, 0.0)
        self.calls: dict[str, int] = dict.fromkeys(self.totals, 0)
        self.stack: list[tuple[str, dict[str, float], float]] = []

    def _charge(self, step: str, since: dict[str, float], wall_since: float,
                now: dict[str, float], wall_now: float) -> None:
        for kind in KINDS:
            self.totals[step][kind] += now[kind] - since[kind]
        self.wall[step] += wall_now - wall_since

    def enter(self, step: str) -> None:
        now, wall = self.cpu.read(), time.perf_counter()
        if self.stack:
            outer, since, wall_since = self.stack[-1]
            self._charge(outer, since, wall_since, now, wall)
        self.stack.append((step, now, wall))
        self.calls[step] += 1

    def leave(self) -> None:
        now, wall = self.cpu.read(), time.perf_counter()
        step, since, wall_since = self.stack.pop()
        self._charge(step, since, wall_since, now, wall)
        if self.stack:
            outer, _, _ = self.stack[-1]
            self.stack[-1] = (outer, now, wall)

    def wrap(self, step: str, fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(fn)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(step)
            try:
                return await fn(*args, **kwargs)
            finally:
                self.leave()
        return timed


def step_functions() -> dict[str, Callable[..., Awaitable[Any]]]:
    """Each timed step's function as its caller finds it now."""
    return {name: getattr(HOMES[name], name) for name in STEPS}


def one_round(url: str, pages: int) -> tuple[StepClock, dict[str, float], float, int]:
    clock = StepClock()
    originals = step_functions()
    settings = load_settings(max_pages=pages, max_depth=1, per_template=pages, concurrency=1,
                             probe_elder=False, probe_voice=False)
    for name, fn in originals.items():
        setattr(HOMES[name], name, clock.wrap(name, fn))
    try:
        before, started = clock.cpu.read(), time.perf_counter()
        report = asyncio.run(scan_site(url, settings))
        after, wall = clock.cpu.read(), time.perf_counter() - started
    finally:
        for name, fn in originals.items():
            setattr(HOMES[name], name, fn)
    whole = {k: after[k] - before[k] for k in KINDS}
    return clock, whole, wall, report.summary.pages


def run(pages: int, runs: int, seed: int, out: Path, console: Console) -> Path:
    corpus, _ = shared_corpus(pages, seed)
    console.print(f"{pages} corpus pages in {corpus}")
    rounds: list[dict[str, Any]] = []
    with SiteServer(corpus) as server:
        for n in range(runs):
            clock, whole, wall, captures = one_round(server.url, pages)
            per_page = {step: {k: v * 1000 / captures for k, v in clock.totals[step].items()}
                        for step in STEPS}
            per_page[OUTSIDE] = {k: (whole[k] - sum(clock.totals[s][k] for s in STEPS))
                                 * 1000 / captures for k in KINDS}
            rounds.append({"captures": captures, "seconds": round(wall, 1),
                           "ms_per_page": per_page,
                           "wall_ms_per_page": {s: clock.wall[s] * 1000 / captures
                                                for s in STEPS},
                           "calls": clock.calls})
            console.print(f"round {n + 1}/{runs}: {captures} captures in {wall:.1f}s, "
                          f"{sum(whole.values()) * 1000 / captures:.0f} ms of CPU a page",
                          highlight=False)
    rows = [*STEPS, OUTSIDE]
    median = {row: {k: statistics.median(r["ms_per_page"][row][k] for r in rounds)
                    for k in KINDS} for row in rows}
    wall_median = {s: statistics.median(r["wall_ms_per_page"][s] for r in rounds) for s in STEPS}
    kinds = [k for k in KINDS if any(median[row][k] >= 0.5 for row in rows)]
    table = Table(title=f"CPU ms a page by step and process (median of {runs} rounds of "
                  f"{rounds[0]['captures']} captures, concurrency 1, elder and voice probes off)")
    table.add_column("step")
    for column in (*kinds, "all", "wall"):
        table.add_column(column, justify="right")
    for row in rows:
        label = STEPS.get(row, row)
        wall_cell = f"{wall_median[row]:.0f}" if row in wall_median else ""
        table.add_row(label, *(f"{median[row][k]:.0f}" for k in kinds),
                      f"{sum(median[row].values()):.0f}", wall_cell)
    table.add_row("total", *(f"{sum(median[r][k] for r in rows):.0f}" for k in kinds),
                  f"{sum(sum(median[r].values()) for r in rows):.0f}", "")
    console.print(table)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"steps-{stamp}.json"
    path.write_text(json.dumps({
        "kind": "steps", "when": stamp, "pages": pages, "runs": runs, "seed": seed,
        "steps": {row: STEPS.get(row, row) for row in rows},
        "median_ms_per_page": {row: {k: round(v, 1) for k, v in median[row].items()}
                               for row in rows},
        "median_wall_ms_per_page": {s: round(v, 1) for s, v in wall_median.items()},
        "rounds": rounds}, indent=2), "utf-8")
    console.print(f"written {path}")
    return path
