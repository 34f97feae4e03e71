"""The baselines elderscan is measured against, each run as its own process:

    python -m bench.drivers floor URLS_FILE --concurrency N   bare navigation: goto + load
    python -m bench.drivers axe URLS_FILE --concurrency N     plus axe-core, elderscan's rules
    python -m bench.drivers axe-wcag URLS_FILE --concurrency N  plus axe-core, every WCAG A/AA rule

Same Chromium, same flags and the same axe-core build as elderscan, and one tab per worker
that goes from page to page, as elderscan's tabs do within a site (a fresh context per page
costs a new renderer process each time: 2.4x the time of bare navigation here), so the
difference to elderscan is elderscan's own work.

Two axe-core baselines, because "axe-core only" can mean two things. `axe` runs the rules
elderscan runs (WCAG A/AA without color-contrast and target-size, which elderscan measures in
its own DOM pass): the stricter reading, whose difference to elderscan is everything elderscan
adds. `axe-wcag` runs every WCAG A/AA rule, color-contrast and target-size included: what
someone who wants those verdicts from axe-core alone runs, and the baseline issue 6 measured
("Playwright + axe-core only", 1.6–2.6 pages/s against 3.7–4.2 without those two rules).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from playwright.async_api import Page, async_playwright

from elderscan.scanner._chromium import BASE_FLAGS, ENGINE_FLAGS, find_chromium
from elderscan.scanner.axe import AXE_SOURCE, RUN_OPTIONS

AXE_RUN = "async (options) => (await window.axe.run(document, options)).violations.length"

OPTIONS: dict[str, dict[str, Any] | None] = {
    "floor": None,
    "axe": {**RUN_OPTIONS, "resultTypes": ["violations"]},
    "axe-wcag": {**RUN_OPTIONS, "resultTypes": ["violations"], "rules": {}},
}
"""What each mode asks of axe-core (None: axe-core is not injected)."""


async def _visit(page: Page, url: str, options: dict[str, Any] | None) -> None:
    await page.goto(url, wait_until="load", timeout=60_000)
    if options is not None:
        await page.evaluate(AXE_SOURCE)
        await page.evaluate(AXE_RUN, options)


async def run(urls: list[str], concurrency: int, options: dict[str, Any] | None) -> int:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(),
                                           args=[*BASE_FLAGS, *ENGINE_FLAGS], headless=True)
        queue: asyncio.Queue[str] = asyncio.Queue()
        for url in urls:
            queue.put_nowait(url)
        done = 0

        async def worker() -> None:
            nonlocal done
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            page = await context.new_page()
            while not queue.empty():
                await _visit(page, queue.get_nowait(), options)
                done += 1
            await context.close()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()
        return done


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.drivers")
    parser.add_argument("mode", choices=tuple(OPTIONS))
    parser.add_argument("urls", type=Path, help="file with one URL per line")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    urls = [u for u in args.urls.read_text().split() if u]
    done = asyncio.run(run(urls, args.concurrency, OPTIONS[args.mode]))
    print(f"{done} pages")
    sys.exit(0 if done == len(urls) else 1)


if __name__ == "__main__":
    main()
