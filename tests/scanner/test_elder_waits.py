"""What an elder-mode toggle takes to show its effect, and that the probe waits for all of it.

The probe no longer waits a fixed 1.2 s after a press: the page's timers are run ahead on its
clock, then it waits until what the press set loading has arrived and the transitions it
started have ended (up to 3 s while a script or style sheet it set loading is on its way).
Each page here hides its effect behind one of those: a timer, a slow stylesheet, a vendor's
script that takes 2 s, an eased font size. Read too early, each looks like a toggle that does
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import ELDER_TEXT, answered_late, serve_pages, settings
from elderscan.capture import Capture
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.elder import probe_elder
from elderscan.scanner.page import capture_page

pytestmark = pytest.mark.browser



def _page(style: str, script: str) -> str:
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>县政府</title>"
            f"<style>main p{{font-size:14px}} .care main p{{font-size:22px}} {style}</style>"
            f"</head><body><header><button id='care'>关怀版</button></header>"
            f"<main>{ELDER_TEXT}</main><script>document.getElementById('care').onclick = "
            f"function () {{ {script} }};</script></body>")  # serve_pages closes it


PAGES = {
    # applied by a timer a second after the press
    "timer.html": _page("", "setTimeout(function () { "
                        "document.documentElement.classList.add('care'); }, 1000);"),
    # applied by a stylesheet the press loads, which the server sends 0.8 s later
    "sheet.html": _page("", "var l = document.createElement('link'); l.rel = 'stylesheet'; "
                        "l.href = '/slow.css'; document.head.appendChild(l);"),
    # applied by a vendor's script the press loads, which its server sends 2 s later: past
    # the press's 1.2 s, within the 3 s a script on its way is waited for
    "script.html": _page("", "var s = document.createElement('script'); "
                         "s.src = '/slow-care.js'; document.head.appendChild(s);"),
    # eased: the text grows over 0.6 s
    "eased.html": _page("main p{transition:font-size .6s linear}",
                        "document.documentElement.classList.add('care');"),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    slow_css = answered_late(0.8, "text/css", b"main p{font-size:22px !important}")
    slow_js = answered_late(2.0, "text/javascript",
                            b"document.documentElement.classList.add('care');")
    yield from serve_pages(tmp_path_factory.mktemp("elder-waits"), PAGES,
                           {"/slow.css": slow_css, "/slow-care.js": slow_js})


@pytest.mark.parametrize("name", sorted(PAGES))
async def test_the_probe_waits_for_what_the_press_started(base: str, name: str) -> None:
    scan = settings(concurrency=2)
    async with BrowserPool(scan) as pool:
        home = await capture_page(pool, base + name, "desktop", scan)
        assert isinstance(home, Capture)
        probe, captures = await probe_elder(pool, home, scan)
    trial = probe.trials[0]
    assert (probe.kind, trial.verdict) == ("toggle", "effective"), trial
    assert trial.text_px_before == 14 and trial.text_px_after == 22, trial
    assert len(captures) == 1
