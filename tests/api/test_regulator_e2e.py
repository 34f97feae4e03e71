"""Issue 17's story, end to end, as a regulator does it in the dashboard: a real uvicorn, a real
SQLite store file, Chromium clicking through the pages and the local runner scanning fixture
sites served on 127.0.0.1.

Sign in with an admin token; upload a list with one bad row and see it named; fix it and start
the round; watch it finish (one site fails: its reason in words). The first site then ships its
`after` version (body text 16 → 14 px, dates #999 → #ccc); run another round from the round's
page and watch it; the ranking lists the failed site last with its reason, and its XLSX has the
row; the round comparison shows the first site's regression with both values; a review finding
waived on round 2 is carried into round 3.

With ELDERSCAN_DOC_SHOTS naming a folder, the test also saves each dashboard page it visits at
1280 and 375 px in Chinese and English (the screenshots of docs/dashboard.md)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PIL import Image
from tests.runner.conftest import closed_port_url

from conftest import ROOT, SiteFarm
from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.devserver import SiteServer

from .test_dashboard import Served

pytestmark = pytest.mark.browser

AUDIT = "全省政务网站适老化检查"
FIRST, REVIEWED, DEAD = "石门市人民政府", "图文示例政府", "停机网站"
REASON = "渐变上的白字经人工核对清晰可辨"
OVER_IMAGE = "#rule-contrast-over-image"
"""The scan page's section of the rule whose finding on gov-image-text awaits review."""
SHOT_HEIGHT = 2400
"""Very long pages are clipped to this many CSS px in the screenshots."""
SHOTS = os.environ.get("ELDERSCAN_DOC_SHOTS")
"""Read at import: the session's clean-environment fixture drops every ELDERSCAN_* variable."""


@pytest.fixture
def served(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Private reads (so signing in matters), the local runner, loopback sites allowed."""
    monkeypatch.setenv("ELDERSCAN_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("ELDERSCAN_SETTLE_MS", "200")
    monkeypatch.setenv("ELDERSCAN_LOAD_TIMEOUT", "10")
    monkeypatch.setenv("ELDERSCAN_PAGE_TIMEOUT", "40")
    monkeypatch.setenv("ELDERSCAN_PROBES", "0")
    from elderscan.runner import dispatch

    with Served(create_app(ApiSettings())) as server:
        yield server.url
    dispatch.shutdown()



def _switch(folder: Path, version: str) -> None:
    """Serve fixtures/compare/<version> from `folder` (the server reads files per request)."""
    for item in folder.iterdir():
        shutil.rmtree(item) if item.is_dir() else item.unlink()
    shutil.copytree(ROOT / "fixtures" / "compare" / version, folder, dirs_exist_ok=True)


def _sign_in(page: Any, served: str, token: str, to: str = "/workbench") -> None:
    page.goto(f"{served}/login?lang=zh&next={to}")
    page.get_by_label("访问令牌").fill(token)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(served + to + "*")


def _watch(page: Any, sites: int) -> None:
    """Wait on a round's live page, never reloading it, until every site is done or failed."""
    page.evaluate("() => { window.__notReloaded = true; }")
    page.wait_for_function(
        "n => document.querySelectorAll('#round-sites tr[data-status=\"done\"], "
        "#round-sites tr[data-status=\"failed\"]').length === n", arg=sites, timeout=240_000)
    assert page.evaluate("() => window.__notReloaded") is True  # the script updated the page
    assert page.locator("#finished-note").is_visible()


def test_a_regulator_audits_three_rounds_from_the_dashboard(
        served: str, browser: Any, sites: SiteFarm, tokens: dict[str, str],
        tmp_path: Path) -> None:
    folder = tmp_path / "first-site"
    folder.mkdir()
    _switch(folder, "before")
    with SiteServer(folder) as first_site:
        _story(served, browser, first_site.url, sites.url("gov-image-text"), tokens["admin"],
               folder)


def _story(served: str, browser: Any, first: str, reviewed: str, admin: str,
           folder: Path) -> None:
    dead = closed_port_url()
    bad_list = (f"名称,网址,类别,地区\n{FIRST},{first},政府,甲省\n打错的一行,gov,政府,甲省\n"
                f"{REVIEWED},{reviewed},政府,乙省\n{DEAD},{dead},银行,乙省\n")
    fixed = bad_list.replace("打错的一行,gov,政府,甲省\n", "")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()

    # a. sign in with an admin token
    _sign_in(page, served, admin)

    # b. upload a list with one bad row, see it named, fix it, upload again, start the round
    def upload(text: str) -> None:
        page.get_by_label("名单文件（CSV、XLSX 或 YAML）").set_input_files(
            {"name": "sites.csv", "mimeType": "text/csv", "buffer": text.encode("gb18030")})
        page.get_by_label("检测名称（同名再次检测即为下一轮）").fill(AUDIT)
        page.get_by_label("每个网站最多检测的页面数").fill("1")
        page.get_by_role("button", name="预览名单").click()
        page.wait_for_selector("#preview")

    upload(bad_list)
    assert page.locator("#bad-rows li").all_inner_texts() == [
        "第 3 行：不是网址：“gov”（应如 https://www.example.gov.cn/）"]
    upload(fixed)
    assert page.locator("#bad-rows").count() == 0
    page.get_by_role("button", name="开始检测（3 个网站）").click()
    page.wait_for_url("**/rounds/*")

    # c. watch it finish on its live page; the failed site says why in words
    assert page.locator("#round-sites tbody tr").count() == 3
    _watch(page, 3)
    dead_row = page.locator("#round-sites tbody tr", has_text=DEAD)
    assert dead_row.get_attribute("data-status") == "failed"
    assert dead_row.locator(".reason").inner_text() == "服务器拒绝连接或没有响应"
    assert "已完成 3 / 3：成功 2，失败 1" in page.locator("#round-summary").inner_text()
    round_one = page.url

    # d. the first site ships its worse version; run another round from the round's page
    _switch(folder, "after")
    page.locator("#again-form").get_by_role("button", name="开始新一轮").click()
    page.wait_for_url(lambda url: "/rounds/" in url and url != round_one)
    _watch(page, 3)
    round_two = page.url.removeprefix(served)
    assert "第 2 轮" in page.locator("main").inner_text()

    # e. the ranking lists every site, the failed one last with its reason; the XLSX too
    page.locator("#ranking-link").click()
    page.wait_for_url("**/rankings?**")
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 3
    last = rows.nth(2)
    assert DEAD in last.inner_text() and "未排名" in last.inner_text()
    site_page = rows.filter(has_text=FIRST).locator("th a").get_attribute("href") or ""
    dead_reason = last.locator(".reason").inner_text()
    assert dead_reason == "服务器拒绝连接或没有响应"
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Excel 工作簿（XLSX）").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".xlsx")
    xlsx = folder.parent / download.suggested_filename
    download.save_as(xlsx)
    sheet = load_workbook(xlsx, read_only=True).active
    assert sheet is not None
    lines = [[str(c) for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    dead_lines = [line for line in lines if DEAD in line]
    assert len(dead_lines) == 1, lines
    assert any("拒绝连接" in cell for cell in dead_lines[0]), dead_lines

    # f. compare the round with the one before: the first site's regression, both values
    page.get_by_role("link", name="检测对比").click()
    page.wait_for_url("**/compare**")
    picker = page.locator("#pick-round")
    picker.get_by_label("批次").select_option(AUDIT)
    picker.get_by_role("button", name="与上一轮对比").click()
    page.wait_for_url("**/compare/rounds?**")
    assert "第 1 轮 → 第 2 轮" in page.locator("#result").inner_text()
    site_rows = page.locator("#round-sites tbody tr")
    assert FIRST in site_rows.first.inner_text()  # sites with regressions come first
    assert "退步" in site_rows.first.locator(".regression").inner_text()
    site_rows.first.get_by_role("link", name="对比两次检测").click()
    page.wait_for_url("**/compare?**")
    scan_a = page.locator("#result + p.links a").first  # one line of words, not three columns
    assert scan_a.inner_text().startswith(f"A：{FIRST} · ")
    worse = page.locator("#worsened")
    assert "A：2.85 → B：1.61（标准 4.5）" in worse.inner_text()
    assert worse.locator("tr.regression-row").count() >= 1
    compare_two = page.url.removeprefix(served)

    # g. waive the review finding on round 2's scan of the image-text site
    page.get_by_role("link", name="排行榜").click()  # the newest round: round 2
    page.wait_for_url("**/rankings**")
    page.locator("#ranking tbody tr", has_text=REVIEWED).locator("td.total a").click()
    page.wait_for_url("**/scans/*")
    scan_two = page.url
    waive = page.locator(f"{OVER_IMAGE} form.review-waive")
    assert waive.count() == 1  # the text on the gradient, left to a person
    waive.get_by_label("豁免理由（必填）").fill(REASON)
    waive.get_by_role("button", name="豁免").click()
    page.get_by_text("已豁免。以后各轮检测中相同的问题沿用这一决定。").wait_for()
    scan_two_id = int(scan_two.split("?")[0].rstrip("/").rsplit("/", 1)[1])

    # ... then a third round, from the workbench, and the decision is carried into it
    page.get_by_role("link", name="工作台").click()
    page.wait_for_url("**/workbench**")
    page.locator("#again-form").get_by_label("检测名称").select_option(AUDIT)
    page.locator("#again-form").get_by_role("button", name="开始新一轮").click()
    page.wait_for_url("**/rounds/*")
    _watch(page, 3)
    assert "第 3 轮" in page.locator("main").inner_text()
    page.locator("#round-sites tbody tr", has_text=REVIEWED).locator(".score a").click()
    page.wait_for_url("**/scans/*")
    assert page.url.split("?")[0] != scan_two.split("?")[0]
    carried = page.locator(f"{OVER_IMAGE} .review",
                           has_text=f"沿用检测 #{scan_two_id} 上作出的决定")
    assert carried.count() == 1
    assert REASON in carried.first.inner_text()
    assert "已豁免" in carried.first.inner_text()
    scan_three = page.url.split("?")[0].removeprefix(served)

    # and the audit runs every week from now on
    page.get_by_role("link", name="定期检测").click()
    page.wait_for_url("**/schedules**")
    page.locator("#s-name").fill(AUDIT)
    page.locator("#s-kind").select_option("weekly")
    page.get_by_role("button", name="保存计划").click()
    page.wait_for_url("**/schedules**")
    assert page.locator("#schedules tbody tr", has_text=AUDIT).count() == 1

    # on a phone the tables become cards whose labels end in each language's own colon
    page.set_viewport_size({"width": 375, "height": 900})
    for lang, colon in (("en", ':'), ("zh", '：')):
        page.goto(f"{served}{round_two}?lang={lang}")
        label = page.evaluate("() => getComputedStyle(document.querySelector("
                              "'#round-sites td[data-label]'), '::before').content")
        assert label.rstrip('" ').endswith(colon), (lang, label)
        fact = page.evaluate("() => getComputedStyle(document.querySelector('.facts dt'),"
                             " '::after').content")
        assert fact.strip('"').rstrip() == colon, (lang, fact)
    context.close()

    if SHOTS:
        _doc_shots(browser, served, admin, Path(SHOTS), bad_list, {
            "sites": "/", "site": site_page.split("?")[0], "scan": scan_three,
            "rankings": "/rankings", "round": round_two, "compare": compare_two,
            "compare-rounds": f"/compare/rounds?batch={AUDIT}&round=2",
            "schedules": "/schedules", "rule": "/rules/contrast.text"})


_EAGER = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map(img => img.complete ? null
    : new Promise(done => { img.onload = img.onerror = done; })));
}"""
"""Marked crops are lazy images: a full-page screenshot must not catch them unloaded."""


def _doc_shots(browser: Any, served: str, admin: str, folder: Path, site_list: str,
               pages: dict[str, str]) -> None:
    """Every page at 1280 and 375 px in zh and en, signed in as the admin (the sign-in page
    signed out), the workbench with a preview; a page may not scroll sideways."""
    folder.mkdir(parents=True, exist_ok=True)
    sideways: list[tuple[str, str, int, int]] = []

    def shoot(page: Any, name: str, lang: str, width: int, at: str | None = None) -> None:
        """The page from its top, or from the element `at` on (a part far down a long page)."""
        page.evaluate(_EAGER)
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll > width + 1:
            sideways.append((name, lang, width, scroll))
        height = page.evaluate("() => document.documentElement.scrollHeight")
        top = 0 if at is None else max(0, int(page.evaluate(
            "s => document.querySelector(s).getBoundingClientRect().top + window.scrollY",
            at)) - 40)
        raw = folder / f".{name}-{lang}-{width}.raw.png"
        page.screenshot(path=str(raw), full_page=True,
                        clip={"x": 0, "y": top, "width": width,
                              "height": min(height - top, SHOT_HEIGHT)})
        with Image.open(raw) as image:
            image.convert("RGB").quantize(colors=64).save(
                folder / f"{name}-{lang}-{width}.png", optimize=True)
        raw.unlink()

    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for lang in ("zh", "en"):
            page.goto(f"{served}/login?lang={lang}")
            shoot(page, "sign-in", lang, width)
        _sign_in(page, served, admin)
        for lang in ("zh", "en"):
            for name, path in pages.items():
                page.goto(f"{served}{path}{'&' if '?' in path else '?'}lang={lang}")
                shoot(page, name, lang, width)
                if name == "scan":  # its fix help and the carried review decision
                    shoot(page, "scan-review", lang, width,
                          at=OVER_IMAGE)
            page.goto(f"{served}/workbench?lang={lang}")
            page.locator("#f-file").set_input_files(
                {"name": "sites.csv", "mimeType": "text/csv", "buffer": site_list.encode()})
            page.locator("#preview-button").click()
            page.wait_for_selector("#preview")
            shoot(page, "workbench", lang, width)
        context.close()
    assert not sideways, sideways

