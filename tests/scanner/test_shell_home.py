"""A home page that is only a shell around frames (a frameset; one page-sized iframe) keeps its
长者模式 link and its 语音朗读 button in the framed pages: the site probes look there too, keep
the entry that works over one that does not, and place it where it shows on the home page; a
frame a script filled is looked in at the page it shows, not its src; a home page with text of
its own and no frame filling its first screen is probed as itself."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.captures import make_capture, run

from conftest import serve_pages, settings
from elderscan.capture import Capture, Frame, PageFailure, Viewport
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.driver import ChromiumDriver, ElderFound
from elderscan.scanner.shell import SHELL_TEXT_CHARS, framed_pages
from elderscan.scanner.site import capture_site
from elderscan.settings import ScanSettings

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
    "footer/index.html": HEAD.format("某县人民政府") + (
        "<body style='margin:0'><iframe src='portal.html' title='某县人民政府'"
        " style='border:0;width:100%;height:100vh'></iframe><footer><p>"
        "<a href='missing/index.html'>关怀版</a> 版权所有：某县人民政府"
        " 地址：某县人民路1号 邮编：000000 电话：0000-0000000 备案号：某ICP备00000000号</p>"
        "</footer></body>"),
}
PAGES["footer/portal.html"] = PAGES["wrapper/portal.html"]
PAGES["footer/elder/index.html"] = ELDER
PAGES["scripted/index.html"] = PAGES["frameset/index.html"].replace(
    "src='main.html'", "src='about:blank'")  # the top frame's script fills it
PAGES["scripted/top.html"] = TOP.replace(
    "</body>", "<script>parent.frames.main.location.href = 'main.html';</script></body>")
PAGES["scripted/main.html"] = MAIN
PAGES["scripted/elder/index.html"] = ELDER


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("shell")
    for folder in ("frameset/elder", "wrapper/elder", "footer/elder", "scripted/elder"):
        (root / folder).mkdir(parents=True)
    yield from serve_pages(root, PAGES)


def frame(url: str, box: tuple[float, float, float, float] = (0, 0, 1280, 780), *,
          tag: str = "iframe") -> Frame:
    return Frame(url=url, name=None, title=None, selector=tag, box=box, cross_origin=False,
                 tag=tag)


def urls(frames: list[Frame]) -> list[str]:
    return [f.url for f in frames]


def test_a_shell_names_the_frames_of_its_site_that_show_a_page_in_document_order() -> None:
    home = make_capture(url="http://www.example.gov.cn/", final_url="http://www.example.gov.cn/",
                        text_runs=[run("加载中", length=3)], iframes=[
        frame("http://www.example.gov.cn/top.html", (0, 0, 1280, 80), tag="frame"),
        frame("http://www.example.gov.cn/weather.html", (0, 0, 160, 40)),  # a widget
        frame("http://other.example/ad.html"),  # another site's
        frame("about:blank"),
        frame("https://example.gov.cn/main.html#top", (0, 80, 1280, 820), tag="frame"),
        frame("https://example.gov.cn/main.html", (0, 80, 1280, 820)),  # the same page
        frame("http://www.example.gov.cn/", tag="frame"),  # the shell itself
        frame("http://www.example.gov.cn/hidden.html", (0, 0, 0, 0), tag="frame"),
    ])
    assert urls(framed_pages(home)) == ["http://www.example.gov.cn/top.html",
                                        "https://example.gov.cn/main.html#top"]


def test_a_home_page_with_text_of_its_own_is_no_shell_unless_a_frame_fills_its_first_screen(
        ) -> None:
    content = frame("http://127.0.0.1/list.html", (240, 300, 800, 400))  # 28 % of the screen
    filling = frame("http://127.0.0.1/portal.html", (0, 0, 1280, 900))
    own, more = [run(length=SHELL_TEXT_CHARS)], [run(length=SHELL_TEXT_CHARS + 1)]
    assert urls(framed_pages(make_capture(iframes=[content], text_runs=own))) == [content.url]
    assert framed_pages(make_capture(iframes=[content], text_runs=more)) == []
    assert urls(framed_pages(make_capture(iframes=[content, filling], text_runs=more))) == [
        filling.url]
    below = frame("http://127.0.0.1/portal.html", (0, 600, 1280, 900))  # a third of it
    assert framed_pages(make_capture(iframes=[below], text_runs=more)) == []


@pytest.mark.browser
@pytest.mark.parametrize("site", ["frameset", "wrapper", "footer", "scripted"])
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
    # placed where they show on the home page: the frameset's main frame begins at 120 px
    assert elder.entry.box is not None and voice.entry is not None and voice.entry.box
    assert elder.entry.in_first_screen
    assert voice.entry.box[1] >= (120 if site in ("frameset", "scripted") else 0)


class CountingDriver(ChromiumDriver):
    """Chromium, counting the page loads the crawl and the site probes ask for; with `late`,
    the probes of the home page start that much later (so the crawl asks for its frames
    first)."""

    def __init__(self, pool: BrowserPool, late: float) -> None:
        super().__init__(pool)
        self.loads: Counter[tuple[str, Viewport, str]] = Counter()
        self.late = late

    async def capture(self, url: str, viewport: Viewport, settings: ScanSettings,
                      **options: Any) -> Capture | PageFailure:
        self.loads[(url, viewport, options.get("mode", "standard"))] += 1
        return await super().capture(url, viewport, settings, **options)

    async def probe_elder(self, home: Capture, settings: ScanSettings,
                          screenshot_dir: Path | None) -> ElderFound:
        if home.url.endswith("frameset/"):
            await asyncio.sleep(self.late)
        return await super().probe_elder(home, settings, screenshot_dir)


@pytest.mark.browser
@pytest.mark.parametrize("late", [0.0, 4.0], ids=["probes-first", "crawl-first"])
async def test_a_framed_page_the_crawl_and_the_probes_both_need_is_loaded_once(
        base: str, late: float) -> None:
    scan = settings(max_pages=3)
    async with BrowserPool(scan) as pool:
        driver = CountingDriver(pool, late)
        scanned = await capture_site(f"{base}frameset/", scan, driver=driver)
    crawled = sorted(p.url.removeprefix(f"{base}frameset/") for p in scanned.pages
                     if p.mode == "standard")
    assert crawled == ["", "main.html", "top.html"]
    assert all(isinstance(p, Capture) for p in scanned.pages), scanned.pages
    assert scanned.voice is not None and scanned.voice.functional  # found in main.html
    assert scanned.elder is not None and scanned.elder.kind == "link"  # found in top.html
    assert driver.loads[(f"{base}frameset/main.html", "desktop", "standard")] == 1
    assert max(driver.loads.values()) == 1, driver.loads
