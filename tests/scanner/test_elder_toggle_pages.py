"""An elder mode switched on in place and kept in a cookie or in storage (Lonsun's 长辈版 sets
`wzaOam=1` and reloads; others keep `elderMode` in localStorage) holds on the site's other
pages: the probe follows it to two of them in the same context and captures them in elder
mode. A mode kept in sessionStorage holds on the pages a reader opens from that tab, so the new
tabs start with the switched tab's sessionStorage. A switch that keeps nothing is not followed:
its other pages would be standard pages. Vendor toolbars that keep a cookie (aria.js, 长者助手)
are followed the same way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import ELDER_TEXT, SiteFarm, serve_pages, settings
from elderscan.capture import Capture, ElderProbe, PageFailure
from elderscan.checks.elder import main_text_px
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.elder import _capture_in, probe_elder, toggled_pages
from elderscan.scanner.failures import OUT_OF_MEMORY
from elderscan.scanner.page import capture_page

STYLE = "<style>main p{font-size:15px} .care main p{font-size:24px}</style>"
KEEPS = {
    "cookie": ("if (/(?:^|; )care=1/.test(document.cookie)) "
               "document.documentElement.className = 'care';",
               "document.cookie = 'care=1; path=/'; location.reload();"),
    "storage": ("if (localStorage.getItem('care') === '1') "
                "document.documentElement.className = 'care';",
                "localStorage.setItem('care', '1'); "
                "document.documentElement.className = 'care';"),
    "session": ("if (sessionStorage.getItem('care') === '1') "
                "document.documentElement.className = 'care';",
                "sessionStorage.setItem('care', '1'); "
                "document.documentElement.className = 'care';"),
    "nothing": ("", "document.documentElement.className = 'care';"),
}
NAV = ("<nav><a href='./'>首页</a><a href='index.html'>首页</a><a href='news.html'>新闻</a>"
       "<a href='files/plan.pdf'>规划</a><a href='guide.html'>办事指南</a>"
       "<a href='about.html'>概况</a></nav>")


def _pages(keep: str) -> dict[str, str]:
    on_load, on_click = KEEPS[keep]
    def page(title: str) -> str:
        return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
                f"<title>{title}</title>{STYLE}<script>{on_load}</script></head><body><header>"
                f"<button id='care' onclick=\"{on_click}\">长辈版</button></header>{NAV}"
                f"<main>{ELDER_TEXT}</main></body>")
    return {f"{keep}/{name}": page(title) for name, title in (
        ("index.html", "县政府"), ("news.html", "新闻"), ("guide.html", "办事指南"),
        ("about.html", "概况"))}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("elder-toggle")
    for keep in KEEPS:
        (root / keep).mkdir()
    yield from serve_pages(root, {k: v for keep in KEEPS for k, v in _pages(keep).items()})


def test_the_pages_followed_are_the_sites_own_each_once() -> None:
    links = ["https://a.gov.cn/", "https://a.gov.cn/index.html", "https://a.gov.cn/news.html",
             "https://a.gov.cn/files/plan.pdf", "https://b.gov.cn/x.html", "mailto:a@a.gov.cn",
             "https://a.gov.cn/news.html#top", "https://a.gov.cn/guide.html?_t=1733450000000",
             "https://a.gov.cn/about.html"]
    assert toggled_pages("https://a.gov.cn/", links, now=1733450000.0) == [
        "https://a.gov.cn/news.html", "https://a.gov.cn/guide.html?_t=1733450000000"]


async def _probed(base: str, keep: str) -> tuple[ElderProbe, list[Capture | PageFailure]]:
    """The elder probe on the site whose switch keeps `keep`: proven a toggle."""
    scan = settings(concurrency=2)
    async with BrowserPool(scan) as pool:
        home = await capture_page(pool, f"{base}{keep}/index.html", "desktop", scan)
        assert isinstance(home, Capture)
        probe, captures = await probe_elder(pool, home, scan)
    assert probe.kind == "toggle" and probe.trials[0].verdict == "effective", probe.trials
    return probe, captures


@pytest.mark.browser
@pytest.mark.parametrize("keep", ["cookie", "storage", "session"])
async def test_a_kept_elder_mode_is_followed_to_two_more_pages(base: str, keep: str) -> None:
    probe, captures = await _probed(base, keep)
    pages = [c for c in captures if isinstance(c, Capture)]
    assert len(pages) == len(captures) == probe.captures == 3, captures
    assert [p.url for p in pages[1:]] == [f"{base}{keep}/news.html", f"{base}{keep}/guide.html"]
    assert [(p.mode, main_text_px(p)) for p in pages] == [("elder", 24.0)] * 3


@pytest.mark.browser
async def test_a_switch_that_keeps_nothing_is_not_followed(base: str) -> None:
    _, captures = await _probed(base, "nothing")
    assert len(captures) == 1 and isinstance(captures[0], Capture), captures
    assert main_text_px(captures[0]) == 24.0


@pytest.mark.browser
@pytest.mark.parametrize(("site", "px"), [("portal-elder-lonsun", 32.0),
                                          ("portal-elder-slh", 24.0), ("gov-toolbar", 22.0)])
async def test_vendor_switches_that_keep_a_cookie_hold_on_the_inner_pages(
        sites: SiteFarm, site: str, px: float) -> None:
    """Lonsun's 长辈版 (a toggle), 长者助手 and aria.js (toolbars): each sets a cookie that
    the site's other pages read, and its inner pages are captured at the elder size."""
    scan = settings(concurrency=2)
    async with BrowserPool(scan) as pool:
        home = await capture_page(pool, sites.url(site), "desktop", scan)
        assert isinstance(home, Capture)
        probe, captures = await probe_elder(pool, home, scan)
    assert any(c.startswith("cookie.") for c in probe.changes), probe.changes
    pages = [c for c in captures if isinstance(c, Capture)]
    assert len(pages) == len(captures) >= 2, captures
    assert all(p.mode == "elder" and main_text_px(p) == px for p in pages), [
        (p.url, main_text_px(p)) for p in pages]
    assert len({p.url for p in pages}) == len(pages)


@pytest.mark.browser
async def test_a_session_is_seeded_only_into_its_own_origin(base: str) -> None:
    """The switched tab's sessionStorage reaches a new tab of its origin, not another's."""
    scan = settings()
    other = base.replace("127.0.0.1", "localhost")
    async with BrowserPool(scan) as pool, pool.context("desktop", probe=True) as ctx:
        seeded = await _capture_in(ctx, f"{base}session/news.html", "desktop", scan, None,
                                   pool.version, (base.rstrip("/"), {"care": "1"}))
        elsewhere = await _capture_in(ctx, f"{other}session/news.html", "desktop", scan, None,
                                      pool.version, (base.rstrip("/"), {"care": "1"}))
    assert isinstance(seeded, Capture) and isinstance(elsewhere, Capture)
    assert (main_text_px(seeded), main_text_px(elsewhere)) == (24.0, 15.0)


@pytest.mark.browser
async def test_a_followed_page_whose_renderer_dies_says_so_as_any_page(hostile_url: str) -> None:
    """A switch's inner page that runs its renderer out of memory is recorded as any crawled
    page is (`crash`, the out-of-memory sentence), and the context's next page still loads."""
    scan = settings(renderer_memory_mb=512, page_timeout=15, load_timeout=5)
    async with BrowserPool(scan) as pool, pool.context("desktop", probe=True) as ctx:
        failed = await _capture_in(ctx, hostile_url + "memory.html", "desktop", scan, None,
                                   pool.version)
        ok = await _capture_in(ctx, hostile_url + "ok.html", "desktop", scan, None, pool.version)
    assert isinstance(failed, PageFailure), failed
    assert (failed.reason, failed.message, failed.mode) == ("crash", OUT_OF_MEMORY, "elder")
    assert isinstance(ok, Capture) and ok.mode == "elder"
