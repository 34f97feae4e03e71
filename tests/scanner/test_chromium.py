"""Which Chromium a scan runs in: the setting, then the distribution's headless shell, then its
full browser; and the result names the binary that rendered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from elderscan.errors import BrowserNotFound
from elderscan.scanner import _chromium
from elderscan.scanner._chromium import browser_name, find_chromium


def _binary(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", "utf-8")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("ELDERSCAN_CHROMIUM", raising=False)
    shell = _binary(tmp_path / "lib" / "chromium-headless-shell")
    full = _binary(tmp_path / "bin" / "chromium")
    monkeypatch.setattr(_chromium, "SHELL_CANDIDATES", (str(tmp_path / "nope"), shell))
    monkeypatch.setattr(_chromium, "FULL_CANDIDATES", (full,))
    return {"shell": shell, "full": full}


def test_the_headless_shell_comes_first(installed: dict[str, str]) -> None:
    assert find_chromium() == installed["shell"]
    assert browser_name(find_chromium()) == "chromium-headless-shell"


def test_the_full_browser_when_asked_for_or_when_there_is_no_shell(
        installed: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_chromium(shell=False) == installed["full"]
    os.remove(installed["shell"])
    assert find_chromium() == installed["full"]
    assert browser_name(find_chromium()) == "chromium"


def test_the_setting_wins_and_a_wrong_one_is_an_error(
        installed: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_chromium(installed["full"]) == installed["full"]
    monkeypatch.setenv("ELDERSCAN_CHROMIUM", installed["full"])
    assert find_chromium() == installed["full"]
    monkeypatch.setenv("ELDERSCAN_CHROMIUM", "/no/such/chromium")
    with pytest.raises(BrowserNotFound, match="ELDERSCAN_CHROMIUM"):
        find_chromium()
