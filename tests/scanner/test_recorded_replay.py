"""The recorded fake browser (`tests/recorded.py`): a replay runs a whole scan without Chromium,
and gives what a live scan of the same fixture site gives (the test that keeps the recordings
honest; re-record as `tests/recordings/README.md` says when it fails after a scanner change)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import SiteFarm, settings
from elderscan.contract import ScanReport
from elderscan.devserver import SiteServer
from elderscan.runner.scan import scan_site
from elderscan.scanner.browser import BrowserPool
from recorded import (
    RECORDINGS,
    RecordedDriver,
    profile,
    recorded_scan,
    replay_env,
    replay_scans,
    site_folder,
)

RECORDED = sorted(p.parent.name for p in RECORDINGS.glob("*/desktop-zh-needed"))
"""the sites recorded as the tests' `settings(axe=True)` scan them"""
LIVE_AGAINST_REPLAY = ("gov-elder-link", "gov-image-text", "bank-good")
"""sites whose live scans agree with each other at the tests' 200 ms settle (gov-poor's pop-up,
shown 300 ms after load, is caught or not depending on the machine's load)"""
FIXHELP_PAGES = ("index.html", "overlay.html", "popup-aria.html", "popup-css.html",
                 "popup-img.html")
"""the fix-help pages `tests/reports/test_fixhelp.py` scans one at a time, on their recording"""


def _no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(self: BrowserPool) -> None:
        raise AssertionError("a replay started Chromium")
    monkeypatch.setattr(BrowserPool, "start", refuse)


def _verdicts(report: ScanReport) -> dict[str, Any]:
    """What a replay must reproduce: the score and each page's findings."""
    pages = {}
    for page in report.pages:
        pages[(urlsplit(page.url).path, page.viewport, page.mode)] = sorted(
            (f.rule, f.outcome, repr(f.value), f.selector or "") for f in page.findings)
    return {"score": report.score, "pages": pages,
            "elder": report.elder_mode.get("found") if report.elder_mode else None,
            "voice": report.voice.get("found") if report.voice else None}


@pytest.mark.parametrize("site", RECORDED)
async def test_a_recorded_site_scans_end_to_end_without_a_browser(
        site: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_browser(monkeypatch)
    report = await recorded_scan(site, settings(axe=True))
    assert report.status in ("ok", "partial"), report.error  # gov-mixed has a broken link
    assert report.summary.pages >= 4
    assert all(page.findings for page in report.pages)
    assert report.score["total"] is not None


async def test_a_replay_keeps_its_screenshots_where_a_live_scan_would(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_browser(monkeypatch)
    report = await recorded_scan("report", settings(axe=True, max_pages=2, screenshots_dir=tmp_path,
                                                    probes=True))
    shots = [page.screenshot for page in report.pages]
    assert shots and all(shot and (tmp_path / shot).is_file() for shot in shots), shots


async def test_a_replay_is_the_same_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_browser(monkeypatch)
    first = await recorded_scan("gov-elder-link", settings(axe=True, max_pages=3))
    again = await recorded_scan("gov-elder-link", settings(axe=True, max_pages=3))
    assert len([page for page in first.pages if page.mode == "standard"]) == 3
    assert _verdicts(first) == _verdicts(again)


async def test_a_capture_never_recorded_is_an_error_naming_its_profile(
        sites: SiteFarm) -> None:
    driver = RecordedDriver("gov-good", sites.url("gov-good"))
    wanted = settings(axe=True, viewport="mobile")
    with pytest.raises(LookupError, match=profile(wanted.merged(screenshot_scope="needed",
                                                                 axe_locale="zh"))):
        await scan_site(sites.url("gov-good"), wanted, driver=driver)


async def test_replay_scans_makes_every_scan_of_a_test_a_replay(
        sites: SiteFarm, monkeypatch: pytest.MonkeyPatch) -> None:
    from elderscan.runner import scan as runner_scan

    _no_browser(monkeypatch)
    replay_scans(monkeypatch, {sites.url("gov-good"): "gov-good"})
    report = await runner_scan.scan_site(sites.url("gov-good"), settings(axe=True, max_pages=2),
                                         pool=None, lang="en")
    assert report.status == "ok"
    assert len([page for page in report.pages if page.mode == "standard"]) == 2


def test_a_command_in_another_process_replays_too(sites: SiteFarm, tmp_path: Path) -> None:
    env = replay_env({sites.url("gov-good"): "gov-good"})
    env["ELDERSCAN_CHROMIUM"] = str(tmp_path / "no-chromium")  # a launch would fail
    env.update(ELDERSCAN_SETTLE_MS="200", ELDERSCAN_PROBES="false", ELDERSCAN_LANG="en")
    out = tmp_path / "result.json"
    proc = subprocess.run([sys.executable, "-m", "elderscan", "scan", sites.url("gov-good"),
                           "--max-pages", "2", "--json", str(out), "--quiet"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text("utf-8"))
    assert result["status"] == "ok" and result["engine"]["chromium"]


@pytest.mark.browser
@pytest.mark.parametrize("site", LIVE_AGAINST_REPLAY)
async def test_a_replay_gives_what_a_live_scan_gives(site: str, sites: SiteFarm) -> None:
    opts = settings(axe=True)
    live = await scan_site(sites.url(site), opts)
    replayed = await scan_site(sites.url(site), opts,
                               driver=RecordedDriver(site, sites.url(site)))
    assert _verdicts(replayed) == _verdicts(live)


@pytest.mark.browser
@pytest.mark.parametrize("page", FIXHELP_PAGES)
async def test_a_fix_help_page_replays_as_it_scans_live(page: str, tmp_path: Path) -> None:
    """Keeps the fix-help recording honest: the pages are scanned as test_fixhelp scans them."""
    with SiteServer(site_folder("fixhelp")) as server:
        opts = settings(axe=True, max_pages=1, settle_ms=900)
        live = await scan_site(server.url + page, opts, screenshots_dir=tmp_path / "live")
        replayed = await scan_site(server.url + page, opts, screenshots_dir=tmp_path / "replay",
                                   driver=RecordedDriver("fixhelp", server.url))
    assert _verdicts(replayed) == _verdicts(live)
