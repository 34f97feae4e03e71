"""Soak: thousands of pages through one scanner process, memory sampled as it goes.

The scanner recycles its browser every `ELDERSCAN_RECYCLE_AFTER` pages, so Chromium's share
should stay flat. The Python process judges each page as it arrives and keeps its result (every
finding, as the result contract has it) and a slim capture; that grows with the scan, is
reported on its own line, and is set against the size of the finished result's JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from bench.corpus import shared_corpus
from elderscan.contract.report import ScanReport
from elderscan.devserver import SiteServer
from elderscan.memory import tree_memory
from elderscan.runner.scan import scan_site
from elderscan.settings import load_settings


def run(pages: int, concurrency: int, every: int, seed: int, out: Path,
        console: Console) -> Path:
    corpus, _ = shared_corpus(pages, seed)
    console.print(f"{pages} corpus pages in {corpus}")
    samples: list[dict[str, float]] = []
    started = time.perf_counter()
    me = psutil.Process(os.getpid())

    def on_event(kind: str, data: dict[str, object]) -> None:
        if kind != "page":
            return
        done = int(str(data["done"]))
        if done % every == 0:
            _, tree = tree_memory(me)
            python = tree_memory(me, children=False)[1]
            samples.append({"pages": done, "seconds": round(time.perf_counter() - started, 1),
                            "tree_pss_mb": round(tree, 1), "python_pss_mb": round(python, 1),
                            "chromium_pss_mb": round(tree - python, 1)})
            console.print(f"{done:>6} pages  {samples[-1]['seconds']:>7.1f}s  tree {tree:7.0f} MB"
                          f"  python {python:6.0f} MB  chromium {tree - python:6.0f} MB",
                          highlight=False)

    settings = load_settings(max_pages=pages, max_depth=1, per_template=pages,
                             concurrency=concurrency)
    with SiteServer(corpus) as server:
        report = asyncio.run(scan_site(server.url, settings, progress=on_event))
    elapsed = time.perf_counter() - started
    result_mb = sum(len(chunk) for chunk in report.json_chunks()) / 2**20
    if len(samples) < 2:
        raise SystemExit("bench: too few samples; use more --pages or a smaller --every")
    first, last = samples[0], samples[-1]
    growth = {k: round((last[k] - first[k]) / first[k] * 100, 1)
              for k in ("tree_pss_mb", "chromium_pss_mb", "python_pss_mb")}
    table = Table(title=f"soak: {report.summary.pages} captures in {elapsed:.0f}s, "
                  f"concurrency {concurrency}")
    for column in ("", f"at {first['pages']:.0f} pages", f"at {last['pages']:.0f} pages",
                   "growth"):
        table.add_column(column, justify="right")
    for key, label in (("tree_pss_mb", "whole tree MB"), ("chromium_pss_mb", "Chromium MB"),
                       ("python_pss_mb", "Python MB")):
        table.add_row(label, f"{first[key]:.0f}", f"{last[key]:.0f}", f"{growth[key]:+.1f} %")
    console.print(table)
    console.print(f"the result it holds: {result_mb:.0f} MB of JSON "
                  f"({result_mb * 1024 / max(1, report.summary.pages):.0f} KB a page, "
                  f"{report.summary.fail + report.summary.review + report.summary.pass_} findings)",
                  highlight=False)
    failures = failed_pages(report)
    for failure in failures:
        console.print(f"failed: {failure['url']}: {failure['message']}", highlight=False)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"soak-{stamp}.json"
    path.write_text(json.dumps({
        "kind": "soak", "when": stamp, "pages": pages, "concurrency": concurrency,
        "captures": report.summary.pages, "failed": report.summary.failed_pages,
        "failures": failures,
        "seconds": round(elapsed, 1), "samples": samples, "growth_percent": growth,
        "result_json_mb": round(result_mb, 1)},
        indent=2), "utf-8")
    console.print(f"written {path}")
    return path


def failed_pages(report: ScanReport) -> list[dict[str, str]]:
    """Each page that could not be captured, with why (its `page.load` finding): a soak's
    count of failures says nothing of whether they were the machine's load or a fault."""
    return [{"url": page.url, "message": finding.message}
            for page in report.pages for finding in page.findings if finding.rule == "page.load"]
