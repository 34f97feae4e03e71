"""`scan_site`: one site from URL to result — crawl, capture, judge, score, report.

The one function the CLI, the API and (later) the batch workers all call, so a scan means the
same thing whichever door it came through.

The judge and the scoring (the rules, their standards, the pixel measures: ~0.2 s of imports)
are imported in a thread while Chromium starts, not before: a one-page scan spends its first
second on start-up, and the browser launch need not wait for modules it uses only once a page
has been captured.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from elderscan.capture import Capture, PageFailure, SiteCapture
from elderscan.contract import ScanReport
from elderscan.errors import TargetError
from elderscan.i18n import Lang
from elderscan.scanner.axe import AXE_VERSION
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.driver import BrowserDriver, ChromiumDriver
from elderscan.scanner.site import Progress, capture_site, utc_now
from elderscan.settings import ScanSettings, load_settings

if TYPE_CHECKING:
    from elderscan.judge import PageJudge, Shots

JUDGING = ("elderscan.judge", "elderscan.scoring")
"""What judging a capture needs that capturing it does not."""


def build_report(site: SiteCapture, shots: Shots | None = None, lang: Lang = "zh",
                 judge: PageJudge | None = None) -> ScanReport:
    """Captures → judge → score → result: the pages `judge` has not judged yet are judged
    here, their findings folded into the score's tally as they come."""
    from elderscan.judge import judge_site
    from elderscan.scoring import MODEL_VERSION, Tally, compute

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
    # sitemap (on a real portal those are as long as the launch), and the judge is made (its
    # modules imported) in a thread meanwhile: the crawl awaits both before the first page.
    starting = asyncio.create_task(driver.start()) if own_pool else None
    judging = asyncio.create_task(asyncio.to_thread(_judge, shots, screenshots_root, keep, lang))
    ready = asyncio.gather(*(t for t in (starting, judging) if t is not None))
    try:
        site = await capture_site(target, settings, screenshot_dir=shots, progress=progress,
                                  driver=driver, on_page=_Judged(judging), ready=ready)
        if progress is not None:
            progress("phase", {"phase": "scoring"})
        judge = await judging
        return build_report(site, judge.shots, lang=lang, judge=judge)
    except TargetError as exc:
        await ready  # the result names the browser; one that cannot start raises
        from elderscan.judge import failed_report

        return failed_report(target, started, utc_now(), exc.code, exc.message, driver.version,
                             AXE_VERSION, driver.guard_log())
    finally:
        await asyncio.gather(ready, return_exceptions=True)  # nothing left running
        if starting is not None:
            await driver.close()
        if not keep:
            shutil.rmtree(shots, ignore_errors=True)


def _judge(shots: Path, root: Path | None, keep: Path | None, lang: Lang) -> PageJudge:
    """The page judge, its modules imported first (in a worker thread: see the module's doc)."""
    for name in JUDGING:
        importlib.import_module(name)
    from elderscan.judge import PageJudge, Shots

    return PageJudge(Shots(shots, (root or shots) if keep else None), lang)


class _Judged:
    """Hands each page to the judge being made; the crawl awaits it before its first page."""

    def __init__(self, judging: asyncio.Task[PageJudge]) -> None:
        self.judging = judging

    def __call__(self, page: Capture | PageFailure) -> None:
        self.judging.result()(page)
