"""The recorded results still match a live scan, so the tests that read them cannot go stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.saved_results import RECORDINGS, comparable, load, scan_live


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(RECORDINGS))
def test_recording_matches_a_live_scan(name: str, tmp_path: Path) -> None:
    live = scan_live(name, tmp_path / "live")
    recorded = load(name, tmp_path / "recorded")
    assert comparable(live) == comparable(recorded), (
        f"tests/saved_results/{name} no longer matches a live scan: if the change is intended, "
        f"record it again with `python -m tests.saved_results {name}`")
