"""The dashboard without a browser: access, escaping, languages, elder mode, 404s, screenshots.

The store holds real results: the report test site (tests/sites/report, with a hostile title and
known failures) as Chromium scanned it (the recording in tests/saved_results/report, which
tests/test_saved_results.py keeps equal to a live scan), saved as three rounds of a batch with
scores changed per round, beside two other sites. `dashboard_data` is shared with the browser tests.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine
from tests.saved_results import load

from conftest import settings
from elderscan.api import create_app
from elderscan.api.dashboard.chart import trend_chart
from elderscan.api.settings import ApiSettings
from elderscan.capture import GuardLog, GuardRefusal
from elderscan.contract import ScanReport
from elderscan.settings import ScanSettings
from elderscan.store import (
    claim_scan,
    create_batch,
    create_token,
    enqueue_scan,
    get_engine,
    get_scan,
    reset_engines,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)

BATCH = "全市政务网站适老化检查"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">某区政府'


@dataclass
class DashboardData:
    url: str
    data: Path
    tokens: dict[str, str]
    report_site: int
    """The scanned site: three rounds."""
    hostile_site: int
    bank_site: int
    rounds: list[int]
    """Scan ids of the report site, oldest first."""
    queued_scan: int


def _scanned(tmp: Path) -> tuple[ScanReport, Path]:
    shots = tmp / "shots"
    report = load("report", shots).report
    assert report.status == "ok", report.error
    return report, shots


def _variant(report: ScanReport, *, total: float, round_: int, target: str | None = None,
             drop_rule: str | None = None) -> ScanReport:
    """The scanned result with another total (dimensions shifted alike) and finish time, so
    rounds make a trend; `drop_rule` removes a rule's findings (it was fixed)."""
    copy = report.model_copy(deep=True)
    score = dict(copy.score or {})
    shift = total - float(score.get("total") or 0)
    score["dimensions"] = {d: None if s is None else max(0.0, min(100.0, round(s + shift, 1)))
                           for d, s in (score.get("dimensions") or {}).items()}
    score.update(total=total, passed=total >= 60,
                 grade="A" if total >= 90 else "B" if total >= 80 else "C" if total >= 70
                 else "D" if total >= 60 else "E")
    copy.score = score
    copy.finished_at = f"2026-0{round_}-15T08:00:00Z"
    if target:
        copy.target = target
        for page in copy.pages:
            page.url = page.url.replace(report.target.rstrip("/"), target.rstrip("/"))
    if drop_rule:
        for page in copy.pages:
            page.findings = [f for f in page.findings if f.rule != drop_rule]
    return copy


def _save(engine: Engine, data: Path, scan_id: int, report: ScanReport, shots: Path) -> None:
    """As the runner does: screenshots under the data directory, then the result."""
    folder = data / "scans" / str(scan_id)
    shutil.copytree(shots, folder)
    stored = report.model_copy(deep=True)
    for page in stored.pages:
        if page.screenshot:
            page.screenshot = str(folder / page.screenshot)
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, stored, data_root=data)


@pytest.fixture(scope="module")
def dashboard_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardData]:
    tmp = tmp_path_factory.mktemp("dashboard")
    data = tmp / "data"
    data.mkdir()
    url = f"sqlite:///{tmp / 'dash.db'}"
    report, shots = _scanned(tmp)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ELDERSCAN_DATA_DIR", str(data))
        env.setenv("ELDERSCAN_DATABASE_URL", url)
        for name in ("ELDERSCAN_BROKER_URL", "ELDERSCAN_API_PUBLIC_READS"):
            env.delenv(name, raising=False)
        upgrade(url)
        engine = get_engine(url)
        with session_scope(engine) as session:
            tokens = {"admin": create_token(session, "admin", "admin"),
                      "read": create_token(session, "reader", "read")}
            sites = [upsert_site(session, "北溪县人民政府", report.target, "gov", "浙江"),
                     upsert_site(session, HOSTILE, "https://hostile.example.gov.cn/", "gov",
                                 "北京"),
                     upsert_site(session, "示例银行", "https://bank.example.com.cn/", "bank",
                                 "上海")]
            ids = [s.id for s in sites]
        totals = {1: (52.0, 80.0, 71.0), 2: (64.0, 85.0, 68.0), 3: (78.0, 85.0, 75.0)}
        rounds: list[int] = []
        for round_, (own, hostile, bank) in totals.items():
            with session_scope(engine) as session:
                batch = create_batch(session, BATCH, ids)
                scans = {s.site_id: s.id for s in batch.scans}
            own_report = _variant(report, total=own, round_=round_,
                                  drop_rule="ads.popup" if round_ == 3 else None)
            if round_ == 1:  # as an API scan records what the address guard refused
                own_report.guard = GuardLog(connections=7, refused=[
                    GuardRefusal(host="169.254.169.254", port=80, code="metadata", count=2,
                                 reason="169.254.169.254 is a cloud metadata address"),
                    GuardRefusal(host="<img src=x onerror=alert(1)>.localhost", port=80,
                                 code="loopback", count=1, reason="loopback")])
            _save(engine, data, scans[ids[0]], own_report, shots)
            _save(engine, data, scans[ids[1]], _variant(
                report, total=hostile, round_=round_, target="https://hostile.example.gov.cn/"),
                shots)
            _save(engine, data, scans[ids[2]], _variant(
                report, total=bank, round_=round_, target="https://bank.example.com.cn/"), shots)
            rounds.append(scans[ids[0]])
        with session_scope(engine) as session:
            queued = enqueue_scan(session, upsert_site(session, "排队中的网站",
                                                       "https://queued.example.org.cn/")).id
        yield DashboardData(url, data, tokens, ids[0], ids[1], ids[2], rounds, queued)
        reset_engines()


def make_app(data: DashboardData, public: bool) -> Any:
    return create_app(ApiSettings(PUBLIC_READS=public), database_url=data.url,
                      submit=lambda ids: None)


@pytest.fixture(scope="module")
def env(dashboard_data: DashboardData) -> Iterator[None]:
    """The data directory stays named while requests run (screenshots are read from it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ELDERSCAN_DATA_DIR", str(dashboard_data.data))
        patch.setenv("ELDERSCAN_DATABASE_URL", dashboard_data.url)
        yield


@pytest.fixture
def public(dashboard_data: DashboardData, env: None) -> Iterator[TestClient]:
    with TestClient(make_app(dashboard_data, True), base_url="http://dash.test") as client:
        yield client


@pytest.fixture
def private(dashboard_data: DashboardData, env: None) -> Iterator[TestClient]:
    with TestClient(make_app(dashboard_data, False), base_url="http://dash.test",
                    follow_redirects=False) as client:
        yield client


ORIGIN = {"Origin": "http://dash.test"}


def _first_shot(html: str) -> str:
    start = html.index('src="/scans/') + len('src="')
    return html[start:html.index('"', start)]


# ----------------------------------------------------------------------------------- access


def test_pages_need_a_token_unless_reads_are_public(private: TestClient) -> None:
    for path in ("/", "/rankings", "/sites/1", "/scans/1", "/compare?a=1&b=2"):
        response = private.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    assert private.get("/scans/1/shots/1.png").status_code == 401
    login = private.get("/login?next=/rankings")
    assert login.status_code == 200
    assert 'type="password"' in login.text and 'name="next" value="/rankings"' in login.text
    assert private.get("/static/dashboard/dashboard.css").status_code == 200


def test_login_sets_a_strict_httponly_cookie(private: TestClient,
                                             dashboard_data: DashboardData) -> None:
    response = private.post("/login", headers=ORIGIN,
                            data={"token": dashboard_data.tokens["read"], "next": "/rankings"})
    assert response.status_code == 303
    assert response.headers["location"] == "/rankings"
    cookie = response.headers["set-cookie"]
    assert "elderscan_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    assert dashboard_data.tokens["read"] not in response.headers["location"]
    told = private.post("/login", headers={**ORIGIN, "X-Forwarded-Proto": "https"},
                        data={"token": dashboard_data.tokens["read"], "next": "/rankings"})
    assert "Secure" not in told.headers["set-cookie"], "no proxy is trusted unless configured"
    assert private.get("/rankings").status_code == 200
    # signing out needs the same origin too
    assert private.post("/logout").status_code == 403
    out = private.post("/logout", headers=ORIGIN)
    assert out.status_code == 303
    assert private.get("/").status_code == 303


def test_login_refuses_bad_tokens_foreign_origins_and_open_redirects(
        private: TestClient, dashboard_data: DashboardData) -> None:
    bad = private.post("/login", headers=ORIGIN, data={"token": "esk_nope", "next": "/"})
    assert bad.status_code == 401 and "令牌无效" in bad.text
    assert "set-cookie" not in bad.headers
    token = dashboard_data.tokens["admin"]
    foreign = private.post("/login", headers={"Origin": "https://evil.example"},
                           data={"token": token, "next": "/"})
    assert foreign.status_code == 403 and "set-cookie" not in foreign.headers
    assert private.post("/login", data={"token": token}).status_code == 403  # no Origin
    redirect = private.post("/login", headers=ORIGIN,
                            data={"token": token, "next": "//evil.example/x"})
    assert redirect.status_code == 303 and redirect.headers["location"] == "/"


def test_login_over_https_sets_a_secure_cookie(dashboard_data: DashboardData, env: None) -> None:
    with TestClient(make_app(dashboard_data, False), base_url="https://dash.test",
                    follow_redirects=False) as client:
        response = client.post("/login", headers={"Origin": "https://dash.test"},
                               data={"token": dashboard_data.tokens["read"]})
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_pages_carry_a_strict_csp(public: TestClient) -> None:
    response = public.get("/")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in response.text  # scripts only from files
    assert 'style="' not in response.text
    assert response.headers["cache-control"] == "no-store"


# --------------------------------------------------------------------------------- content


def test_sites_list_filters_and_trend(public: TestClient, dashboard_data: DashboardData) -> None:
    page = public.get("/").text
    assert "北溪县人民政府" in page and "示例银行" in page and "排队中的网站" in page
    assert "上升 7.0" in page  # the bank: 68 → 75
    banks = public.get("/", params={"category": "bank"}).text
    assert "示例银行" in banks and "北溪县人民政府" not in banks
    beijing = public.get("/", params={"region": "北京"}).text
    assert "某区政府" in beijing and "示例银行" not in beijing
    assert "共 1 个网站" in beijing
    unknown = public.get("/", params={"region": "火星", "category": "nope"})
    assert unknown.status_code == 200 and "共 4 个网站" in unknown.text


def test_hostile_text_is_shown_as_text(public: TestClient, dashboard_data: DashboardData) -> None:
    for path in ("/", f"/sites/{dashboard_data.hostile_site}",
                 f"/scans/{dashboard_data.rounds[0]}", "/rankings"):
        html = public.get(path).text
        assert "<script>window.__pwned" not in html, path
        assert "<img src=x" not in html, path
    site = public.get(f"/sites/{dashboard_data.hostile_site}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in site
    scan = public.get(f"/scans/{dashboard_data.rounds[0]}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in scan  # the scanned page's title


def test_a_scan_lists_what_the_address_guard_refused(public: TestClient,
                                                     dashboard_data: DashboardData) -> None:
    first, later = dashboard_data.rounds[0], dashboard_data.rounds[1]
    zh = public.get(f"/scans/{first}").text
    assert "地址防护拦截的连接" in zh
    assert "169.254.169.254:80" in zh and "云服务器元数据地址" in zh
    assert "&lt;img src=x onerror=alert(1)&gt;.localhost:80" in zh
    en = public.get(f"/scans/{first}", params={"lang": "en"}).text
    assert "Connections the address guard refused" in en and "cloud metadata address" in en
    assert "address guard" not in public.get(f"/scans/{later}", params={"lang": "en"}).text


def test_rankings_by_batch_round_and_filter(public: TestClient) -> None:
    latest = public.get("/rankings").text
    assert f"{BATCH} 第 3 轮" in latest
    first = public.get("/rankings", params={"batch": BATCH, "round": "1"}).text
    assert f"{BATCH} 第 1 轮" in first
    assert first.index("某区政府") < first.index("示例银行") < first.index("北溪县人民政府")
    banks = public.get("/rankings", params={"batch": BATCH, "round": "1",
                                            "category": "bank"}).text
    assert "示例银行" in banks and "北溪县人民政府" not in banks
    missing = public.get("/rankings", params={"batch": BATCH, "round": "9"}).text
    assert "找不到这个批量检测或轮次" in missing


def test_site_page_draws_a_chart_per_dimension(public: TestClient,
                                               dashboard_data: DashboardData) -> None:
    html = public.get(f"/sites/{dashboard_data.report_site}").text
    assert html.count('class="trend-chart"') == 7
    assert html.count('data-points="3"') >= 1
    assert html.count("<circle") >= 3
    assert "第 1 轮" in html and "第 3 轮" in html
    rounds = dashboard_data.rounds
    assert f"/compare?a={rounds[1]}&amp;b={rounds[2]}" in html


def test_chart_geometry() -> None:
    chart = trend_chart("total", "总分", [("一", 0.0, 1), ("二", None, 2), ("三", 100.0, 3)])
    assert [p.scan_id for p in chart.points] == [1, 3]
    low, high = chart.points
    assert low.y > chart.pass_y > high.y
    assert low.x < high.x == chart.right_edge
    single = trend_chart("x", "x", [("一", 60.0, 1)])
    assert single.points[0].y == single.pass_y


def test_scan_page_shows_score_findings_and_fixes(public: TestClient,
                                                  dashboard_data: DashboardData) -> None:
    html = public.get(f"/scans/{dashboard_data.rounds[0]}").text
    assert "52.0" in html and "整改清单" in html
    for dimension in ("适老模式", "字号与排版", "对比度", "语音朗读", "广告与弹窗", "无障碍"):
        assert dimension in html
    assert "适老模式检测" in html and "语音朗读检测" in html
    assert 'id="rule-contrast-text"' in html and 'href="#rule-contrast-text"' in html
    assert "/scans/" in html and ".png" in html


def test_marked_screenshot(public: TestClient, dashboard_data: DashboardData) -> None:
    scan = dashboard_data.rounds[0]
    shot = _first_shot(public.get(f"/scans/{scan}").text)
    response = public.get(shot)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert "max-age" in response.headers["cache-control"]
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert (220, 0, 0) in {image.getpixel((x, y)) for x in range(image.width)
                           for y in range(0, image.height, 2)}
    again = public.get(shot, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert public.get(f"/scans/{scan}/shots/999999.png").status_code == 404
    assert public.get(f"/scans/{scan}/shots/abc.png").status_code == 404
    other = dashboard_data.rounds[1]
    finding = shot.rsplit("/", 1)[1]
    assert public.get(f"/scans/{other}/shots/{finding}").status_code == 404  # not its scan


def test_missing_screenshot_file_is_404(public: TestClient,
                                        dashboard_data: DashboardData) -> None:
    scan = dashboard_data.rounds[1]
    shot = _first_shot(public.get(f"/scans/{scan}").text)
    folder = dashboard_data.data / "scans" / str(scan)
    moved = folder.with_name(f"{scan}-away")
    folder.rename(moved)
    try:
        assert public.get(shot).status_code == 404
        assert ".png" not in public.get(f"/scans/{scan}").text
    finally:
        moved.rename(folder)


def test_compare_page(public: TestClient, dashboard_data: DashboardData) -> None:
    first, _, last = dashboard_data.rounds
    html = public.get("/compare", params={"a": first, "b": last}).text
    assert "已修复" in html and "新出现" in html and "仍然存在" in html
    fixed = html[html.index('id="fixed"'):html.index('id="improved"')]
    assert "弹窗" in fixed  # ads.popup was dropped from the last round
    assert public.get("/compare").status_code == 200
    assert public.get("/compare", params={"a": "x", "b": "1"}).status_code == 400
    assert public.get("/compare", params={"a": first, "b": 999999}).status_code == 404
    queued = public.get("/compare", params={"a": first, "b": dashboard_data.queued_scan})
    assert queued.status_code == 400


def test_not_found_pages(public: TestClient, dashboard_data: DashboardData) -> None:
    for path in ("/sites/999999", "/sites/abc", "/scans/999999", "/scans/-1"):
        response = public.get(path)
        assert response.status_code == 404, path
        assert "找不到" in response.text and response.headers["content-type"].startswith(
            "text/html")
    pending = public.get(f"/scans/{dashboard_data.queued_scan}")
    assert pending.status_code == 200 and "还没有结果" in pending.text


def test_english_from_the_query_then_the_cookie(public: TestClient,
                                                dashboard_data: DashboardData) -> None:
    english = public.get("/", params={"lang": "en"})
    assert '<html lang="en"' in english.text and "Elder-friendliness of websites" in english.text
    assert "elderscan_lang=en" in english.headers["set-cookie"]
    assert '<html lang="en"' in public.get("/rankings").text  # the cookie remembers
    scan = public.get(f"/scans/{dashboard_data.rounds[0]}").text
    assert "What to fix first" in scan and "Contrast" in scan
    chinese = public.get("/", params={"lang": "zh"}).text
    assert '<html lang="zh-CN"' in chinese and "网站适老化评测结果" in chinese


def test_elder_mode_switch_persists(public: TestClient, dashboard_data: DashboardData) -> None:
    standard = public.get("/").text
    assert 'class="standard"' in standard and 'href="/?elder=1"' in standard
    assert "长者模式" in standard and "语音朗读" in standard and "停止朗读" in standard
    elder = public.get("/", params={"elder": "1"})
    assert 'class="elder"' in elder.text
    assert "elderscan_elder=1" in elder.headers["set-cookie"]
    assert f'href="/sites/{dashboard_data.report_site}?elder=1"' in elder.text
    assert "标准模式" in elder.text
    assert 'class="elder"' in public.get("/rankings").text  # the cookie keeps it
    back = public.get("/rankings", params={"elder": "0"})
    assert 'class="standard"' in back.text


# --------------------------------------------------------------------------------- browser


class Served:
    """The app on a free loopback port, in a thread, as `elderscan serve` runs it."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
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


@pytest.fixture(scope="module")
def servers(dashboard_data: DashboardData, env: None) -> Iterator[dict[str, str]]:
    with Served(make_app(dashboard_data, False)) as private_server, \
            Served(make_app(dashboard_data, True)) as public_server:
        yield {"private": private_server.url, "public": public_server.url}



def _red_box(png: bytes) -> bool:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return any(image.getpixel((x, y)) == (220, 0, 0) for x in range(0, image.width, 1)
               for y in range(0, image.height, 3))


@pytest.mark.browser
def test_browse_list_filter_site_chart_scan_finding(
        browser: Any, servers: dict[str, str], dashboard_data: DashboardData) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = servers["private"]
    page.goto(base + "/")
    assert "/login" in page.url  # reads need a token here
    page.get_by_label("访问令牌").fill(dashboard_data.tokens["read"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/")
    rows = page.locator("#sites tbody tr")
    assert rows.count() == 4
    # filter by category, then by region
    page.get_by_label("类别").select_option("bank")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**category=bank**")
    assert rows.count() == 1 and "示例银行" in rows.first.inner_text()
    page.get_by_role("link", name="清除筛选").click()
    page.wait_for_url(lambda url: "category=" not in url)
    page.wait_for_load_state()
    page.get_by_label("地区").select_option("北京")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**region=**")
    assert rows.count() == 1
    assert "<script>window.__pwned=1</script>" in rows.first.inner_text()  # shown as text
    assert page.evaluate("window.__pwned") is None
    # open a site: its trend chart has a point per round
    page.get_by_role("link", name="清除筛选").click()
    page.get_by_role("link", name="北溪县人民政府").click()
    page.wait_for_url(f"**/sites/{dashboard_data.report_site}")
    chart = page.locator("svg#chart-total")
    assert chart.is_visible()
    assert chart.locator("circle.point").count() == 3
    assert chart.get_attribute("data-points") == "3"
    assert page.locator("svg.trend-chart").count() == 7
    # open the first round's report, then a finding from the rectification list
    page.locator("#history tbody tr").last.get_by_role("link").first.click()
    page.wait_for_url(f"**/scans/{dashboard_data.rounds[0]}")
    page.locator("#fixes a").first.click()
    target = page.url.rsplit("#", 1)[1]
    section = page.locator(f"#{target}")
    shot = section.locator("a.shot").first
    shot.scroll_into_view_if_needed()
    image = shot.locator("img")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    with page.expect_navigation() as opened:
        shot.click()
    response = opened.value
    assert response is not None and response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert _red_box(response.body())
    # the cookie is a session id, not the token; signing out ends it on the server
    (cookie,) = [c for c in context.cookies() if c["name"] == "elderscan_session"]
    assert cookie["value"] != dashboard_data.tokens["read"] and cookie["httpOnly"]
    page.goto(base + "/rankings")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login?why=out")
    assert page.get_by_role("status").inner_text() == "已退出登录。"
    context.add_cookies([{**cookie, "expires": -1}])  # a copy of the old cookie, replayed
    page.goto(base + "/rankings")
    assert "why=revoked" in page.url
    context.close()


@pytest.mark.browser
def test_elder_mode_and_read_aloud_work_for_a_person(browser: Any,
                                                    servers: dict[str, str]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script("""
        window.__spoken = []; window.__cancelled = 0;
        const synth = window.speechSynthesis;
        const speak = synth.speak.bind(synth), cancel = synth.cancel.bind(synth);
        synth.speak = (u) => { window.__spoken.push(u.text); speak(u); };
        synth.cancel = () => { window.__cancelled += 1; cancel(); };
    """)
    page = context.new_page()
    page.goto(servers["public"] + "/rankings")
    size = "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    assert page.evaluate(size) >= 18
    page.get_by_role("link", name="长者模式").click()
    page.wait_for_url("**elder=1**")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.className") == "elder"
    assert page.evaluate(size) >= 22
    page.get_by_role("link", name="网站列表").click()
    # A click starts the navigation without waiting for it: evaluate on the page that is
    # being replaced can meet a document with no <html> yet.
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.className") == "elder"
    box = page.get_by_role("link", name="标准模式").bounding_box()
    assert box is not None and box["height"] >= 60
    page.get_by_role("button", name="语音朗读").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and "网站适老化评测结果" in "".join(spoken)
    before = page.evaluate("window.__cancelled")
    page.get_by_role("button", name="停止朗读").click()
    assert page.evaluate("window.__cancelled") > before
    page.get_by_role("link", name="标准模式").click()
    page.wait_for_url("**elder=0**")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.className") == "standard"
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 640])
def test_reflows_without_horizontal_scrolling(browser: Any, servers: dict[str, str],
                                             dashboard_data: DashboardData, width: int) -> None:
    """200 % zoom of a 1280 px window lays out at 640 CSS px; WCAG's reflow asks for 320."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in ("/", "/rankings", f"/sites/{dashboard_data.report_site}",
                 f"/scans/{dashboard_data.rounds[0]}",
                 f"/compare?a={dashboard_data.rounds[0]}&b={dashboard_data.rounds[2]}",
                 f"/compare/rounds?batch={BATCH}"):
        page.goto(servers["public"] + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, (path, scroll)
    context.close()


def _admin_cookie(base: str, token: str) -> str:
    """A signed-in admin session, as the scanner's `--cookie` carries it."""
    import httpx

    from elderscan.api.dashboard.access import COOKIE

    signed = httpx.post(base + "/login", data={"token": token, "next": "/"},
                        headers={"Origin": base}, follow_redirects=False)
    assert signed.status_code == 303, signed.text
    return f"{COOKIE}={signed.cookies[COOKIE]}"


@pytest.mark.browser
def test_the_dashboard_passes_its_own_scan(servers: dict[str, str],
                                           dashboard_data: DashboardData) -> None:
    """The tool that judges elder-friendliness must be elder-friendly: ≥ 90 on each page,
    scanned signed in as an admin (so every form of the workbench is on the page)."""
    from elderscan.runner.scan import scan_site
    from elderscan.scanner.browser import BrowserPool

    base = servers["private"]
    cookie = _admin_cookie(base, dashboard_data.tokens["admin"])
    with session_scope(get_engine(dashboard_data.url)) as session:
        scan = get_scan(session, dashboard_data.rounds[2])
        assert scan is not None
        batch = scan.batch_id
    one = ("desktop", 1)
    # the list on desktop and phone (touch targets are judged on phones), three pages each
    targets = {"/": ("both", 3), f"/sites/{dashboard_data.report_site}": one,
               f"/scans/{dashboard_data.rounds[0]}": one,
               f"/compare?a={dashboard_data.rounds[0]}&b={dashboard_data.rounds[2]}": one,
               f"/compare/rounds?batch={BATCH}": one, "/rankings": ("both", 1),
               "/workbench": ("both", 1), f"/rounds/{batch}": one, "/schedules": one,
               "/rules": one, "/rules/contrast.text": one, "/workbench/sites/new": one,
               f"/sites/{dashboard_data.report_site}/edit": one}
    # With the product's own time limits, not the tests' short ones (6 s to load, 20 s a page,
    # made for hostile fixtures): thirteen scans at once, axe-core and the probes included,
    # beside two other test processes on two slow cores, once ended partial in a full run (a
    # page that did not load; the assertion below now names it and why), and a partial scan
    # is not the dashboard's score.
    limits = {name.lower(): ScanSettings.model_fields[name].default
              for name in ("PAGE_TIMEOUT", "LOAD_TIMEOUT")}
    signed_in = settings(axe=True, probes=True, cookies=(cookie,), **limits)

    async def scan_each() -> dict[str, Any]:
        async with BrowserPool(signed_in) as browser:  # one browser for the 13 scans, at once
            reports = await asyncio.gather(*(
                scan_site(base + path, signed_in.merged(max_pages=pages, viewport=viewport),
                          pool=browser)
                for path, (viewport, pages) in targets.items()))
        return dict(zip(targets, reports, strict=True))

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's loop
        reports = pool.submit(asyncio.run, scan_each()).result()
    scores: dict[str, Any] = {}
    for path, report in reports.items():
        assert report.status == "ok", report.error or [
            (p.url, p.viewport, f.message) for p in report.pages for f in p.findings
            if f.rule == "page.load"]
        landed = [p.final_url or p.url for p in report.pages]
        assert not any("/login" in url for url in landed), landed  # signed in throughout
        scores[path] = report.score
        print(f"\nself-scan {path}: {report.score}")
        problems = [(f.rule, f.selector, f.message) for p in report.pages for f in p.findings
                    if f.outcome == "fail"]
        print("  failures:", problems)
        assert report.elder_mode and report.elder_mode["effective"] is True, report.elder_mode
        assert report.voice and report.voice["functional"] is True, report.voice
        assert report.voice["stoppable"] is True
    for path, score in scores.items():
        assert score is not None and score["total"] >= 90, (path, score)


@pytest.mark.browser
def test_each_language_has_its_own_colon(dashboard_data: DashboardData,
                                         servers: dict[str, str], browser: Any) -> None:
    """The colons CSS adds after labels (facts, a phone's table cards) follow the page's
    language: "Status: " in English, "状态：" in Chinese."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    script = ("([sel]) => getComputedStyle(document.querySelector(sel), "
              "sel.endsWith('dt') ? '::after' : '::before').content")
    for lang, colon in (("en", ': "'), ("zh", '："')):
        page.goto(servers["public"] + f"/rankings?lang={lang}")
        card = page.evaluate(script, ["table.data [data-label]"])
        page.goto(servers["public"] + f"/sites/{dashboard_data.report_site}?lang={lang}")
        fact = page.evaluate(script, [".facts dt"])
        assert card.endswith(colon) and fact.endswith(colon), (lang, card, fact)
    context.close()
