"""The recorded fake browser: scans of the fixture sites recorded once in Chromium and replayed
without it, so the crawl, the probes' verdicts, the judge and scoring run end to end in tests
that are not about the browser.

A recording is what the scan asked of the browser and what it answered: every page capture (by
path, viewport and mode), the elder-mode, voice and version probes' outcomes, and the
screenshots. It is stored per site and per *profile* — the settings that change what a capture
holds (viewport, axe-core's language, screenshot scope, the interaction probes) — as
`tests/recordings/<site>/<profile>/scan.json` with its screenshots beside it (a site of
`fixtures/sites/` or of `tests/sites/`). The crawl itself
still runs for real on replay (HTTP preflight, robots.txt, sitemaps against the fixture server),
so a replay asks for exactly the pages a live scan would.

    report = await recorded_scan("gov-good", settings(axe=True, max_pages=3))  # no Chromium
    driver = RecordedDriver("gov-good", base_url)                     # for scan_site(driver=…)
    replay_scans(monkeypatch, {base_url: "gov-good"})                 # every scan_site of a test

Re-record (needs Chromium), from the repository root:

    PYTHONPATH=src:. python -m tests.recorded gov-good gov-poor …   [--lang en] [--keep-shots]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import pytest
from tests.quick_settings import SETTLE_MS, TEST_SETTINGS

from elderscan.capture import (
    Capture,
    ElderProbe,
    GuardLog,
    Mode,
    PageFailure,
    VersionsProbe,
    Viewport,
    VoiceProbe,
    unmasked_screenshot,
)
from elderscan.checks._registry import Lang
from elderscan.contract import ScanReport
from elderscan.devserver import SiteServer
from elderscan.runner import scan as runner_scan
from elderscan.runner.browsers import KeptBrowsers
from elderscan.runner.scan import scan_site
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.driver import BrowserUse, ChromiumDriver, ElderFound
from elderscan.scanner.navigation import HostSlot
from elderscan.scanner.page_context import OnDom
from elderscan.scanner.versions import CrawlAccess, VersionsFound
from elderscan.settings import ScanSettings

ROOT = Path(__file__).resolve().parents[1]
RECORDINGS = Path(__file__).resolve().parent / "recordings"
SITE_FOLDERS = (ROOT / "fixtures" / "sites", ROOT / "tests" / "sites",
                ROOT / "fixtures" / "versions", ROOT / "fixtures")
"""where a recorded site's files are: the bundled fixture sites, the tests' own, the `lang-*`
sites (tests/langsites.py), then the other fixture folders (`fixhelp`, pages each scanned on its
own: see `record(starts=…)`)"""
HOST = "{{host}}"
"""stands for the fixture server's `host:port` in a recording (its port changes every run)"""
RECORD_SETTINGS: dict[str, Any] = {**TEST_SETTINGS, "axe": True, "max_pages": 10, "max_depth": 3}
"""the tests' `settings(axe=True)`, with the default page budget: a replay may ask for fewer"""

Page: TypeAlias = Capture | PageFailure


def site_folder(site: str) -> Path:
    return next((f / site for f in SITE_FOLDERS if (f / site).is_dir()), SITE_FOLDERS[0] / site)


def profile(settings: ScanSettings) -> str:
    """The name of the recording a scan with `settings` replays: what changes a capture."""
    parts = [settings.VIEWPORT, settings.AXE_LOCALE, settings.SCREENSHOT_SCOPE]
    parts += ["probes"] if settings.PROBES else []
    parts += [] if settings.AXE else ["no-axe"]
    if settings.SETTLE_MS != SETTLE_MS:  # a late pop-up shown or not
        parts.append(f"settle{settings.SETTLE_MS}")
    return "-".join(parts)


def _page_json(page: Page) -> dict[str, Any]:
    kind = "capture" if isinstance(page, Capture) else "failure"
    data = page.model_dump(mode="json")
    if isinstance(page, Capture) and page.screenshot:
        data["screenshot"] = page.screenshot  # relative to the screenshots folder
    return {kind: data}


def _page_of(entry: dict[str, Any]) -> Page:
    if "capture" in entry:
        return Capture.model_validate(entry["capture"])
    return PageFailure.model_validate(entry["failure"])


def _key(url: str, viewport: str, mode: str) -> str:
    return f"{viewport} {mode} {url}"


class RecordingDriver(ChromiumDriver):
    """Chromium, noting every answer the scan got from it."""

    def __init__(self, pool: BrowserPool) -> None:
        super().__init__(pool)
        self.pages: dict[str, dict[str, Any]] = {}
        self.probes: dict[str, Any] = {"elder": None, "voice": None, "versions": None}
        self.shots: dict[str, bytes] = {}
        """read as they are taken: a scan that keeps none deletes them at its end"""

    def _note(self, page: Page, screenshot_dir: Path | None) -> None:
        self.pages[_key(page.url, page.viewport, page.mode)] = _page_json(page)
        if isinstance(page, Capture) and page.screenshot and screenshot_dir is not None:
            shot = screenshot_dir / page.screenshot
            for path in (shot, unmasked_screenshot(shot)):
                if path.is_file():
                    self.shots[path.name] = path.read_bytes()

    async def capture(self, url: str, viewport: Viewport, settings: ScanSettings, *,
                      mode: Mode = "standard", screenshot_dir: Path | None = None,
                      host_slot: HostSlot | None = None, tab_key: str | None = None,
                      on_dom: OnDom | None = None) -> Page:
        page = await super().capture(url, viewport, settings, mode=mode,
                                     screenshot_dir=screenshot_dir, host_slot=host_slot,
                                     tab_key=tab_key, on_dom=on_dom)
        self._note(page, screenshot_dir)
        return page

    async def probe_elder(self, home: Capture, settings: ScanSettings,
                          screenshot_dir: Path | None) -> ElderFound:
        probe, pages = await super().probe_elder(home, settings, screenshot_dir)
        for page in pages:
            self._note(page, screenshot_dir)
        self.probes["elder"] = {"probe": probe.model_dump(mode="json"),
                                "pages": [_page_json(p) for p in pages]}
        return probe, pages

    async def probe_voice(self, home: Capture, settings: ScanSettings) -> VoiceProbe:
        probe = await super().probe_voice(home, settings)
        self.probes["voice"] = probe.model_dump(mode="json")
        return probe

    async def probe_versions(self, pages: list[Page], access: CrawlAccess,
                             screenshot_dir: Path | None, static_html: str) -> VersionsFound:
        probe, found = await super().probe_versions(pages, access, screenshot_dir, static_html)
        for page in found:
            self._note(page, screenshot_dir)
        self.probes["versions"] = {"probe": probe.model_dump(mode="json") if probe else None,
                                   "pages": [_page_json(p) for p in found]}
        return probe, found

    def save(self, folder: Path, host: str) -> None:
        """Write the recording, the fixture server's address made a placeholder."""
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "shots").mkdir(parents=True)
        for name, png in self.shots.items():
            (folder / "shots" / name).write_bytes(png)
        engine = {"chromium": self.version, "browser": self.browser}
        (folder / "engine.json").write_text(json.dumps(engine) + "\n", "utf-8")
        data = {"pages": self.pages, **self.probes}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        (folder / "scan.json").write_text(text.replace(host, HOST) + "\n", "utf-8")


class RecordedDriver:
    """Replays a recording of fixture site `site`, served now at `base_url`; a capture that
    was never recorded is an error that names the profile to record."""

    def __init__(self, site: str, base_url: str, recordings: Path = RECORDINGS,
                 pace: float = 0) -> None:
        self.site, self.host = site, urlsplit(base_url).netloc
        self.pace = pace
        """seconds each capture takes, for a test that must catch a scan in progress"""
        self.recordings = recordings
        self._loaded: dict[str, dict[str, Any]] = {}
        self.sites = 0
        engine = next(iter(sorted((recordings / site).glob("*/engine.json"))), None)
        self.engine: dict[str, str] = json.loads(engine.read_text("utf-8")) if engine else {}

    def _recording(self, settings: ScanSettings) -> tuple[dict[str, Any], Path]:
        name = profile(settings)
        folder = self.recordings / self.site / name
        if name not in self._loaded:
            path = folder / "scan.json"
            if not path.is_file():
                raise LookupError(f"no recording of {self.site} for profile {name}: record it "
                                  "(see tests/recordings/README.md)")
            text = path.read_text("utf-8").replace(HOST, self.host)
            self._loaded[name] = json.loads(text)
        return self._loaded[name], folder

    def _replayed(self, entry: dict[str, Any], folder: Path,
                  screenshot_dir: Path | None) -> Page:
        page = _page_of(entry)
        if not isinstance(page, Capture) or not page.screenshot:
            return page
        if screenshot_dir is None:
            return page.model_copy(update={"screenshot": None, "screenshot_height": None})
        for path in (folder / "shots" / page.screenshot,
                     unmasked_screenshot(folder / "shots" / page.screenshot)):
            if path.is_file():
                shutil.copyfile(path, screenshot_dir / path.name)
        return page

    @property
    def version(self) -> str:
        return self.engine.get("chromium", "")

    @property
    def browser(self) -> str:
        return self.engine.get("browser", "")

    async def start(self) -> None:
        """Nothing to start: no browser."""

    async def expected_version(self) -> str:
        return self.version

    async def close(self) -> None:
        """Nothing to close."""

    def begin_site(self) -> BrowserUse:
        self.sites += 1
        return BrowserUse(0, 0)

    def used(self) -> BrowserUse:
        return BrowserUse(1, 0)  # as a pool launched for one scan reports

    def sign_in(self, url: str) -> None:
        """Cookies change nothing on a replay."""

    def guard_log(self) -> GuardLog | None:
        return None

    async def capture(self, url: str, viewport: Viewport, settings: ScanSettings, *,
                      mode: Mode = "standard", screenshot_dir: Path | None = None,
                      host_slot: HostSlot | None = None, tab_key: str | None = None,
                      on_dom: OnDom | None = None) -> Page:
        """The recorded page; `on_dom` is not told (a replay has no DOM pass to be early
        from: the crawl starts its site probes once the page is back)."""
        recording, folder = self._recording(settings)
        await asyncio.sleep(self.pace)
        entry = recording["pages"].get(_key(url, viewport, mode))
        if entry is None:
            raise LookupError(f"{self.site}: {url} ({viewport}, {mode}) was not recorded for "
                              f"profile {profile(settings)}; re-record with a larger page budget")
        return self._replayed(entry, folder, screenshot_dir)

    async def forget(self, tab_key: str) -> None:
        """No tabs."""

    async def probe_elder(self, home: Capture, settings: ScanSettings,
                          screenshot_dir: Path | None) -> ElderFound:
        recording, folder = self._recording(settings)
        elder = recording["elder"]
        if elder is None:
            raise LookupError(f"{self.site}: the elder-mode probe was not recorded")
        return (ElderProbe.model_validate(elder["probe"]),
                [self._replayed(p, folder, screenshot_dir) for p in elder["pages"]])

    async def probe_voice(self, home: Capture, settings: ScanSettings) -> VoiceProbe:
        recording, _ = self._recording(settings)
        if recording["voice"] is None:
            raise LookupError(f"{self.site}: the voice probe was not recorded")
        return VoiceProbe.model_validate(recording["voice"])

    async def probe_versions(self, pages: list[Page], access: CrawlAccess,
                             screenshot_dir: Path | None, static_html: str) -> VersionsFound:
        """As the real probe: off when asked or without a home page; the region is the scan's."""
        home = next((p for p in pages if isinstance(p, Capture) and p.url == access.site_start),
                    None)
        if home is None or not access.settings.PROBE_VERSIONS:
            return None, []
        recording, folder = self._recording(access.settings)
        versions = recording["versions"]
        if versions is None:
            raise LookupError(f"{self.site}: the version probe was not recorded")
        probe = versions["probe"] and VersionsProbe.model_validate(
            {**versions["probe"], "region": access.settings.REGION})
        return probe, [self._replayed(p, folder, screenshot_dir) for p in versions["pages"]]


async def recorded_scan(site: str, settings: ScanSettings, **options: Any) -> ScanReport:
    """`scan_site` of fixture site `site` on its recording: the site is served for the crawl,
    the browser is the recording. `options` go to `scan_site` (`lang`, `progress`, …)."""
    with SiteServer(site_folder(site)) as server:
        return await scan_site(server.url, settings, driver=RecordedDriver(site, server.url),
                               **options)


def replay_scans(monkeypatch: pytest.MonkeyPatch, served: Mapping[str, str]) -> None:
    """Every `scan_site` of this test replays — the runner's, the API's, the CLI's in this
    process: `served` maps the base URL of each fixture site being served to its name. A
    kept browser handed to the scan (`pool`) is left unused. For another process (a command,
    a Celery worker), see `tests/replaying/sitecustomize.py`."""
    monkeypatch.setattr(runner_scan, "scan_site", replaying(served))
    monkeypatch.setattr(KeptBrowsers, "lease", no_browser_lease)


@contextlib.asynccontextmanager
async def no_browser_lease(self: KeptBrowsers, settings: ScanSettings) -> AsyncIterator[None]:
    """`KeptBrowsers.lease` on a replay: the runners lease a browser before they scan, and a
    replayed scan leaves it unused, so none is launched."""
    yield None


ScanSite = Callable[..., Awaitable[ScanReport]]


UNRECORDED = "(not a recorded site)"
"""the site a target outside `served` replays: nothing, so a scan that gets past the crawl's
HTTP checks (an unreachable or blocked address fails there) raises `LookupError`"""


def replaying(served: Mapping[str, str], real: ScanSite = scan_site,
              pace: float = 0) -> ScanSite:
    """`scan_site`, replaying the fixture sites `served` (base URL → site name), each capture
    taking `pace` seconds; any other target gets a browser that has nothing recorded, as the
    unreachable ones need no more."""
    async def replayed(target: str, settings: ScanSettings | None = None,
                       **options: Any) -> ScanReport:
        base, site = next(((b, s) for b, s in served.items() if target.startswith(b)),
                          (target, UNRECORDED))
        options.pop("pool", None)
        return await real(target, settings, driver=RecordedDriver(site, base, pace=pace),
                          **options)

    return replayed


REPLAY_ENV = "ELDERSCAN_TEST_REPLAY"
"""`base_url=site` pairs, comma-separated: the sites a process started with
`tests/replaying` on its PYTHONPATH replays"""
REPLAY_PACE_ENV = "ELDERSCAN_TEST_REPLAY_PACE"
"""seconds each replayed capture takes in that process"""


def replay_env(served: Mapping[str, str], env: Mapping[str, str] | None = None,
               pace: float = 0) -> dict[str, str]:
    """`env` (this process's environment by default) made to replay `served` in a Python
    process started with it, each capture taking `pace` seconds; with `served` empty, every
    scan is of an unrecorded site."""
    env = os.environ if env is None else env
    path = os.pathsep.join(filter(None, [str(Path(__file__).parent / "replaying"),
                                         str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH")]))
    return {**env, "PYTHONPATH": path,
            REPLAY_ENV: ",".join(f"{base}={site}" for base, site in served.items()),
            REPLAY_PACE_ENV: str(pace)}


def replay_from(env: Mapping[str, str]) -> ScanSite | None:
    """The `scan_site` of a process started with `env` (what `replay_env` wrote into it), or
    None when `env` asks for no replay."""
    served = env.get(REPLAY_ENV)
    if served is None:  # empty: no site is recorded, every scan is of an unreachable one
        return None
    return replaying(dict(pair.rsplit("=", 1) for pair in served.split(",") if pair),
                     pace=float(env.get(REPLAY_PACE_ENV) or 0))


async def record(site: str, settings: ScanSettings, lang: Lang,
                 starts: tuple[str, ...] = ("",)) -> Path:
    """Scan fixture site `site` in Chromium and write its recording; returns its folder. Each
    of `starts` (paths under the site's root) is scanned from, into the one recording, for
    tests that scan single pages of a site."""
    with SiteServer(site_folder(site)) as server, \
            tempfile.TemporaryDirectory(prefix="elderscan-record-") as shots:
        if settings.SCREENSHOTS_DIR:
            settings = settings.merged(screenshots_dir=shots)
        pool = BrowserPool(settings)
        driver = RecordingDriver(pool)
        await driver.start()
        try:
            for start in starts:
                report = await scan_site(server.url + start, settings, driver=driver, lang=lang)
        finally:
            await driver.close()
        merged = settings.merged(axe_locale=lang)
        if not settings.SCREENSHOTS_DIR:
            merged = merged.merged(screenshot_scope="needed")
        folder = RECORDINGS / site / profile(merged)
        driver.save(folder, urlsplit(server.url).netloc)
    print(f"{site}: {report.summary.pages} pages, score {report.score['total']} -> "
          f"{folder.relative_to(ROOT)}")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description="Record fixture-site scans for replay.")
    parser.add_argument("sites", nargs="+")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--viewport", choices=("desktop", "mobile", "both"), default="desktop")
    parser.add_argument("--probes", action="store_true", help="the interaction probes on")
    parser.add_argument("--settle-ms", type=int, default=SETTLE_MS)
    parser.add_argument("--max-pages", type=int, default=RECORD_SETTINGS["max_pages"],
                        help="the page budget: as the tests that replay it ask, to keep it small")
    parser.add_argument("--keep-shots", action="store_true",
                        help="whole-page screenshots, as a scan that keeps them takes")
    parser.add_argument("--start", action="append", default=[], metavar="PAGE",
                        help="scan from this page of the site (repeatable; default its root)")
    args = parser.parse_args()
    options = {**RECORD_SETTINGS, "viewport": args.viewport, "probes": args.probes,
               "settle_ms": args.settle_ms, "max_pages": args.max_pages}
    if args.keep_shots:
        options["screenshots_dir"] = "keep"  # replaced by a temporary folder in `record`
    settings = ScanSettings().merged(**options)
    for site in args.sites:
        asyncio.run(record(site, settings, "en" if args.lang == "en" else "zh",
                           tuple(args.start) or ("",)))


if __name__ == "__main__":
    main()
