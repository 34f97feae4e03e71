"""The version probe on the lang-* fixture sites: every `versions` field against the truth,
the result valid against the schema, and lang.version-required as each site's region wants."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import settings
from elderscan.capture import Capture, PageFailure, SiteCapture
from elderscan.contract import load_schema
from elderscan.devserver import SiteServer
from elderscan.judge.sections import CONTRACT_FIELDS
from elderscan.runner.scan import build_report
from elderscan.scanner.site import capture_site
from langsites import SLUGS, LangFarm, lang_farm, truth

pytestmark = pytest.mark.browser
SITES = [s for s in SLUGS if truth(s).get("versions") is not None]


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LangFarm]:
    yield from lang_farm(tmp_path_factory.mktemp("lang-sites"))


_scans: dict[str, SiteCapture] = {}


async def scanned(farm: LangFarm, slug: str) -> SiteCapture:
    """One crawl of the home page per site (the probe runs beside it), kept for the module."""
    if slug not in _scans:
        opts = settings(max_pages=1, probe_elder=False, probe_voice=False,
                        region=truth(slug)["region"])
        _scans[slug] = await capture_site(farm.url(slug), opts)
    return _scans[slug]


def _url(farm: LangFarm, slug: str, expected: str) -> str:
    if expected.startswith("__EN_ORIGIN__"):
        return farm.en_origin + expected.removeprefix("__EN_ORIGIN__")
    return farm.url(slug).rstrip("/") + expected


@pytest.mark.parametrize("slug", SITES)
async def test_versions_match_the_truth(farm: LangFarm, slug: str) -> None:
    site = await scanned(farm, slug)
    assert site.versions is not None
    found = site.versions.versions
    want = truth(slug)["versions"]
    assert [(v.kind, v.lang) for v in found] == [(w["kind"], w["lang"]) for w in want]
    for got, exp in zip(found, want, strict=True):
        assert got.label == exp["label"]
        assert got.how == exp["how"]
        assert got.url == _url(farm, slug, exp["url"])
        assert got.selector == exp["selector"]
        assert got.status == exp["status"], got
        assert got.lang_attr == exp["lang_attr"]
        assert got.glyphs_ok is exp["glyphs_ok"], got
        assert got.failure == exp["failure"]
        if exp["verified"] is None:
            assert got.verified is None
        else:
            low, high = exp["verified"]
            assert got.verified is not None and low <= got.verified <= high, got.verified
        for extra in ("changes", "unmarked", "direction", "vertical"):
            if extra in exp:
                assert getattr(got, extra) == exp[extra], (extra, got)


@pytest.mark.parametrize("slug", SITES)
async def test_result_lists_versions_and_judges_the_region(farm: LangFarm, slug: str) -> None:
    site = await scanned(farm, slug)
    data = build_report(site).to_json_dict()
    jsonschema.validate(data, load_schema())
    assert [set(v) for v in data["versions"]] == [set(CONTRACT_FIELDS)] * len(data["versions"])
    findings = [f for p in data["pages"] for f in p["findings"]
                if f["rule"] == "lang.version-required"]
    expected = truth(slug)["rule"]
    if expected is None:
        assert findings == []
        return
    assert [(f["outcome"], f["message_key"]) for f in findings] == [
        (expected["outcome"], f"lang.version-required.{expected['key']}")]
    finding = findings[0]
    assert finding["clause"] and finding["message"]
    assert finding["threshold"] is not None


async def test_linked_versions_are_captured_as_pages(farm: LangFarm) -> None:
    """A version's start page is judged like any page (fonts, contrast); a broken one is a
    failed page; the English sub-domain's page is captured too."""
    ok = await scanned(farm, "lang-tibet")
    urls = {p.url for p in ok.pages if isinstance(p, Capture)}
    assert farm.url("lang-tibet") + "bo/index.html" in urls
    broken = await scanned(farm, "lang-tibet-broken")
    failed = [p for p in broken.pages if isinstance(p, PageFailure)]
    assert [(p.url, p.http_status) for p in failed] == [
        (farm.url("lang-tibet-broken") + "bo/index.html", 404)]
    trad = await scanned(farm, "lang-trad")
    assert farm.en_origin + "/" in {p.url for p in trad.pages if isinstance(p, Capture)}


async def test_robots_forbids_a_version_and_it_is_not_fetched(tmp_path: Path) -> None:
    """robots.txt of the site applies to its versions as to any page: recorded, not fetched."""
    (tmp_path / "bo").mkdir()
    (tmp_path / "index.html").write_text(
        '<html lang="zh-CN"><meta charset="utf-8"><body><a href="/bo/index.html">藏文版</a>'
        '<p>正文内容</p></body></html>',
        "utf-8")
    (tmp_path / "bo" / "index.html").write_text(
        '<html lang="bo"><meta charset="utf-8"><body><p>བོད་ཡིག</p></body></html>', "utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /bo/\n", "utf-8")
    requested: list[str] = []

    def tibetan(handler: Any) -> None:
        requested.append(handler.path)
        handler._send(200, (tmp_path / "bo" / "index.html").read_bytes(), "text/html")

    with SiteServer(tmp_path, routes={"/bo/index.html": tibetan}) as server:
        site = await capture_site(server.url, settings(max_pages=1, probe_elder=False,
                                                       probe_voice=False, region="西藏"))
    assert site.versions is not None
    [entry] = site.versions.versions
    assert (entry.lang, entry.failure, entry.status) == ("bo", "robots", None)
    assert requested == []
    report = build_report(site).to_json_dict()
    [finding] = [f for p in report["pages"] for f in p["findings"]
                 if f["rule"] == "lang.version-required"]
    assert finding["outcome"] == "review"



async def test_the_home_page_is_loaded_once_for_its_capture_and_its_versions(
    tmp_path: Path,
) -> None:
    """The version controls are read in the home page's DOM pass: the probe follows them
    without loading the home page again (it did, once per site with a hint of a version)."""
    (tmp_path / "bo").mkdir()
    home = ('<html lang="zh-CN"><meta charset="utf-8"><body><a href="/bo/index.html">藏文版</a>'
            "<p>正文内容</p></body></html>").encode()
    (tmp_path / "bo" / "index.html").write_text(
        '<html lang="bo"><meta charset="utf-8"><body><p>བོད་ཡིག</p></body></html>', "utf-8")
    browser_loads: list[str] = []

    def start_page(handler: Any) -> None:
        if handler.headers.get("Sec-Fetch-Dest") == "document":  # not the start page's fetch
            browser_loads.append(handler.path)
        handler._send(200, home, "text/html; charset=utf-8")

    with SiteServer(tmp_path, routes={"/": start_page}) as server:
        url = server.url
        site = await capture_site(url, settings(max_pages=1, probe_elder=False,
                                                probe_voice=False, region="西藏"))
    assert site.versions is not None
    [entry] = site.versions.versions
    assert (entry.lang, entry.failure) == ("bo", None)
    assert browser_loads == ["/"]
    [start] = [p for p in site.pages if isinstance(p, Capture) and p.url == url]
    assert start.version_controls is not None
    assert [c.get("href") for c in start.version_controls if c.get("text") == "藏文版"]


async def test_a_version_page_that_hangs_costs_one_page_time_limit(tmp_path: Path) -> None:
    """`while(true){}` on the 藏文版: the entry is a timeout after PAGE_TIMEOUT, not after the
    load timeout, and the scan goes on."""
    (tmp_path / "bo").mkdir()
    (tmp_path / "index.html").write_text(
        '<html lang="zh-CN"><meta charset="utf-8"><body><a href="/bo/index.html">藏文版</a>'
        '<p>正文内容</p></body></html>', "utf-8")
    (tmp_path / "bo" / "index.html").write_text(
        '<html lang="bo"><meta charset="utf-8"><body><p>བོད་ཡིག</p>'
        "<script>while (true) {}</script></body></html>", "utf-8")
    with SiteServer(tmp_path) as server:
        started = time.perf_counter()
        site = await capture_site(server.url, settings(
            max_pages=1, probe_elder=False, probe_voice=False, region="西藏", page_timeout=4,
            load_timeout=30))
        elapsed = time.perf_counter() - started
    assert site.versions is not None
    [entry] = site.versions.versions
    assert (entry.lang, entry.failure, entry.status) == ("bo", "timeout", None)
    assert elapsed < 25, elapsed


async def test_a_version_behind_a_bot_check_is_followed_through_it(tmp_path: Path) -> None:
    """The 藏文版 answers 412 with a script that sets a cookie and loads it again (瑞数's way):
    the preflight passes it on, the browser gets through, and the entry is measured."""
    (tmp_path / "index.html").write_text(
        '<html lang="zh-CN"><meta charset="utf-8"><body><a href="/bo/index.html">藏文版</a>'
        '<p>正文内容</p></body></html>', "utf-8")
    page = '<html lang="bo"><meta charset="utf-8"><body><p>བོད་ཡིག་གི་དྲ་ཚིགས།</p></body></html>'
    check = "<script>document.cookie = 'ts=1; path=/'; location.reload();</script>"

    def tibetan(handler: Any) -> None:
        if "ts=1" in (handler.headers.get("Cookie") or ""):
            handler._send(200, page.encode(), "text/html; charset=utf-8")
        else:
            handler._send(412, check.encode(), "text/html; charset=utf-8")

    with SiteServer(tmp_path, routes={"/bo/index.html": tibetan}) as server:
        site = await capture_site(server.url, settings(max_pages=1, probe_elder=False,
                                                       probe_voice=False, region="西藏"))
    assert site.versions is not None
    [entry] = site.versions.versions
    assert (entry.lang, entry.failure, entry.status) == ("bo", None, 200), entry
