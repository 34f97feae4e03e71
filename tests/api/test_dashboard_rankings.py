"""The dashboard's ranking page: the newest round first, every site (the failed one last, with
its reason), change against the previous round, failing-only, summaries, what a veto found,
downloads that are the CLI's own files, a report link on the scan page, and a table that keeps
words whole at 1280 px in a real Chromium."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, update

from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.finding import Finding
from elderscan.store import (
    claim_scan,
    create_batch,
    enqueue_scan,
    fail_scan,
    save_result,
    session_scope,
    upsert_site,
)
from elderscan.store.models import Batch
from incli import elderscan

from .conftest import report
from .test_dashboard import Served

NAME = "2026 第四季度省级检查"
SITES = [("北京市朝阳区人民政府办公室", "https://a.gov.cn/", "gov", "北京"),
         ("Government of the Example Municipality", "https://b.gov.cn/", "gov", "上海"),
         ("示例农村商业银行", "https://c-bank.cn/", "bank", "北京"),
         ("已停用的县政府网站", "https://gone.example.gov.cn/", "gov", "北京")]
POPUP = {"rule": "ads.elder-mode", "outcome": "fail", "severity": "critical",
         "clause": "适老化通用设计规范 5.2", "selector": "div.popup", "box": [1, 2, 300, 200],
         "value": None, "threshold": None,
         "message": "页面加载后弹出遮挡 50% 首屏的弹窗“领取养老补贴”",
         "message_key": "ads.elder-mode.popup",
         "data": {"text": "领取养老补贴", "coverage": 0.5}}


def _round(engine: Engine, name: str, totals: list[float | None], veto: bool = False) -> int:
    """A round over SITES: a number is the total, None a scan failed with a DNS error."""
    with session_scope(engine) as session:
        ids = [upsert_site(session, *site).id for site in SITES]
        batch = create_batch(session, name, ids)
        batch_id = batch.id
        scans = {s.site_id: s.id for s in batch.scans}
    for (site_name, url, _, _), site_id, total in zip(SITES, ids, totals, strict=True):
        scan_id = scans[site_id]
        with session_scope(engine) as session:
            claim_scan(session, scan_id, "test")
        with session_scope(engine) as session:
            if total is None:
                fail_scan(session, scan_id, "dns",
                          f"{url}: [Errno -2] Name or service not known")
                continue
            result = report(url, total, title=site_name)
            if veto and site_name == "示例农村商业银行":
                result.pages[0].findings.append(Finding.model_validate(POPUP))
                result.score = {**(result.score or {}), "vetoes": [
                    {"rule": "ads.elder-mode", "message": POPUP["message"]}]}
            save_result(session, scan_id, result)
    return batch_id


@pytest.fixture
def rounds(engine: Engine) -> dict[str, int]:
    first = _round(engine, NAME, [70.0, 62.0, 50.0, 40.0])
    second = _round(engine, NAME, [80.0, 58.0, 50.0, None], veto=True)
    other = _round(engine, "Z 专项检查", [90.0, 90.0, 90.0, 90.0])
    with session_scope(engine) as session:  # the oldest, though its name sorts last
        session.execute(update(Batch).where(Batch.id == other).values(
            created_at=datetime(2020, 1, 1, tzinfo=UTC)))
        queued = enqueue_scan(session, upsert_site(session, "未检测", "https://q.gov.cn/")).id
    return {"first": first, "second": second, "other": other, "queued": queued}


@pytest.fixture
def public(make_client: Any) -> TestClient:
    client: TestClient = make_client(ApiSettings(PUBLIC_READS=True))
    return client


def _table(html: str) -> str:
    return html[html.index('id="ranking"'):html.index("</table>", html.index('id="ranking"'))]


def test_opens_on_the_newest_round_with_every_site(public: TestClient,
                                                   rounds: dict[str, int]) -> None:
    html = public.get("/rankings").text
    assert f"{NAME} 第 2 轮" in html  # not "Z 专项检查", whose name sorts last
    table = _table(html)
    order = [table.index(name) for name, *_ in SITES]  # 80, 58, 50, then the failed one
    assert order == sorted(order)
    assert "已停用的县政府网站" in table and "未排名" in table
    assert "域名无法解析（网站地址可能有误或已停用）" in table
    assert "Errno" not in html  # the raw error is a detail of the files and the API only
    assert "↑ 提高 10.0 分" in table and "↓ 下降 4.0 分" in table and "→ 持平" in table
    assert "对比的上一轮：第 1 轮" in html
    assert "本轮共 4 个网站：已评分 3 个，检测失败 1 个，未完成 0 个。" in html
    # the veto column says what was found, not only the rule's title
    assert "弹窗“领取养老补贴”" in table
    english = _table(public.get("/rankings", params={"lang": "en"}).text)
    assert "The host name does not resolve" in english and "not ranked" in english
    assert "a pop-up “领取养老补贴” covering 50% of the first screen" in english
    assert "↑ up 10.0 points" in english
    first = public.get("/rankings", params={"batch": NAME, "round": "1", "lang": "zh"}).text
    assert "第一轮" in _table(first) and "对比的上一轮" not in first


def test_failing_only_and_the_summary(public: TestClient, rounds: dict[str, int]) -> None:
    html = public.get("/rankings", params={"failing": "1"}).text
    table = _table(html)
    assert "Government of the Example Municipality" in table  # 58: below the pass line
    assert "已停用的县政府网站" in table and "示例农村商业银行" in table  # 50
    assert "北京市朝阳区人民政府办公室" not in table
    assert 'name="failing" type="checkbox" value="1" checked' in html
    summary = html[html.index('id="summary-region"'):]
    summary = summary[:summary.index("</table>")]
    beijing = summary[summary.index("北京"):summary.index("</tr>", summary.index("北京"))]
    cells = [c.split(">")[-1] for c in beijing.split("</td>")[:-1]]
    assert cells == ["3", "2", "1", "1", "50.0%", "65.0"]
    assert 'id="summary-category"' in html and "政府网站" in html


def test_downloads_are_the_cli_files(public: TestClient, rounds: dict[str, int],
                                     db_url: str, tmp_path: Path) -> None:
    html = public.get("/rankings").text
    start = html.index('href="/rankings/ranking.csv')
    link = html[start + 6:html.index('"', start + 6)].replace("&amp;", "&")
    page_csv = public.get(link)
    assert page_csv.status_code == 200 and page_csv.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in page_csv.headers["content-disposition"]
    out = tmp_path / "cli"
    proc = elderscan(["report", "--batch", NAME, "--format", "csv,xlsx", "--out", str(out)],
                     {**os.environ, "ELDERSCAN_DATABASE_URL": db_url}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (out / "ranking.csv").read_bytes() == page_csv.content  # one writer
    rows = list(csv.reader(io.StringIO(page_csv.content.decode("utf-8-sig"))))
    assert rows[-1][1] == "已停用的县政府网站" and "域名无法解析" in " ".join(rows[-1])
    xlsx = public.get(link.replace("ranking.csv", "ranking.xlsx"))
    cli_book = load_workbook(out / "ranking.xlsx")
    page_book = load_workbook(io.BytesIO(xlsx.content))
    for cli_sheet, page_sheet in zip(cli_book.worksheets, page_book.worksheets, strict=True):
        assert [[c.value for c in r] for r in cli_sheet.iter_rows()] == \
            [[c.value for c in r] for r in page_sheet.iter_rows()]
    failing = public.get(link + "&failing=1")
    assert b"\xe5\x8c\x97\xe4\xba\xac\xe5\xb8\x82\xe6\x9c\x9d\xe9\x98\xb3" not in failing.content
    assert public.get("/rankings/ranking.csv", params={"batch": "nope"}).status_code == 404
    assert public.get("/rankings/ranking.pdf", params={"batch": NAME}).status_code == 404


def test_downloads_need_a_reader(make_client: Any, rounds: dict[str, int],
                                 tokens: dict[str, str]) -> None:
    private: TestClient = make_client()
    target = f"/rankings/ranking.csv?batch={NAME}"
    assert private.get(target, follow_redirects=False).status_code == 303
    private.post("/login", data={"token": tokens["read"], "next": "/"},
                 headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert private.get(target).status_code == 200


def test_scan_page_links_its_report(public: TestClient, store: Any) -> None:
    scan_id = store.scan("https://a.gov.cn/", 80.0)
    html = public.get(f"/scans/{scan_id}").text
    link = f"/api/v1/scans/{scan_id}/report?format=xlsx&amp;lang=zh&amp;download=true"
    assert link in html
    assert public.get(link.replace("&amp;", "&")).status_code == 200


@pytest.fixture
def server(db_url: str, rounds: dict[str, int]) -> Iterator[str]:
    app = create_app(ApiSettings(PUBLIC_READS=True), database_url=db_url,
                     submit=lambda ids: None)
    with Served(app) as served:
        yield served.url


WORDS_WHOLE = """() => {
  const broken = [];
  // words of names, numbers, grades and headers; sentences (.prose) wrap as prose does
  const cells = document.querySelectorAll('#ranking th, #ranking td:not(.prose)');
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s-]+/g;  // a line may end after a hyphen (pop-/ups)
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_words_stay_whole_at_1280(server: str, lang: str) -> None:
    from playwright.sync_api import sync_playwright

    from elderscan.scanner._chromium import find_chromium

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            for elder in ("0", "1"):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{server}/rankings?lang={lang}&elder={elder}")
                assert page.locator("#ranking tbody tr").count() == 4
                assert page.evaluate(WORDS_WHOLE) == []
                if elder == "0":  # the table fits a 1280 px window without scrolling
                    assert page.evaluate("(() => { const box = document.querySelector("
                                         "'.table-scroll'); return box.scrollWidth <= "
                                         "box.clientWidth; })()")
                # the page itself never scrolls sideways; a wide table scrolls in its box
                assert page.evaluate(
                    "document.documentElement.scrollWidth <= window.innerWidth")
                page.close()
            narrow = browser.new_page(viewport={"width": 320, "height": 800})
            narrow.goto(f"{server}/rankings?lang={lang}")
            assert narrow.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            printed = browser.new_page(viewport={"width": 1280, "height": 900})
            printed.goto(f"{server}/rankings?lang={lang}")
            printed.emulate_media(media="print")
            assert printed.evaluate(
                "getComputedStyle(document.querySelector('header.top')).display") == "none"
            assert printed.evaluate(
                "getComputedStyle(document.querySelector('#ranking thead')).display"
            ) == "table-header-group"
            assert printed.locator("#print-ranking").is_visible() is False
            pdf = printed.pdf(format="A4", landscape=True)
            assert pdf.startswith(b"%PDF")
        finally:
            browser.close()
