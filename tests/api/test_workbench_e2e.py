"""A regulator's round from the dashboard, for real: a real uvicorn, a real SQLite store,
Chromium driving the pages and the local runner scanning a fixture site served on 127.0.0.1.
Sign in as admin, upload a list with one bad row, see it named, upload the fixed list, start
the round, and watch it finish on the live page (the script updates it; the page is never
reloaded). Then the pages themselves must score at least 90 when elderscan scans them."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from tests.runner.conftest import closed_port_url

from conftest import SiteFarm, settings
from elderscan.api import create_app
from elderscan.api.settings import ApiSettings

pytestmark = pytest.mark.browser


class Served:
    """The app on a free loopback port, in a thread, as `elderscan serve` runs it."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def served(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Public reads (so the self-scan sees the pages), writes for admins; scans really run."""
    monkeypatch.setenv("ELDERSCAN_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("ELDERSCAN_SETTLE_MS", "200")
    monkeypatch.setenv("ELDERSCAN_LOAD_TIMEOUT", "10")
    monkeypatch.setenv("ELDERSCAN_PAGE_TIMEOUT", "40")
    from elderscan.runner import dispatch

    with Served(create_app(ApiSettings(PUBLIC_READS=True))) as server:
        yield server.url
    dispatch.shutdown()



def test_upload_fix_start_and_watch_a_round(served: str, browser: Any, sites: SiteFarm,
                                           tokens: dict[str, str], tmp_path: Path) -> None:
    good = sites.url("gov-good")
    dead = closed_port_url()
    bad_list = (f"名称,网址,类别,地区\n示例政府,{good},政府,甲省\n打错,gov,政府,甲省\n"
                f"停机网站,{dead},银行,乙省\n")
    fixed = bad_list.replace("打错,gov,政府,甲省\n", "")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served + "/login?next=/workbench")
    page.get_by_label("访问令牌").fill(tokens["admin"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(served + "/workbench")

    def upload(text: str) -> None:
        page.get_by_label("名单文件（CSV、XLSX 或 YAML）").set_input_files(
            {"name": "sites.csv", "mimeType": "text/csv", "buffer": text.encode("gb18030")})
        page.get_by_label("检测名称（同名再次检测即为下一轮）").fill("省级第一批")
        page.get_by_label("每个网站最多检测的页面数").fill("1")
        page.get_by_role("button", name="预览名单").click()
        page.wait_for_selector("#preview")

    upload(bad_list)
    assert page.locator("#bad-rows li").all_inner_texts() == [
        "第 3 行：不是网址：“gov”（应如 https://www.example.gov.cn/）"]
    assert page.get_by_role("button", name="只检测没有问题的 2 个网站").is_visible()
    upload(fixed)
    assert page.locator("#bad-rows").count() == 0
    page.get_by_role("button", name="开始检测（2 个网站）").click()
    page.wait_for_url("**/rounds/*")
    page.evaluate("() => { window.__notReloaded = true; }")
    rows = page.locator("#round-sites tbody tr")
    assert rows.count() == 2
    page.wait_for_function(
        "() => document.querySelectorAll('#round-sites tr[data-status=\"done\"], "
        "#round-sites tr[data-status=\"failed\"]').length === 2", timeout=240_000)
    assert page.evaluate("() => window.__notReloaded") is True  # the script updated the page
    assert page.locator("#finished-note").is_visible()
    assert page.locator("#cancel-form").is_hidden() and page.locator("#again").is_visible()
    first, second = rows.nth(0), rows.nth(1)
    assert first.get_attribute("data-status") == "done"
    assert float(first.locator(".score").inner_text()) > 0
    assert second.get_attribute("data-status") == "failed"
    assert second.locator(".reason").inner_text() == "服务器拒绝连接或没有响应"  # one table
    assert "已完成 2 / 2：成功 1，失败 1" in page.locator("#round-summary").inner_text()
    status = page.request.get(page.url + "/status.json").json()
    assert status["finished"] is True and status["status"] == "done"
    round_path = page.url.removeprefix(served)
    page.get_by_role("link", name="查看排名").click()
    page.wait_for_url("**/rankings?**")
    assert "示例政府" in page.locator("main").inner_text()
    context.close()

    # on a phone (and at 200 % zoom) nothing scrolls sideways, in either language
    shots = Path(os.environ.get("WORKBENCH_SHOTS", str(tmp_path)))
    for width in (1280, 375):
        phone = browser.new_context(viewport={"width": width, "height": 900})
        page = phone.new_page()
        page.goto(served + "/login?next=/workbench")
        page.get_by_label("访问令牌").fill(tokens["admin"])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(served + "/workbench")
        for lang in ("zh", "en"):
            for name, path in (("workbench", "/workbench"), ("round", round_path)):
                page.goto(f"{served}{path}?lang={lang}")
                scroll = page.evaluate("() => document.documentElement.scrollWidth")
                assert scroll <= width + 1, (path, width, scroll)
                page.screenshot(path=str(shots / f"workbench-{name}-{lang}-{width}.png"),
                                full_page=True)
            page.goto(f"{served}/workbench?lang={lang}")
            page.get_by_label("List file (CSV, XLSX or YAML)" if lang == "en" else
                              "名单文件（CSV、XLSX 或 YAML）").set_input_files(
                {"name": "sites.csv", "mimeType": "text/csv", "buffer": bad_list.encode()})
            page.locator("#preview-button").click()
            page.wait_for_selector("#preview")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1
            page.screenshot(path=str(shots / f"workbench-preview-{lang}-{width}.png"),
                            full_page=True)
        phone.close()

    # the workbench pages are themselves elder-friendly (public view: no write controls)
    from elderscan.runner.scan import scan_site

    for path in ("/workbench", round_path):
        scan = scan_site(served + path, settings(axe=True, max_pages=1, probes=True,
                                                 viewport="both"))
        with ThreadPoolExecutor(1) as pool:
            report = pool.submit(asyncio.run, scan).result()
        assert report.status == "ok", report.error
        fails = [(f.rule, f.selector) for p in report.pages for f in p.findings
                 if f.outcome == "fail"]
        score = report.score
        print(f"\nself-scan {path}: {score} {fails}")
        assert score is not None and score["total"] is not None
        assert score["total"] >= 90, (path, score, fails)
