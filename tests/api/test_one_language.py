"""One language per page: every dashboard page and every report format, rendered in Chinese and
in English from real stored scans of fixture sites, holds no word of the other language.

The store holds four fixture sites' recorded scans (tests/recordings: replayed without Chromium;
three in Chinese, one in English, so
each language's pages show results stored in the other), the report test site (hostile text, a
page that does not load), one site whose host does not resolve
(a failed scan with a network error), and a queued scan, in two rounds of a batch. What came from
the scanned sites (names, titles, URLs, selectors, texts) is taken out first (see
`tests/langcheck.py`); what is left must be in the page's language. To cover a new page, add its
address to `PAGES`; a new report format is covered once it is in `FORMATS`.
"""

from __future__ import annotations

import asyncio
import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from conftest import settings
from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.contract import ScanReport
from elderscan.i18n import Lang
from elderscan.reports.formats import FORMATS
from elderscan.reports.source import load_stored_scan
from elderscan.reports.tabular import ranking_csv, ranking_xlsx
from elderscan.store import (
    batch_ranking,
    claim_scan,
    create_batch,
    create_token,
    enqueue_scan,
    fail_scan,
    get_engine,
    reset_engines,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)
from langcheck import html_text, other_language, scanned_strings
from recorded import RecordedDriver, recorded_scan

SCANNED: tuple[tuple[str, str, str, str, Lang], ...] = (
    # fixture site, name, category, region, language of the scan
    ("gov-poor", "临溪县人民政府", "gov", "浙江", "zh"),
    ("portal-elder-slh-nofunc", "长者助手县", "gov", "江苏", "zh"),
    ("bank-popup", "示例银行", "bank", "上海", "zh"),
    ("portal-voice-dead", "语音失灵市", "gov", "北京", "en"),
    ("report", "北溪县人民政府", "gov", "浙江", "zh"),  # tests/sites: a page that does not load
)
UNRESOLVED = ("不存在的网站", "http://no-such-host.invalid/")
BATCH = "全省适老化检查"

PAGES: tuple[str, ...] = (
    "/", "/?category=bank", "/rankings", "/rankings?round=1",
    "/sites/{site0}", "/sites/{site1}", "/sites/{failed_site}",
    "/scans/{scan0}", "/scans/{scan1}", "/scans/{scan2}", "/scans/{scan3}", "/scans/{scan4}",
    "/scans/{failed}", "/scans/{queued}", "/scans/{given_up}",
    "/compare", "/compare?a={scan0}&b={scan0_next}", "/compare?a={scan0}&b={scan2}",
    "/compare?a=x&b=1", "/compare?a={scan0}&b=999999",
    "/login", "/login?why=expired",
    "/sites/999999", "/scans/999999",
    # the workbench, signed in as an admin (so every form is drawn)
    "/rankings?failing=1", "/compare/rounds", "/compare/rounds?batch={batch_name}&round=2",
    "/compare?site={site0}", "/schedules", "/schedules/{schedule}/delete", "/workbench",
    "/workbench/sites/new", "/sites/{site0}/edit", "/rounds/{batch}", "/rules",
    "/rules/contrast.text", "/rules/font.size",
)
"""Every dashboard page, by address; `{…}` names come from `Stored.ids`."""
TEXT_FORMATS = ("html", "md", "junit", "sarif", "csv", "xlsx")


@dataclass
class Stored:
    url: str
    data: Path
    ids: dict[str, int]
    reports: list[ScanReport]
    names: list[str]
    batch: int


def _scan(tmp: Path) -> tuple[list[tuple[ScanReport, Path]], ScanReport]:
    """The sites' scans replayed from their recordings (both viewports, probes, screenshots),
    and a scan of a host that does not resolve, which fails before it asks the browser."""
    from elderscan.runner.scan import scan_site

    async def run() -> tuple[list[tuple[ScanReport, Path]], ScanReport]:
        done = []
        for site, _name, _category, _region, lang in SCANNED:
            shots = tmp / f"shots-{site}"
            report = await recorded_scan(site, settings(axe=True,
                max_pages=2, screenshots_dir=shots, probes=True, viewport="both"), lang=lang)
            assert report.status == "ok", report.error
            done.append((report, shots))
        failed = await scan_site(UNRESOLVED[1], settings(axe=True, max_pages=1), lang="zh",
                                 driver=RecordedDriver(SCANNED[0][0], UNRESOLVED[1]))
        assert failed.status == "failed"
        return done, failed

    return asyncio.run(run())


def _save(engine: Engine, data: Path, scan_id: int, report: ScanReport,
          shots: Path | None) -> None:
    stored = report.model_copy(deep=True)
    if shots is not None:
        folder = data / "scans" / str(scan_id)
        shutil.copytree(shots, folder)
        for page in stored.pages:
            if page.screenshot:
                page.screenshot = str(folder / page.screenshot)
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, stored, data_root=data)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    tmp = tmp_path_factory.mktemp("onelanguage")
    data = tmp / "data"
    data.mkdir()
    url = f"sqlite:///{tmp / 'lang.db'}"
    scanned, failed = _scan(tmp)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ELDERSCAN_DATA_DIR", str(data))
        env.setenv("ELDERSCAN_DATABASE_URL", url)
        for name in ("ELDERSCAN_BROKER_URL", "ELDERSCAN_API_PUBLIC_READS"):
            env.delenv(name, raising=False)
        upgrade(url)
        engine = get_engine(url)
        with session_scope(engine) as session:
            sites = [upsert_site(session, name, report.target, category, region).id
                     for (_, name, category, region, _), (report, _) in zip(SCANNED, scanned,
                                                                            strict=True)]
            sites.append(upsert_site(session, UNRESOLVED[0], UNRESOLVED[1], "gov", "西藏").id)
        ids: dict[str, int] = {"failed_site": sites[-1]}
        for n in range(len(SCANNED)):
            ids[f"site{n}"] = sites[n]
        batch = 0
        for round_ in (1, 2):
            with session_scope(engine) as session:
                made = create_batch(session, BATCH, sites)
                batch = made.id
                scans = {s.site_id: s.id for s in made.scans}
            for n, (report, shots) in enumerate(scanned):
                _save(engine, data, scans[sites[n]], report, shots)
                ids[f"scan{n}" if round_ == 1 else f"scan{n}_next"] = scans[sites[n]]
            _save(engine, data, scans[sites[-1]], failed, None)
            ids["failed"] = scans[sites[-1]]
        with session_scope(engine) as session:
            ids["queued"] = enqueue_scan(session, upsert_site(
                session, "排队中的网站", "https://queued.example.org.cn/")).id
            given_up = enqueue_scan(session, upsert_site(
                session, "派发失败的网站", "https://dispatch.example.org.cn/")).id
            fail_scan(session, given_up, "dispatch",
                      "the runner refused the scan: [Errno 111] Connection refused")
            ids["given_up"] = given_up
        names = [name for _, name, *_ in SCANNED] + [UNRESOLVED[0], "排队中的网站",
                                                     "派发失败的网站", BATCH]
        yield Stored(url, data, ids, [r for r, _ in scanned] + [failed], names, batch)
        reset_engines()


@pytest.fixture(scope="module")
def client(stored: Stored) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ELDERSCAN_DATA_DIR", str(stored.data))
        env.setenv("ELDERSCAN_DATABASE_URL", stored.url)
        app = create_app(ApiSettings(PUBLIC_READS=True), database_url=stored.url,
                         submit=lambda ids: None)
        with session_scope(get_engine(stored.url)) as session:
            token = create_token(session, "省局管理员", "admin")
        with TestClient(app, base_url="http://dash.test") as test_client:
            signed = test_client.post("/login", data={"token": token, "next": "/"},
                                      headers={"Origin": "http://dash.test"},
                                      follow_redirects=False)
            assert signed.status_code == 303, signed.text
            made = test_client.post("/api/v1/schedules", headers={
                "Authorization": f"Bearer {token}"}, json={
                "name": BATCH, "kind": "weekly", "weekday": 0, "at": "08:00"})
            assert made.status_code == 201, made.text
            stored.ids["schedule"] = made.json()["id"]
            yield test_client


@pytest.fixture(scope="module")
def scanned(stored: Stored) -> list[str]:
    return scanned_strings(stored.reports, stored.names)


def _report(kind: str, lang: Lang, stored: Stored, scan: int) -> bytes:
    with session_scope(get_engine(stored.url)) as session:
        source = load_stored_scan(session, scan, data_root=stored.data)
    return FORMATS[kind].renderer()(source, lang)


def _readable(kind: str, body: bytes) -> str:
    """The words of a report a person reads, by format."""
    if kind == "html":
        return html_text(body.decode("utf-8"))
    if kind == "md":
        text = html.unescape(body.decode("utf-8").replace("<br>", "\n"))
        text = re.sub(r"\\(.)", r"\1", text).replace("@\u200b", "@")  # md()'s escapes
        return "\n".join(line for line in text.splitlines() if not line.startswith("<sub>"))
    if kind == "junit":
        root = ET.fromstring(body)
        parts = []
        for element in root.iter():
            if element.tag in ("system-err", "property"):  # raw diagnostics, page facts
                continue
            parts += [element.get("message") or "", element.text or ""]
            if element.tag == "testcase":
                parts.append(element.get("name") or "")
        return "\n".join(parts)
    if kind == "sarif":
        log = json.loads(body)
        run = log["runs"][0]
        parts = [r["message"]["text"] for r in run["results"]]
        for rule in run["tool"]["driver"]["rules"]:
            parts += [rule["shortDescription"]["text"], rule["fullDescription"]["text"],
                      rule["help"]["text"]]
        for note in run["invocations"][0].get("toolExecutionNotifications", []):
            parts.append(note["message"]["text"])
        return "\n".join(parts)
    if kind == "csv":
        return body.decode("utf-8-sig").splitlines()[0]
    if kind == "xlsx":
        book = load_workbook(io.BytesIO(body), read_only=True)
        parts = list(book.sheetnames)
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            if sheet.title in ("概览", "Summary"):  # label and value pairs: the labels
                parts += [str(r[0]) for r in rows if r and r[0] is not None]
            elif rows:
                parts += [str(c) for c in rows[0] if c is not None]
        return "\n".join(parts)
    raise AssertionError(kind)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_dashboard_page_is_in_one_language(client: TestClient, stored: Stored,
                                                 scanned: list[str], lang: Lang) -> None:
    mixed: dict[str, list[str]] = {}
    for pattern in PAGES:
        path = pattern.format(**stored.ids, batch=stored.batch, batch_name=BATCH)
        response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert response.headers["content-type"].startswith("text/html"), path
        found = other_language(html_text(response.text), lang, scanned)
        if found:
            mixed[path] = found
    assert not mixed, json.dumps(mixed, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_report_format_is_in_one_language(stored: Stored, scanned: list[str],
                                                lang: Lang) -> None:
    scans = [stored.ids[f"scan{n}"] for n in range(len(SCANNED))] + [stored.ids["failed"]]
    mixed: dict[str, list[str]] = {}
    for kind in TEXT_FORMATS:
        for scan in scans:
            found = other_language(_readable(kind, _report(kind, lang, stored, scan)), lang,
                                   scanned)
            if found:
                mixed[f"{kind} of scan {scan}"] = found
    with session_scope(get_engine(stored.url)) as session:
        rows = batch_ranking(session, stored.batch)
    for kind, body in (("csv", ranking_csv(rows, lang)), ("xlsx", ranking_xlsx(rows, lang))):
        found = other_language(_readable(kind, body), lang, scanned)
        if found:
            mixed[f"ranking {kind}"] = found
    assert not mixed, json.dumps(mixed, ensure_ascii=False, indent=1)


def test_the_check_sees_the_other_language(scanned: list[str]) -> None:
    """The eyes work: our own words of the wrong language are found, the site's are not."""
    page = ('<html lang="en"><body><p>Scanned <span data-scanned>临溪县人民政府</span></p>'
            '<p>状态：完成</p><a lang="zh" href="?lang=zh">中文</a></body></html>')
    assert other_language(html_text(page), "en", scanned) == ["状态：完成"]
    assert other_language("总分 60 px · not scored", "zh", scanned) == [
        "not scored  ⟵  总分 60 px · not scored"]
    assert other_language("图像必须有替代文本（axe-core 规则 image-alt）", "zh", scanned) == []
    assert other_language("Total: 60", "en", scanned) == []
    assert other_language("Total：60", "en", scanned) == ["Total：60"]
