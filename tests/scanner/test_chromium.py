"""Which Chromium a scan runs in: the setting, then the distribution's headless shell, then its
full browser; the result names the binary that rendered; and how it is started."""

from __future__ import annotations

import io
import os
from pathlib import Path

import psutil
import pytest
from PIL import Image

from conftest import serve_pages, settings
from elderscan.errors import BrowserNotFound
from elderscan.memory import descendants
from elderscan.scanner import _chromium
from elderscan.scanner._chromium import browser_name, find_chromium
from elderscan.scanner.browser import BrowserPool


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


@pytest.mark.browser
async def test_the_pool_composites_inside_the_browser_process(tmp_path: Path) -> None:
    """`--in-process-gpu` (ENGINE_FLAGS): no GPU process beside the browser, and a screenshot
    still shows what the page drew."""
    page = '<!doctype html><html><body style="margin:0;background:#c00010">'
    for url in serve_pages(tmp_path, {"red.html": page}):
        async with BrowserPool(settings(concurrency=1)) as pool, pool.tab("desktop") as tab:
            await tab.page.goto(f"{url}red.html")
            shot = await tab.page.screenshot(type="png")
            assert pool._process is not None
            kinds = set()
            for pid in descendants(pool._process.pid):
                try:
                    line = psutil.Process(pid).cmdline()
                except psutil.Error:
                    continue
                kinds.update(arg for arg in line if arg.startswith("--type="))
    assert "--type=renderer" in kinds  # the listing works
    assert "--type=gpu-process" not in kinds
    assert Image.open(io.BytesIO(shot)).convert("RGB").getpixel((5, 5)) == (0xC0, 0x00, 0x10)


@pytest.mark.browser
async def test_the_browser_gives_v8_a_small_young_generation(tmp_path: Path) -> None:
    """`SEMI_SPACE_MB` and `V8_FLAGS`, in the one `--js-flags` the browser hands to every
    renderer's V8 (a renderer's own command line shows only the heap cap, yet V8 there takes
    every flag)."""
    for url in serve_pages(tmp_path, {"a.html": "<!doctype html><p>a"}):
        async with BrowserPool(settings(concurrency=1)) as pool, pool.tab("desktop") as tab:
            await tab.page.goto(f"{url}a.html")
            assert pool._process is not None
            line = psutil.Process(pool._process.pid).cmdline()
    [flags] = [arg for arg in line if arg.startswith("--js-flags=")]
    given = flags.split("=", 1)[1].split()
    assert f"--max-semi-space-size={_chromium.SEMI_SPACE_MB}" in given
    assert set(_chromium.V8_FLAGS) <= set(given)  # one --js-flags holds both: Chromium reads one
    assert set(_chromium.V8_FLAGS) <= set(_chromium.ENGINE_FLAGS[-1].split("=", 1)[1].split())
