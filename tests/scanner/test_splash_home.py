"""A splash page (引导页) in front of the home page — "5秒后自动进入首页" by a meta refresh or by a
countdown's timer — is gone through: the page it goes on to is captured as the home page, its
links are crawled and the site probes find 长者模式 and 语音朗读 there, while the splash's timed
refresh is still judged. A splash that goes to another site or to a page that fails, and a home
page with text of its own whose timer leaves later, are captured as themselves."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from conftest import answered_late, serve_pages, settings
from elderscan.capture import Capture
from elderscan.scanner.site import capture_site
from elderscan.scanner.splash import SPLASH_S, refresh_exit

HEAD = "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>{}<title>{}</title></head>"
HOME = HEAD.format("", "某县人民政府") + (
    "<body style='font-size:14px'><a href='elder/index.html'>长者模式</a>"
    " <button id='read' type='button'>语音朗读</button>"
    "<ul><li><a href='home.html'>首页</a></li>"
    "<li><a href='news.html'>本县召开老年人服务工作会议</a></li></ul>"
    "<p>本县召开老年人服务工作会议，研究部署适老化改造工作，推进政务服务适老化。</p>"
    "<script>document.getElementById('read').addEventListener('click', () => {"
    " speechSynthesis.cancel();"
    " speechSynthesis.speak(new SpeechSynthesisUtterance(document.body.innerText)); });"
    "</script></body>")
ELDER = HEAD.format("", "长者模式") + (
    "<body style='font-size:24px'><p>本县召开老年人服务工作会议，研究部署适老化改造工作，"
    "推进政务服务适老化。</p></body>")
NEWS = HEAD.format("", "新闻") + (
    "<body style='font-size:16px'><p>本县召开老年人服务工作会议。</p></body>")
# 8 s: within SPLASH_S, and longer than a capture on a loaded machine takes, since the page's
# clock also runs on in real time
BANNER = ("<body style='margin:0;background:#b00'><div style='height:560px;background:#c00'>"
          "</div><p style='color:#fff'><span id='n'>8</span>秒后自动进入首页</p>{}</body>")
COUNTDOWN = ("<script>var n = 8; var t = setInterval(function () { n -= 1;"
             " document.getElementById('n').textContent = n;"
             " if (n <= 0) { clearInterval(t); window.location.href = '{}'; } }, 1000);</script>")
LONG = "<p>" + "本县召开老年人服务工作会议，研究部署适老化改造工作。" * 12 + "</p>"


FOLDERS = ("meta", "timer", "broken", "reset", "away", "text", "door", "banner", "poster",
           "spot", "hub", "popup", "tiles", "based/portal", "slow")
SLOW_S = {"/slow/": 4.5, "/slow/home.html": 2.5}
"""A splash and the page it leads to that each keep the browser waiting (a tired server)."""
SLOW_LIMIT_S = 6.5
"""The page time limit of the slow case: more than either page takes, less than both."""


def _hang_up(handler: Any) -> None:
    """A server that closes the connection without an answer (net::ERR_EMPTY_RESPONSE)."""
    handler.close_connection = True
    handler.connection.shutdown(socket.SHUT_RDWR)


def splash(meta: str = "", script: str = "", text: str = "") -> str:
    return HEAD.format(meta, "某县人民政府") + BANNER.format(text + script)


def site_pages() -> dict[str, str]:
    pages = {
        "meta/index.html": splash(meta="<meta http-equiv='refresh' content='8; url=home.html'>"),
        "slow/index.html": splash(meta="<meta http-equiv='refresh' content='3; url=home.html'>"),
        "timer/index.html": splash(script=COUNTDOWN.replace("{}", "home.html")),
        "broken/index.html": splash(meta="<meta http-equiv='refresh' content='8;url=gone.html'>"),
        "reset/index.html": splash(meta="<meta http-equiv='refresh' content='8;url=home.html'>"),
        "based/index.html": splash(meta="<base href='/based/portal/'>"
                                   "<meta http-equiv='refresh' content='8;url=home.html'>"),
        "away/index.html": splash(script=COUNTDOWN.replace("{}", "{away}")),
        "text/index.html": splash(script=COUNTDOWN.replace("{}", "home.html"), text=LONG),
        "door/index.html": HEAD.format("", "某县人民政府") + (
            "<body><img src='banner.png' alt='' width='1000' height='500'>"
            "<p><a href='home.html'>【进入首页】</a></p><p><a href='https://beian.miit.gov.cn/'>"
            "某ICP备00000000号</a></p></body>"),
        "banner/index.html": HEAD.format("", "某县人民政府") + (
            "<body><a href='home.html'><img src='banner.png' alt='某县人民政府欢迎您'"
            " width='1000' height='500'></a><p><a href='https://bszs.conac.cn/'>"
            "<img src='banner.png' alt='党政机关' width='40' height='40'></a>"
            " <a href='https://beian.miit.gov.cn/'>某ICP备00000000号</a></p></body>"),
        "poster/index.html": HEAD.format("", "某县人民政府") + (  # a poster, clicked through
            "<body><img src='banner.png' alt='' width='1000' height='500' usemap='#door'>"
            "<map name='door'><area shape='rect' coords='0,0,1000,460' href='home.html'></map>"
            "<p><a href='https://beian.miit.gov.cn/'>某ICP备00000000号</a></p></body>"),
        "spot/index.html": HEAD.format("", "某县人民政府") + (  # one small spot, unnamed
            "<body><img src='banner.png' alt='' width='1000' height='500' usemap='#door'>"
            "<map name='door'><area shape='circle' coords='500,420,30' href='home.html'></map>"
            "</body>"),
        "popup/index.html": HEAD.format("", "某县人民政府") + (
            "<body><h1>某县人民政府</h1><div style='position:fixed;left:240px;top:200px'>"
            "<a href='home.html'><img src='banner.png' alt='' width='800' height='500'></a>"
            "</div></body>"),
        "tiles/index.html": HEAD.format("", "某县人民政府") + (
            "<body><a href='home.html'>进入</a> <a href='news.html'>进入</a></body>"),
        "hub/index.html": HEAD.format("", "某县人民政府") + (
            "<body><a href='home.html'><img src='banner.png' alt='政务服务' width='600'"
            " height='500'></a><a href='news.html'>信息公开</a></body>"),
    }
    for folder in FOLDERS:  # ("based/portal": the splash's <base href>)
        pages.update({f"{folder}/home.html": HOME, f"{folder}/elder/index.html": ELDER,
                      f"{folder}/news.html": NEWS})
    return pages


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("splash")
    for folder in FOLDERS:
        (root / folder / "elder").mkdir(parents=True)
        Image.new("RGB", (20, 10), "#c00").save(root / folder / "banner.png")
    pages = site_pages()
    slow = {path: answered_late(seconds, "text/html; charset=utf-8", (pages[
        path.lstrip("/") + ("" if path.endswith(".html") else "index.html")] + "</html>").encode())
        for path, seconds in SLOW_S.items()}
    gen = serve_pages(root, {}, routes={"/reset/home.html": _hang_up, **slow})
    url = next(gen)
    port = int(url.rsplit(":", 1)[1].strip("/"))  # the same server as another site:
    for name, html in pages.items():
        html = html.replace("{away}", f"http://localhost:{port}/away/home.html")
        (root / name).write_text(html + "</html>", "utf-8")
    yield url
    gen.close()


def home_of(pages: list[Capture | object], url: str) -> Capture:
    home = next(p for p in pages if getattr(p, "url", None) == url)
    assert isinstance(home, Capture), home
    return home


@pytest.mark.browser
@pytest.mark.parametrize(("site", "said"), [
    ("meta", "a splash page: its meta refresh goes on to {} after 8 s"),
    ("timer", f"a splash page: a timer of its script goes on to {{}} within {SPLASH_S} s"),
    ("door", "a guide page: its one way on, “进入首页”, leads to {}"),
    ("banner", "a guide page: its one way on, “某县人民政府欢迎您”, leads to {}"),
    ("poster", "a guide page: its one way on, a banner with no name, leads to {}"),  # <area>
    ("based", "a splash page: its meta refresh goes on to {} after 8 s"),  # <base href>
])
async def test_a_splash_is_gone_through_to_the_home_page(base: str, site: str, said: str) -> None:
    scanned = await capture_site(f"{base}{site}/", settings(max_pages=3, probes=True))
    home = home_of(scanned.pages, f"{base}{site}/")
    shown = f"{base}{site}/{'portal/' if site == 'based' else ''}home.html"
    assert home.final_url == shown
    assert home.title == "某县人民政府" and any("长者模式" in r.text for r in home.text_runs)
    assert [w for w in home.warnings if " page: " in w] == [
        "the home page is " + said.format(shown) + "; that page was captured as the home page"]
    if site == "meta":  # the splash's timed refresh is still there to be judged
        assert home.meta_refreshes == ["8; url=home.html"]
    crawled = [getattr(p, "url", None) for p in scanned.pages]
    folder = shown.rsplit("/", 1)[0]
    assert f"{folder}/news.html" in crawled  # the home page's links are level 1
    assert shown not in crawled  # its 首页 link: the home page, not again
    elder, voice = scanned.elder, scanned.voice
    assert elder is not None and elder.kind == "link", elder
    assert elder.elder_url == f"{folder}/elder/index.html"
    assert voice is not None and voice.found and voice.functional, voice


@pytest.mark.browser
async def test_the_page_a_slow_splash_leads_to_has_a_whole_page_time_limit(base: str) -> None:
    """4.5 s for the splash and 2.5 s for its page, under a 6.5 s limit a page: each fits, both
    do not (the home page was a time-out failure when the two shared one limit)."""
    scanned = await capture_site(f"{base}slow/", settings(
        max_pages=1, probe_elder=False, probe_voice=False, page_timeout=SLOW_LIMIT_S,
        load_timeout=8))
    home = home_of(scanned.pages, f"{base}slow/")
    assert home.final_url == f"{base}slow/home.html"
    assert home.meta_refreshes == ["3; url=home.html"]
    assert home.timings.total_ms / 1000 > SLOW_LIMIT_S  # the two pages together took longer


@pytest.mark.browser
@pytest.mark.parametrize(("site", "said"), [
    ("broken", "which failed to load (HTTP 404); the splash page was captured"),
    ("reset", "ERR_EMPTY_RESPONSE at http"),
    ("away", "another site's page; scan that address to judge that site"),
    ("text", None),
    ("hub", None),  # two ways on: a page of services, not a guide page
    ("popup", None),  # the one link is a pop-up's advert
    ("spot", None),  # the one link is a small unnamed spot of an image map, not a banner
    ("tiles", None),  # two places each named 进入: tiles of a hub
])
async def test_a_splash_that_goes_nowhere_to_follow_is_captured_as_itself(
        base: str, site: str, said: str | None) -> None:
    scanned = await capture_site(f"{base}{site}/", settings(max_pages=2, probes=True))
    home = home_of(scanned.pages, f"{base}{site}/")
    # the splash's document was captured (its address may have changed by the end: the motion
    # probe runs the page's clock 12 s on, past its countdown, as for any page that leaves)
    guide = site in ("hub", "popup", "tiles", "spot")  # (no countdown)
    assert guide or any("秒后自动进入首页" in r.text for r in home.text_runs)
    notes = [w for w in home.warnings if " page: " in w]
    if said is None:  # text of its own: its clock was not run ahead to see whether it leaves
        assert notes == []
    else:
        assert len(notes) == 1 and said in notes[0], notes
        assert "failed to load" in notes[0] or site == "away", notes
    assert scanned.elder is not None and scanned.elder.kind == "none"


@pytest.mark.parametrize(("refreshes", "goes_to"), [
    (["3; url=home.html"], "http://www.example.gov.cn/a/home.html"),
    (["1;URL='/'"], "http://www.example.gov.cn/"),
    (["0;URL='/'"], None),  # at once: the browser follows it by itself, as a redirect
    (["bad", "5, /b.html"], "http://www.example.gov.cn/b.html"),  # the first valid one
    ([f"{SPLASH_S + 1}; url=/late.html"], None),  # a page reloading its news, not a splash
    (["3"], None),  # reloads itself
    (["3; url=index.html#top"], None),  # the same page
])
def test_a_meta_refresh_soon_to_another_page_is_a_splash(refreshes: list[str],
                                                        goes_to: str | None) -> None:
    found = refresh_exit(refreshes, "http://www.example.gov.cn/a/index.html")
    assert (found.url if found else None) == goes_to
    if found is not None:
        assert found.follow and found.how == "refresh"


def test_a_meta_refresh_to_another_site_is_not_followed() -> None:
    found = refresh_exit(["2; url=https://www.example.com/"], "http://www.example.gov.cn/")
    assert found is not None and not found.follow
    assert "another site's page" in found.warning()
