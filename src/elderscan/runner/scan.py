"""`scan_site`: one site from URL to result — crawl, capture, judge, score, report.

The one function the CLI, the API and (later) the batch workers all call, so a scan means the
same thing whichever door it came through.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

from elderscan.capture import SiteCapture
from elderscan.checks._registry import Lang
from elderscan.contract import ScanReport
from elderscan.errors import TargetError
from elderscan.judge import PageJudge, Shots, failed_report, judge_site
from elderscan.scanner.axe import AXE_VERSION
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.driver import BrowserDriver, ChromiumDriver
from elderscan.scanner.site import Progress, capture_site, utc_now
from elderscan.scoring import MODEL_VERSION, Tally, compute
from elderscan.settings import ScanSettings, load_settings


def build_report(site: SiteCapture, shots: Shots | None = None, lang: Lang = "zh",
                 judge: PageJudge | None = None) -> ScanReport:
    """Captures → judge → score → result: the pages `judge` has not judged yet are judged
    here, their findings folded into the score's tally as they come."""
    tally = Tally()
    judged = judge_site(site, tally, shots, lang, judge)
    score = compute(tally.judged(), judged.errors) if judged.status != "failed" else None
    return judged.report(score, MODEL_VERSION)


async def scan_site(
    target: str,
    settings: ScanSettings | None = None,
    *,
    progress: Progress | None = None,
    lang: Lang = "zh",
    pool: BrowserPool | None = None,
    driver: BrowserDriver | None = None,
    screenshots_root: Path | None = None,
    **overrides: Any,
) -> ScanReport:
    """Scan a site. A start page that cannot be fetched gives a `failed` report, not an
    exception; a bad URL or a missing browser raises (those are the caller's to fix).
    `lang` is the language of the findings' messages. A `pool` given (started, with the same
    `BrowserPool.SETTINGS`) is used and left open; without one, a pool lives for this scan.
    A `driver` (started) replaces the browser altogether, e.g. the tests' recorded fake.
    Kept screenshots (`SCREENSHOTS_DIR`) are named in the result relative to
    `screenshots_root`, a folder above them (the store's data directory), else to their own."""
    settings = (settings or load_settings()).merged(**overrides).merged(axe_locale=lang)
    keep = settings.SCREENSHOTS_DIR
    if not keep:  # whole-page shots would only be deleted: the pixel check's part is enough
        settings = settings.merged(screenshot_scope="needed")
    shots = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="elderscan-shots-"))
    shots.mkdir(parents=True, exist_ok=True)
    started = utc_now()
    own_pool = pool is None and driver is None
    if driver is None:
        driver = ChromiumDriver(pool or BrowserPool(settings))
    # A browser of its own starts while the crawl fetches the start page, robots.txt and the
    # sitemap (on a real portal those are as long as the launch): the crawl awaits it before
    # the first page.
    starting = asyncio.create_task(driver.start()) if own_pool else None
    try:
        kept = Shots(shots, (screenshots_root or shots) if keep else None)
        judge = PageJudge(kept, lang)
        site = await capture_site(target, settings, screenshot_dir=shots, progress=progress,
                                  driver=driver, on_page=judge, ready=starting)
        if progress is not None:
            progress("phase", {"phase": "scoring"})
        return build_report(site, kept, lang=lang, judge=judge)
    except TargetError as exc:
        if starting is not None:
            await starting  # the result names the browser; one that cannot start raises
        return failed_report(target, started, utc_now(), exc.code, exc.message, driver.version,
                             AXE_VERSION, driver.guard_log())
    finally:
        if starting is not None:
            await asyncio.gather(starting, return_exceptions=True)  # never left running
            await driver.close()
        if not keep:
            shutil.rmtree(shots, ignore_errors=True)
