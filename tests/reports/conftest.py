"""One real scan of the report test site (tests/sites/report), shared by the format tests: the
recording in tests/saved_results/report, which tests/test_saved_results.py keeps equal to a live
scan.

The site has a hostile title (`<script>` and an `<img onerror>` as text), low-contrast and small
text and a floating download ad, so every format has failures, reviews and passes to render,
and screenshots with boxes to mark.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.saved_results import load

from conftest import TEST_SITES
from elderscan.devserver import SiteServer
from elderscan.reports import ReportSource


@pytest.fixture(scope="session")
def report_site() -> Iterator[str]:
    with SiteServer(TEST_SITES / "report") as server:
        yield server.url


@pytest.fixture(scope="session")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> ReportSource:
    """The report site as a real Chromium scanned it, screenshots kept (as `scan --report`
    does)."""
    scanned = load("report", tmp_path_factory.mktemp("report") / "shots")
    assert scanned.report.status == "ok", scanned.report.error
    return scanned


@pytest.fixture()
def source(scanned: ReportSource, tmp_path: Path) -> ReportSource:
    """A private copy (screenshots included) a test may change without touching the others."""
    assert scanned.screenshots_root is not None
    shots = tmp_path / "shots"
    shutil.copytree(scanned.screenshots_root, shots)
    return ReportSource(scanned.report.model_copy(deep=True), shots)
