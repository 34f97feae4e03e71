"""A control is pressed once. A click Chromium has delivered can still time out on our side (the
page's handler holds the renderer, or the machine is busy): pressing it again by dispatching
the event would run the handler twice — and a read-aloud or care-mode switch pressed twice is
switched off again (a voice probe once counted two utterances for one press under load)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import serve_pages, settings
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.voice import press

pytestmark = pytest.mark.browser

PAGES = {
    "slow.html": "<!doctype html><html><body><button id='b'>语音朗读</button><script>"
                 "window.presses = 0; document.getElementById('b').addEventListener('click', "
                 "() => { window.presses++; const t = Date.now(); while (Date.now() - t < 2500) "
                 "{} });</script></body>",
    "covered.html": "<!doctype html><html><body><button id='b' onclick='window.presses++'>"
                    "关怀版</button><div style='position:fixed;inset:0;background:#fff8'></div>"
                    "<script>window.presses = 0;</script></body>",
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_pages(tmp_path_factory.mktemp("press"), PAGES)


@pytest.mark.parametrize("page", ["slow.html", "covered.html"])
async def test_a_control_is_pressed_once(base: str, page: str) -> None:
    """A handler that outlasts the click's time limit is not run again; a control under a
    pop-up (the click never reaches it) is pressed by dispatching the event, once."""
    scan = settings()
    async with BrowserPool(scan) as pool, pool.context("desktop") as ctx:
        tab = await ctx.new_page()
        await tab.goto(f"{base}{page}")
        assert await press(tab, "#b")
        assert await tab.evaluate("window.presses") == 1
