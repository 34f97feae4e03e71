"""The baselines elderscan is measured against, each run as its own process:

    python -m bench.drivers floor URLS_FILE --concurrency N   bare navigation: goto + load
    python -m bench.drivers axe URLS_FILE --concurrency N     the same plus axe-core (WCAG A/AA)

Same Chromium, same flags and the same axe-core build as elderscan, and one tab per worker
that goes from page to page, as elderscan's tabs do within a site (a fresh context per page
costs a new renderer process each time: 2.4x the time of bare navigation here), so the
difference to elderscan is elderscan's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from playwright.async_api import Page, async_playwright

from elderscan.scanner._chromium import BASE_FLAGS, find_chromium
from elderscan.scanner.axe import AXE_SOURCE, RUN_OPTIONS

AXE_RUN = "async (options) => (await window.axe.run(document, options)).violations.length"


async def _visit(page: Page, url: str, with_axe: bool) -> None:
    await page.goto(url, wait_until="load", timeout=60_000)
    if with_axe:
        await page.evaluate(AXE_SOURCE)
        await page.evaluate(AXE_RUN, {**RUN_OPTIONS, "resultTypes": ["violations"]})


async def run(urls: list[str], concurrency: int, with_axe: bool) -> int:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(),
                                           args=list(BASE_FLAGS), headless=True)
        queue: asyncio.Queue[str] = asyncio.Queue()
        for url in urls:
            queue.put_nowait(url)
        done = 0

        async def worker() -> None:
            nonlocal done
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            page = await context.new_page()
            while not queue.empty():
                await _visit(page, queue.get_nowait(), with_axe)
                done += 1
            await context.close()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()
        return done


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.drivers")
    parser.add_argument("mode", choices=("floor", "axe"))
    parser.add_argument("urls", type=Path, help="file with one URL per line")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    urls = [u for u in args.urls.read_text().split() if u]
    done = asyncio.run(run(urls, args.concurrency, args.mode == "axe"))
    print(f"{done} pages")
    sys.exit(0 if done == len(urls) else 1)


if __name__ == "__main__":
    main()
