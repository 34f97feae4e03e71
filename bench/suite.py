"""Suite: the tests of two revisions, each run as its README says (`./quickstart test` in its own
worktree, with its own virtualenv), interleaved round by round and read as B over A.

A target such as "the full suite under 6 minutes on this machine" says as much about the machine
as about the suite: the machines here have differed by a factor of two in speed from one session
to the next. Measured in the same run against the revision the target was set on, it reads as a
ratio that any machine can check (issue 20: 6 of the 8 minutes the suite took when the issue was
filed, and 60 s of them, one eighth, for the tests that need no browser).

Each revision bootstraps its own `.venv` (the dependencies it asks for) and runs the test command
its own `quickstart` has, the number of processes included, as its users run it. A warm-up that
only collects installs the virtualenv and warms the type checker's cache before anything is
timed. The seconds are pytest's own (its summary line: the tests, not the install and lint before
them); the CPU is that of the whole command's process tree (`bench.measure`), lint included, the
database servers not. Both run with the same environment (`ENV`).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import measure
from bench.worktrees import ROOT, checkout, remove

SUMMARY = re.compile(r"^=*\s*(?P<counts>[^=]*?)\s+in (?P<seconds>\d+(?:\.\d+)?)s\b")
COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)\b")
BROWSER_FREE = ["-m", "not browser"]
ENV = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPATH": ""}
"""Empty is unset for Python: bytecode written as on a user's machine, and neither revision
imports the modules of the checkout the bench runs from."""


def summary(output: str) -> dict[str, Any] | None:
    """pytest's last summary line as seconds and counts (`error` and `errors` both as errors),
    or None when the run ended before pytest said one."""
    for line in reversed(output.splitlines()):
        found = SUMMARY.match(line.strip())
        if found:
            counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
            for number, word in COUNT.findall(found["counts"]):
                key = "errors" if word.startswith("error") else word
                counts[key] = counts.get(key, 0) + int(number)
            return {"pytest_seconds": float(found["seconds"]), **counts}
    return None


def quickstart_test(tree: Path, args: list[str]) -> list[str]:
    return [str(tree / "quickstart"), "test", "-q", "-p", "no:cacheprovider", *args]


def warm_up(tree: Path, rev: str) -> None:
    """Install the revision's virtualenv and lint it once, so that no timed run pays for it."""
    done = subprocess.run(quickstart_test(tree, ["--collect-only"]), cwd=tree,
                          env={**os.environ, **ENV},
                          capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        raise SystemExit(f"bench suite: {rev} does not install or collect its tests "
                         f"(exit {done.returncode}):\n{(done.stdout + done.stderr)[-2000:]}")


def one_suite(tree: Path, rev: str, args: list[str], timeout: float) -> dict[str, Any]:
    """One run of the revision's test command: pytest's seconds and counts, the tree's CPU."""
    sample = measure.run(quickstart_test(tree, args), env=ENV, cwd=tree, timeout=timeout)
    said = summary(sample.output)
    # a suite that fails ran other code than the suite: its time is not the suite's
    if said is None:
        problem = "no pytest summary"
    elif said["failed"] or said["errors"]:
        problem = f"{said['failed']} failed, {said['errors']} errors"
    elif not sample.ok:
        problem = "the command failed"
    else:
        return {**said, "seconds": round(sample.seconds, 2),
                "cpu_seconds": round(sample.cpu_seconds, 2)}
    raise SystemExit(f"bench suite: the tests of {rev} do not count ({problem}):\n"
                     f"{sample.output[-2000:]}")


def jobs(browser_free: bool) -> list[tuple[str, str, list[str]]]:
    """(label, side, extra pytest arguments) of one round, in A-first order."""
    listed: list[tuple[str, str, list[str]]] = [("a", "a", []), ("b", "b", [])]
    if browser_free:
        listed.append(("b_browser_free", "b", BROWSER_FREE))
    return listed


def over_a(rounds: list[dict[str, Any]], label: str, key: str) -> list[float]:
    """Each round's `label` over A's full suite for `key`."""
    return [r[label][key] / r["a"][key] for r in rounds if r["a"][key]]


def run(a: str, b: str, runs: int, browser_free: bool, timeout: float, out: Path,
        console: Console, repo: Path = ROOT) -> Path:
    rounds: list[dict[str, Any]] = []
    revs = {"a": a, "b": b}
    with tempfile.TemporaryDirectory(prefix="elderscan-suite-") as tmp:
        trees = {"a": Path(tmp) / "a", "b": Path(tmp) / "b"}
        commits: dict[str, str] = {}
        try:
            for side, rev in revs.items():
                commits[side] = checkout(rev, trees[side], repo=repo, mode="suite")
            for side in ("a", "b"):
                console.print(f"installing and linting {revs[side]} "
                              f"({commits[side][:12]}) once …", highlight=False)
                warm_up(trees[side], revs[side])
            for n in range(runs):
                order = jobs(browser_free)
                if n % 2:
                    order.reverse()
                row: dict[str, Any] = {"order": [label for label, _, _ in order]}
                for label, side, args in order:
                    row[label] = one_suite(trees[side], revs[side], args, timeout)
                    console.print(f"round {n + 1}/{runs}, {label}: "
                                  f"{row[label]['pytest_seconds']:.1f} s (pytest), "
                                  f"{row[label]['cpu_seconds']:.0f} CPU s, "
                                  f"{row[label]['passed']} passed", highlight=False)
                rounds.append(row)
        finally:
            for tree in trees.values():
                remove(tree, repo=repo)
    labels = [label for label, _, _ in jobs(browser_free)][1:]
    table = Table(title=f"{runs} rounds, each round's run over A's full suite in that round")
    for column in ("", "A (median)", "run (median)", "run / A (median)", "run / A (min–max)"):
        table.add_column(column, justify="right" if column else "left")
    ratios: dict[str, dict[str, float]] = {}
    for label in labels:
        for key, name in (("pytest_seconds", "seconds"), ("cpu_seconds", "CPU s of the tree")):
            values = over_a(rounds, label, key)
            middle = statistics.median(values)
            ratios.setdefault(label, {})[key] = round(middle, 4)
            table.add_row(f"{label}: {name}",
                          f"{statistics.median(r['a'][key] for r in rounds):.1f}",
                          f"{statistics.median(r[label][key] for r in rounds):.1f}",
                          f"{middle:.3f}", f"{min(values):.3f}–{max(values):.3f}")
    console.print(table)
    console.print(f"A = {a} ({commits['a'][:12]}), B = {b} ({commits['b'][:12]})",
                  highlight=False)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"suite-{stamp}.json"
    path.write_text(json.dumps({
        "kind": "suite", "when": stamp, "runs": runs,
        "a": {"rev": a, "commit": commits["a"]}, "b": {"rev": b, "commit": commits["b"]},
        "over_a": ratios, "rounds": rounds}, indent=2), "utf-8")
    console.print(f"written {path}")
    return path
