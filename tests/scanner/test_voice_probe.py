"""The read-aloud probe, whose waits end once it has seen what it waits for: speech that starts
300 ms after the press is still seen, so is speech a timer starts 900 ms after it (the page's
timers are run ahead) and speech from a script the press loads slowly (the wait lasts until
what the press set loading has arrived, past the press's 1 s while a script is on its way); a
control that does nothing is still judged dead
after the whole wait, and a stop control that navigates is read in the new document (with what
the old one did kept as evidence) instead of failing the probe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import answered_late, settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page
from elderscan.scanner.voice import probe_voice

pytestmark = pytest.mark.browser

HEAD = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>语音</title></head>'
SPEAK = ("<script>document.getElementById('tts').addEventListener('click', () => "
         "speechSynthesis.speak(new SpeechSynthesisUtterance('欢迎访问')));</script>")
PAGES = {
    # speaks at once; its stop control is a link to another page (no cancel is ever called)
    "leaves.html": HEAD + '<body><button id="tts">语音朗读</button>'
    '<a href="other.html">停止朗读</a><p>正文内容。</p>' + SPEAK + "</body></html>",
    # speaks 300 ms after the press, and its stop control cancels
    "late.html": HEAD + '<body><button id="tts">语音朗读</button>'
    "<button id=\"stop\" onclick=\"speechSynthesis.cancel()\">停止朗读</button><p>正文。</p>"
    "<script>document.getElementById('tts').addEventListener('click', () => setTimeout(() => "
    "speechSynthesis.speak(new SpeechSynthesisUtterance('欢迎')), 300));</script></body></html>",
    # speaks 900 ms after the press (a timer), or from a script the press loads slowly (the
    # server answers after 0.5 s: at 0.8 s the fetch and the run passed the probe's 1 s wait
    # once in five full-suite runs on a saturated two-core machine)
    "timed.html": HEAD + '<body><button id="tts">语音朗读</button><p>正文。</p>'
    "<script>document.getElementById('tts').addEventListener('click', () => setTimeout(() => "
    "speechSynthesis.speak(new SpeechSynthesisUtterance('欢迎')), 900));</script></body></html>",
    "loads.html": HEAD + '<body><button id="tts">语音朗读</button><p>正文。</p>'
    "<script>document.getElementById('tts').addEventListener('click', () => {"
    "const s = document.createElement('script'); s.src = '/slow-speech.js';"
    "document.body.appendChild(s); });</script></body></html>",
    # speaks from a vendor's script the press loads from a server that takes 2 s: past the
    # 1 s a press has to start speech, within the 3 s a script on its way is waited for
    "loads-slowly.html": HEAD + '<body><button id="tts">语音朗读</button><p>正文。</p>'
    "<script>document.getElementById('tts').addEventListener('click', () => {"
    "const s = document.createElement('script'); s.src = '/slower-speech.js';"
    "document.body.appendChild(s); });</script></body></html>",
    # speaks at once on every press, and has nothing that stops it: the probe's second press
    # (to stop it) reads from the top again, which is not a second press of the entry
    "again.html": HEAD + '<body><button id="tts">语音朗读</button><p>正文。</p>'
    "<script>document.getElementById('tts').addEventListener('click', () => "
    "speechSynthesis.speak(new SpeechSynthesisUtterance('欢迎')));</script></body></html>",
    # a control that does nothing
    "dead.html": HEAD + '<body><button id="tts">语音朗读</button><p>正文。</p></body></html>',
    "other.html": HEAD + "<body><p>另一页</p></body></html>",
    # the best-named control is dead, one leads away, the image-only icon after them speaks
    "turns.html": HEAD + '<body><button id="dead">语音朗读</button>'
    '<a id="away" href="other.html">朗读</a>'
    '<span class="tts-icon" style="display:inline-block;width:24px;height:24px;'
    'background:#06c"></span><p>正文内容正文内容正文内容正文内容正文内容。</p>'
    "<script>document.querySelector('.tts-icon').addEventListener('click', () => "
    "speechSynthesis.speak(new SpeechSynthesisUtterance('正文内容')));</script></body></html>",
}
OPTS = settings()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("voice")
    for name, html in PAGES.items():
        (root / name).write_text(html, "utf-8")
    speech = answered_late(0.5, "text/javascript; charset=utf-8",
                           "speechSynthesis.speak(new SpeechSynthesisUtterance('欢迎'));".encode())
    slower = answered_late(2.0, "text/javascript; charset=utf-8",
                           "speechSynthesis.speak(new SpeechSynthesisUtterance('欢迎'));".encode())
    routes = {"/slow-speech.js": speech, "/slower-speech.js": slower}
    with SiteServer(root, routes=routes) as server:
        yield server.url


@pytest.mark.parametrize(("page", "functional", "stoppable"), [
    ("leaves.html", True, False),
    ("late.html", True, True),
    ("timed.html", True, False),
    ("loads.html", True, False),
    ("loads-slowly.html", True, False),
    ("again.html", True, False),
    ("dead.html", False, None),
])
async def test_voice_probe_verdicts(site: str, page: str, functional: bool,
                                    stoppable: bool | None) -> None:
    async with BrowserPool(OPTS) as pool:
        home = await capture_page(pool, site + page, "desktop", OPTS)
        assert isinstance(home, Capture)
        probe = await probe_voice(pool, home, OPTS)
    assert probe.failure is None or not functional, probe.failure
    assert probe.found is True
    assert probe.functional is functional
    assert probe.stoppable is stoppable
    if functional:
        assert probe.kind == "speech-synthesis" and probe.evidence["speak"] == 1


async def test_candidates_are_pressed_in_turn_and_recorded(site: str) -> None:
    """A dead control and one that navigates away do not end the search: the home page is
    loaded again and the next candidate, an unnamed icon, is pressed and speaks."""
    async with BrowserPool(OPTS) as pool:
        home = await capture_page(pool, site + "turns.html", "desktop", OPTS)
        assert isinstance(home, Capture)
        probe = await probe_voice(pool, home, OPTS)
    assert [(t.label, t.source, t.outcome) for t in probe.tried] == [
        ("语音朗读", "text", "silent"), ("朗读", "text", "silent"),
        ("", "attribute", "speech-synthesis")]
    assert probe.found and probe.functional is True and probe.kind == "speech-synthesis"
    assert probe.entry is not None and probe.entry.selector == "body > span"
    assert probe.entry.name == "" and probe.entry.keyboard_reachable is False
