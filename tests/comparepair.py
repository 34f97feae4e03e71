"""The before/after fixture pair (fixtures/compare/): both versions scanned for real, once per
test process, for the comparison tests of the store, the API and the dashboard."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from conftest import ROOT, settings
from elderscan.contract import ScanReport
from elderscan.devserver import SiteServer

PAIR = ROOT / "fixtures" / "compare"


def _scan(folder: Path) -> ScanReport:
    from elderscan.runner.scan import scan_site

    with SiteServer(folder) as server:
        report = asyncio.run(scan_site(server.url, settings(max_pages=2)))
    assert report.status == "ok", report.error
    return report


@functools.cache
def scanned_pair() -> tuple[ScanReport, ScanReport]:
    """(before, after): body text 16 → 14 px, dates #999 → #ccc, an image given its alt, a
    search box added without a label."""
    return _scan(PAIR / "before"), _scan(PAIR / "after")
