"""The before/after fixture pair (fixtures/compare/) as scanned for real (saved in
tests/saved_results/compare-*, which tests/test_saved_results.py keeps equal to a live scan),
for the comparison tests of the store, the API and the dashboard."""

from __future__ import annotations

import functools

from tests.saved_results import load

from elderscan.contract import ScanReport


@functools.cache
def scanned_pair() -> tuple[ScanReport, ScanReport]:
    """(before, after): body text 16 → 14 px, dates #999 → #ccc, an image given its alt, a
    search box added without a label."""
    return load("compare-before").report, load("compare-after").report
