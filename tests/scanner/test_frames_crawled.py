"""A frame shows a page of its own: a frameset's frames and a content-sized iframe of the site
are crawled as links are, so their text is measured; a widget-sized iframe and another site's
frame are not followed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import serve_pages, settings
from elderscan.capture import Capture
from elderscan.devserver import SiteServer
from elderscan.scanner.site import capture_site

pytestmark = pytest.mark.browser

HEAD = "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{}</title></head>"
BODY = "<body><p>本县召开老年人服务工作会议，研究部署适老化改造工作。</p>{}</body>"
PAGES = {
    "frameset/index.html": HEAD.format("某县人民政府") + "<frameset rows='120,*'>"
    "<frame src='top.html' name='top'><frame src='main.html' name='main'></frameset>",
    "frameset/top.html": HEAD.format("页头") + BODY.format(
        "<a href='news.html' target='main'>新闻</a>"),
    "frameset/main.html": HEAD.format("首页正文") + BODY.format(""),
    "frameset/news.html": HEAD.format("新闻") + BODY.format(""),
    "iframes/index.html": HEAD.format("某县人民政府") + BODY.format(
        "<iframe src='list.html' width='800' height='400' title='通知公告'></iframe>"
        "<iframe src='weather.html' width='160' height='40' title='天气'></iframe>"
        "<iframe src='{other}ad.html' width='800' height='400'></iframe>"),
    "iframes/list.html": HEAD.format("通知公告") + BODY.format(""),
    "iframes/weather.html": HEAD.format("天气") + BODY.format(""),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test site, whose iframe page also frames a page of another site that answers."""
    other = tmp_path_factory.mktemp("frames-other")
    (other / "ad.html").write_text(HEAD.format("广告") + BODY.format(""), "utf-8")
    with SiteServer(other) as elsewhere:
        root = tmp_path_factory.mktemp("frames")
        (root / "frameset").mkdir()
        (root / "iframes").mkdir()
        offsite = elsewhere.url.replace("127.0.0.1", "localhost")
        pages = {name: html.replace("{other}", offsite) for name, html in PAGES.items()}
        yield from serve_pages(root, pages)


async def _crawled(url: str) -> dict[str, str]:
    site = await capture_site(url, settings(max_pages=6, probe_elder=False, probe_voice=False))
    return {p.url.removeprefix(url): p.title if isinstance(p, Capture) else p.reason
            for p in site.pages}


async def test_a_framesets_frames_and_what_they_link_to_are_crawled(base: str) -> None:
    assert await _crawled(f"{base}frameset/") == {
        "": "某县人民政府", "top.html": "页头", "main.html": "首页正文", "news.html": "新闻"}


async def test_a_content_sized_iframe_of_the_site_is_crawled_a_widget_is_not(base: str) -> None:
    assert await _crawled(f"{base}iframes/") == {"": "某县人民政府", "list.html": "通知公告"}
