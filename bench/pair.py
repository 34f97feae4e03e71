"""Pair: the same corpus scan from two revisions of elderscan, interleaved round by round, so a
change of a few per cent can be read on a machine that drifts.

Two runs of `bench steps` or `bench throughput` half an hour apart have differed by 10–30 % on
one machine with no change in between, which hides any change smaller than that. Here each
round runs revision A, then B (then A first again in the next round), the whole scan as a user
runs it (`elderscan scan URL --max-pages N --max-depth 1`, the elder-mode and voice probes
included), and the reading is each round's B over A and their median, not two medians taken at
different times. Each revision is checked out into its own git worktree and run with the same
interpreter and virtualenv (its `src` first on `PYTHONPATH`), so two revisions whose
dependencies differ cannot be compared this way.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import measure
from bench.corpus import shared_corpus
from bench.throughput import scan_cmd, scan_problem
from bench.worktrees import checkout, remove
from elderscan.devserver import SiteServer


def one_scan(tree: Path, url: str, pages: int, concurrency: int, work: Path) -> dict[str, Any]:
    """One whole scan from the revision in `tree`: seconds, CPU of the tree, score, pages."""
    result = work / "result.json"
    result.unlink(missing_ok=True)
    path = os.pathsep.join(p for p in (str(tree / "src"), os.environ.get("PYTHONPATH")) if p)
    sample = measure.run(scan_cmd(sys.executable, url, pages, concurrency, result),
                         env={"PYTHONPATH": path})
    problem = scan_problem(result, pages)  # a failed capture would compare other work
    if problem is not None:
        raise SystemExit(f"bench pair: the scan from {tree} does not count ({problem}):\n"
                         f"{sample.output[-2000:]}")
    report = json.loads(result.read_text("utf-8"))
    score = (report.get("score") or {}).get("total")
    return {"seconds": round(sample.seconds, 2), "cpu_seconds": round(sample.cpu_seconds, 2),
            "peak_pss_mb": round(sample.peak_pss_mb), "status": report.get("status"),
            "score": score, "pages": len(report.get("pages") or [])}


def ratios(rounds: list[dict[str, Any]], key: str) -> list[float]:
    """Each round's B over A for `key`."""
    return [r["b"][key] / r["a"][key] for r in rounds if r["a"][key]]


def run(a: str, b: str, pages: int, runs: int, concurrency: int, seed: int, out: Path,
        console: Console) -> Path:
    corpus, _ = shared_corpus(pages, seed)
    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="elderscan-pair-") as tmp:
        work = Path(tmp)
        trees = {"a": work / "a", "b": work / "b"}
        commits: dict[str, str] = {}
        try:
            for side, rev in (("a", a), ("b", b)):
                commits[side] = checkout(rev, trees[side])
            with SiteServer(corpus) as server:
                for n in range(runs):
                    order = ("a", "b") if n % 2 == 0 else ("b", "a")
                    row = {side: one_scan(trees[side], server.url, pages, concurrency, work)
                           for side in order}
                    rounds.append({"a": row["a"], "b": row["b"], "order": "".join(order)})
                    console.print(
                        f"round {n + 1}/{runs} ({' then '.join(order).upper()}): "
                        f"A {row['a']['seconds']:.2f} s, {row['a']['cpu_seconds']:.1f} CPU s; "
                        f"B {row['b']['seconds']:.2f} s, {row['b']['cpu_seconds']:.1f} CPU s",
                        highlight=False)
        finally:
            for tree in trees.values():
                remove(tree)
    cpu, wall = ratios(rounds, "cpu_seconds"), ratios(rounds, "seconds")
    same = all(r["a"]["score"] == r["b"]["score"] for r in rounds)
    table = Table(title=f"{pages} corpus pages at concurrency {concurrency}, {runs} rounds, "
                  "each round's B over A")
    for column in ("", "A (median)", "B (median)", "B / A (median)", "B / A (min–max)"):
        table.add_column(column, justify="right" if column else "left")
    for label, key, values in (("CPU s of the tree", "cpu_seconds", cpu),
                               ("seconds", "seconds", wall)):
        table.add_row(label, f"{statistics.median(r['a'][key] for r in rounds):.2f}",
                      f"{statistics.median(r['b'][key] for r in rounds):.2f}",
                      f"{statistics.median(values):.3f}",
                      f"{min(values):.3f}–{max(values):.3f}")
    console.print(table)
    console.print(f"A = {a} ({commits['a'][:12]}), B = {b} ({commits['b'][:12]}); scores "
                  + ("the same in every round" if same else "DIFFER: " + ", ".join(
                      f"{r['a']['score']} / {r['b']['score']}" for r in rounds)), highlight=False)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"pair-{stamp}.json"
    path.write_text(json.dumps({
        "kind": "pair", "when": stamp, "pages": pages, "runs": runs, "seed": seed,
        "concurrency": concurrency, "a": {"rev": a, "commit": commits["a"]},
        "b": {"rev": b, "commit": commits["b"]},
        "cpu_b_over_a": round(statistics.median(cpu), 4),
        "seconds_b_over_a": round(statistics.median(wall), 4),
        "same_score": same, "rounds": rounds}, indent=2), "utf-8")
    console.print(f"written {path}")
    return path
