"""One real scan of the report test site (tests/sites/report), shared by the format tests.

The site has a hostile title (`<script>` and an `<img onerror>` as text), low-contrast and small
text and a floating download ad, so every format has failures, reviews and passes to render,
and screenshots with boxes to mark.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import TEST_SITES, settings
from elderscan.contract import ScanReport
from elderscan.devserver import SiteServer
from elderscan.reports import ReportSource


@pytest.fixture(scope="session")
def report_site() -> Iterator[str]:
    with SiteServer(TEST_SITES / "report") as server:
        yield server.url


@pytest.fixture(scope="session")
def scanned(report_site: str, tmp_path_factory: pytest.TempPathFactory) -> ReportSource:
    """The report site scanned in a real Chromium, screenshots kept (as `scan --report` does)."""
    from elderscan.runner.scan import scan_site

    shots = tmp_path_factory.mktemp("report-shots")
    report: ScanReport = asyncio.run(scan_site(
        report_site, settings(max_pages=2, screenshots_dir=shots, probes=True)))
    assert report.status == "ok", report.error
    return ReportSource(report, shots)


@pytest.fixture()
def source(scanned: ReportSource, tmp_path: Path) -> ReportSource:
    """A private copy (screenshots included) a test may change without touching the others."""
    assert scanned.screenshots_root is not None
    shots = tmp_path / "shots"
    shutil.copytree(scanned.screenshots_root, shots)
    return ReportSource(scanned.report.model_copy(deep=True), shots)
