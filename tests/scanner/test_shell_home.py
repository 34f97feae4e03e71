"""A home page that is only a shell around frames (a frameset; one page-sized iframe) keeps its
长者模式 link and its 语音朗读 button in the framed pages: the site probes look there, and a
home page with text of its own is probed as itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.captures import make_capture, run

from conftest import serve_pages, settings
from elderscan.capture import Frame
from elderscan.scanner.shell import SHELL_TEXT_CHARS, framed_pages
from elderscan.scanner.site import capture_site

HEAD = "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{}</title></head>"
TOP = HEAD.format("页头") + (
    "<body style='font-size:13px'><a href='elder/index.html' target='_top'>长者模式</a>"
    " <a href='main.html' target='main'>首页</a></body>")
MAIN = HEAD.format("首页") + (
    "<body style='font-size:14px'><button id='read' type='button'>语音朗读</button>"
    "<p>本县召开老年人服务工作会议，研究部署适老化改造工作，推进政务服务适老化。</p>"
    "<script>document.getElementById('read').addEventListener('click', () => {"
    " speechSynthesis.cancel();"
    " speechSynthesis.speak(new SpeechSynthesisUtterance(document.body.innerText)); });"
    "</script></body>")
ELDER = HEAD.format("长者模式") + (
    "<body style='font-size:24px'><p>本县召开老年人服务工作会议，研究部署适老化改造工作，"
    "推进政务服务适老化。</p></body>")
PAGES = {
    "frameset/index.html": HEAD.format("某县人民政府") + "<frameset rows='120,*'>"
    "<frame src='top.html' name='top'><frame src='main.html' name='main'></frameset>",
    "frameset/top.html": TOP,
    "frameset/main.html": MAIN,
    "frameset/elder/index.html": ELDER,
    "wrapper/index.html": HEAD.format("某县人民政府") + (
        "<body style='margin:0'><iframe src='portal.html' title='某县人民政府'"
        " style='border:0;width:100%;height:100vh'></iframe></body>"),
    "wrapper/portal.html": MAIN.replace(
        "<button", "<a href='elder/index.html' target='_top'>长者模式</a><button"),
    "wrapper/elder/index.html": ELDER,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("shell")
    for folder in ("frameset/elder", "wrapper/elder"):
        (root / folder).mkdir(parents=True)
    yield from serve_pages(root, PAGES)


def frame(url: str, box: tuple[float, float, float, float] = (0, 0, 1280, 780), *,
          cross_origin: bool = False) -> Frame:
    return Frame(url=url, name=None, title=None, selector="frame", box=box,
                 cross_origin=cross_origin)


def test_a_shell_names_its_page_sized_frames_of_the_site_in_document_order() -> None:
    home = make_capture(iframes=[
        frame("http://127.0.0.1/top.html", (0, 0, 1280, 120)),
        frame("http://127.0.0.1/weather.html", (0, 0, 160, 40)),  # a widget
        frame("http://other.example/ad.html", cross_origin=True),
        frame("about:blank"),
        frame("http://127.0.0.1/main.html"),
        frame("http://127.0.0.1/main.html"),
    ], text_runs=[run("加载中", length=3)])
    assert framed_pages(home) == ["http://127.0.0.1/top.html", "http://127.0.0.1/main.html"]


def test_a_home_page_with_text_of_its_own_is_no_shell() -> None:
    frames = [frame("http://127.0.0.1/main.html")]
    assert framed_pages(make_capture(iframes=frames,
                                     text_runs=[run(length=SHELL_TEXT_CHARS)])) != []
    assert framed_pages(make_capture(iframes=frames,
                                     text_runs=[run(length=SHELL_TEXT_CHARS + 1)])) == []
    assert framed_pages(make_capture(iframes=[], text_runs=[])) == []


@pytest.mark.browser
@pytest.mark.parametrize("site", ["frameset", "wrapper"])
async def test_the_probes_find_elder_mode_and_read_aloud_in_a_shells_frames(
        base: str, site: str) -> None:
    scanned = await capture_site(f"{base}{site}/", settings(max_pages=3))
    elder, voice = scanned.elder, scanned.voice
    assert elder is not None and voice is not None
    assert elder.kind == "link", elder
    assert elder.entry is not None and elder.entry.text == "长者模式"
    assert elder.elder_url == f"{base}{site}/elder/index.html"
    assert elder.captures >= 1
    assert voice.found and voice.functional, voice
    assert voice.evidence.get("speak", 0) >= 1
