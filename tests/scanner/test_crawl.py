"""The crawler on the gov-crawl fixture: limits, robots, sitemaps, templates, skips, politeness."""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteFarm, _send, serve_pages, settings
from elderscan.capture import Capture, SiteCapture
from elderscan.scanner import site as site_module
from elderscan.scanner.site import capture_site
from elderscan.urls import template_key

pytestmark = pytest.mark.browser

# Crawl tests judge which pages are taken, not their content: skip axe to keep them quick.
EVERYTHING = {"max_pages": 200, "max_depth": 20, "per_template": 200, "axe": False,
              "settle_ms": 0}


_CRAWLS: dict[str, tuple[SiteCapture, list[str]]] = {}


async def crawl(sites: SiteFarm, **overrides: Any) -> tuple[SiteCapture, list[str]]:
    """Crawl gov-crawl; identical crawls within the module are done once."""
    key = repr(sorted(overrides.items()))
    if key not in _CRAWLS:
        base = sites.url("gov-crawl")
        site = await capture_site(base, settings(**{**EVERYTHING, **overrides}))
        _CRAWLS[key] = (site, ["/" + p.url.removeprefix(base) for p in site.pages])
    return _CRAWLS[key]


def skipped(site: SiteCapture, base: str) -> dict[str, str]:
    return {s.url.replace(base.rstrip("/"), ""): s.reason for s in site.skipped}


async def test_full_crawl_finds_exactly_the_true_pages(sites: SiteFarm) -> None:
    truth = sites.truth("gov-crawl")
    site, paths = await crawl(sites)
    assert sorted(paths) == sorted(truth["pages"])
    assert len(paths) == len(set(paths)), "a page was captured twice"
    assert all(isinstance(p, Capture) for p in site.pages)
    assert paths[0] == "/"
    # Links hidden by a script are found in the static HTML; sitemap-only pages via the index.
    assert truth["crawl"]["hidden_by_script"] in paths
    for page in truth["crawl"]["sitemap_only"]:
        assert page in paths


async def test_robots_txt_is_obeyed_unless_told_otherwise(sites: SiteFarm) -> None:
    truth = sites.truth("gov-crawl")
    base = sites.url("gov-crawl")
    site, paths = await crawl(sites)
    for page in truth["crawl"]["robots_disallowed"]:
        assert page not in paths
        assert skipped(site, base)[page] == "robots"
    _, paths = await crawl(sites, obey_robots=False, include=(r"/private/",))
    for page in truth["crawl"]["robots_disallowed"]:
        assert page in paths


async def test_sitemap_index_can_be_switched_off(sites: SiteFarm) -> None:
    truth = sites.truth("gov-crawl")
    only = (r"/sitemap-only/",)
    _, with_sitemap = await crawl(sites, include=only)
    _, without = await crawl(sites, sitemap=False, include=only)
    for page in truth["crawl"]["sitemap_only"]:
        assert page in with_sitemap
        assert page not in without


async def test_template_cap_keeps_k_lookalike_pages(sites: SiteFarm) -> None:
    truth = sites.truth("gov-crawl")
    base = sites.url("gov-crawl")
    site, paths = await crawl(sites, per_template=3, include=(r"/news/", r"/art/"))
    article = re.compile(re.escape(truth["crawl"]["template"]).replace("<n>", r"\d+") + "$")
    articles = [p for p in paths if article.match(p)]
    assert len(articles) == 3
    assert len({template_key(base + p.lstrip("/")) for p in articles}) == 1
    capped = [u for u, r in skipped(site, base).items()
              if r == "template-cap" and article.match(u)]
    assert len(capped) == truth["crawl"]["template_pages"] - 3


async def test_links_that_are_not_pages_are_skipped_with_reasons(sites: SiteFarm) -> None:
    truth = sites.truth("gov-crawl")
    base = sites.url("gov-crawl")
    site, _ = await crawl(sites)
    reasons = skipped(site, base)
    for link, reason in truth["crawl"]["skipped"].items():
        assert reasons.get(link) == reason, (link, reasons)


async def test_max_depth_and_max_pages(sites: SiteFarm) -> None:
    _, shallow = await crawl(sites, max_depth=1, include=(r"/deep/",))
    assert "/deep/1.html" in shallow
    assert "/deep/2.html" not in shallow
    _, five = await crawl(sites, max_pages=5)
    _, everything = await crawl(sites)
    assert len(five) == 5
    assert five == everything[:5], "max-pages must take the first pages in crawl order"


async def test_only_pages_a_next_level_is_built_from_keep_their_links(
        sites: SiteFarm, monkeypatch: pytest.MonkeyPatch) -> None:
    """A level's pages hold their rendered links and their HTML until the next level is built
    from them; on the last level nothing reads either, and a 2,000-page crawl held them all to
    its end."""
    made: list[Any] = []

    class Recorded(site_module._Admitted):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(site_module, "_Admitted", Recorded)
    base = sites.url("gov-crawl")
    for depth in (1, 2):
        made.clear()
        site = await capture_site(base, settings(**{**EVERYTHING, "max_depth": depth}))
        deep = "/deep/1.html" if depth == 1 else "/deep/2.html"
        assert any(p.url == base + deep.lstrip("/") for p in site.pages), deep
        by_url = {item.url: item for item in made}
        level_one = by_url[base + "deep/1.html"]
        assert level_one.expand is (depth == 2)
        assert bool(level_one.rendered) is (depth == 2)
        assert not any(item.rendered or item.preflight.body for item in made if not item.expand)
        assert all(item.preflight.body for item in made if item.expand and not item.preflight.error)


async def test_same_pages_at_any_concurrency(sites: SiteFarm) -> None:
    _, one = await crawl(sites, max_pages=12, concurrency=1)
    _, four = await crawl(sites, max_pages=12, concurrency=4)
    assert one == four


async def test_both_viewports_capture_each_page_twice(sites: SiteFarm) -> None:
    site, paths = await crawl(sites, max_pages=3, viewport="both")
    assert len(paths) == 6
    views = [(p.url, p.viewport) for p in site.pages]
    assert len(set(views)) == 6
    assert {v for _, v in views} == {"desktop", "mobile"}


async def test_a_page_is_captured_while_the_rest_of_its_level_is_still_preflighted(
        tmp_path: Path) -> None:
    """The level's first page is in the browser while the preflight of its last page is not
    back (the crawl used to wait for every preflight of a level, both cores idle), and the
    pages keep their link order in the result all the same."""
    events: list[tuple[float, str]] = []
    a_loaded = threading.Event()

    def page(name: str) -> Any:
        body = f"<!doctype html><html lang=zh-CN><title>{name}</title><p>{name}</p></html>"

        def route(handler: BaseHTTPRequestHandler) -> None:
            browser = handler.headers.get("Sec-Fetch-Mode") == "navigate"
            if browser and name == "a":
                a_loaded.set()
            if not browser and name == "d" and not a_loaded.wait(4):  # (under the 6 s timeout)
                events.append((time.monotonic(), "a not asked for while d's preflight waited"))
            events.append((time.monotonic(), f"{'browser' if browser else 'preflight'} {name}"))
            _send(handler, 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())

        return route

    links = "".join(f'<a href="/{n}.html">{n}</a>' for n in "abcd")
    home = f"<!doctype html><html lang=zh-CN><title>home</title><p>{links}"
    routes = {"/a.html": page("a"), "/b.html": page("b"), "/c.html": page("c"),
              "/d.html": page("d")}
    for base in serve_pages(tmp_path, {"index.html": home}, routes):
        site = await capture_site(base, settings(max_depth=1, axe=False, settle_ms=0,
                                                 concurrency=2))
    when = {what: t for t, what in events}
    assert "a not asked for while d's preflight waited" not in when, events
    assert when["browser a"] < when["preflight d"], events
    assert all(isinstance(p, Capture) for p in site.pages), site.pages
    assert [p.url.removeprefix(base) for p in site.pages] == ["", "a.html", "b.html",
                                                              "c.html", "d.html"]
