"""The dashboard's fix help on a real scan of the fix-help fixture page (as Chromium scanned it:
tests/saved_results/fixhelp; a real migrated store): snippets escaped, colour pairs grouped with a
suggested colour, every rule linked to its page, and the rule pages in both languages; on SQLite
and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.saved_results import load

from conftest import copy_store
from elderscan.contract import ScanReport
from elderscan.store import (
    claim_scan,
    enqueue_scan,
    make_engine,
    reset_engines,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)
from elderscan.store.models import Base
from store.conftest import fresh_pg_database

from .conftest import StoreData

_SCANNED: list[ScanReport] = []


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with fresh_pg_database("elderscan_fixhelp") as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The API conftest's store, on both databases (PostgreSQL emptied for each test)."""
    data = tmp_path / "data"
    data.mkdir()
    if request.param == "sqlite":
        url = copy_store(request.getfixturevalue("migrated_sqlite"), tmp_path / "api.db")
    else:
        url = str(request.getfixturevalue("pg_database"))
        reset_engines()
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        finally:
            engine.dispose()
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(data))
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
    for name in ("ELDERSCAN_BROKER_URL", "ELDERSCAN_API_PUBLIC_READS"):
        monkeypatch.delenv(name, raising=False)
    yield url
    reset_engines()


@pytest.fixture(scope="module")
def fixhelp_report() -> Iterator[ScanReport]:
    """The fix-help page as Chromium scanned it (tests/recorded, kept equal to a live scan)."""
    report = load("fixhelp").report
    assert report.status == "ok", report.error
    yield report


def _signed_in(client: TestClient, admin: dict[str, str]) -> None:
    origin = str(client.base_url).rstrip("/")
    token = admin["Authorization"].removeprefix("Bearer ")
    answer = client.post("/login", headers={"Origin": origin}, data={"token": token})
    assert answer.status_code in (200, 303), answer.text


def _stored(store: StoreData, report: ScanReport) -> int:
    with session_scope(store.engine) as session:
        scan_id = enqueue_scan(session, upsert_site(session, "整改帮助示例", report.target,
                                                    "gov", None)).id
    with session_scope(store.engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, report)
    return scan_id


def test_the_scan_page_shows_fix_help(client: TestClient, admin: dict[str, str],
                                      store: StoreData, fixhelp_report: ScanReport) -> None:
    scan_id = _stored(store, fixhelp_report)
    _signed_in(client, admin)
    dates = sum(1 for p in fixhelp_report.pages for f in p.findings
                if f.rule == "contrast.text" and f.data.get("color") == "#999999")
    en = client.get(f"/scans/{scan_id}?lang=en")
    assert en.status_code == 200
    html = en.text
    # scanned markup is shown as text, never as markup
    assert "<script>alert(2)" not in html and "<img src=x onerror" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;span class=&#34;date&#34; id=&#34;d1&#34;&gt;2024-05-01 发布&lt;/span&gt;" in html
    # the dates are one group with a suggestion and a swatch, not one row each
    assert f"{dates} elements: #999999 on #ffffff, 2.85:1, needs 4.5:1 — suggest #767676" in html
    assert 'fill="#767676"' in html
    assert not re.search(r'<[a-z]+ [^>]*style="', html)  # the CSP forbids inline style
    rule_block = html.split('id="rule-contrast-text"', 1)[1].split("</section>", 1)[0]
    problems = rule_block.split('<ol class="problems">', 1)[1]
    assert "#d1" not in problems  # folded into the group, not listed again
    # translucent text shows the colour judged and the one declared
    assert "the translucent rgba(0, 0, 0, 0.5)" in html and "#808080" in html
    # every rule with problems links to its page
    linked = set(re.findall(r'class="rule-link" href="/rules/([^"?]+)', html))
    assert {"contrast.text"} <= linked
    # the fix help's own words are English, with ASCII punctuation (scanned text aside)
    blocks = re.findall(r'<div class="(?:fixhelp|colour-group finding)">(.*?)</div>', html, re.S)
    assert len(blocks) >= 3
    for block in blocks:
        words = re.sub(r"<pre.*?</pre>|<code>.*?</code>", "", block, flags=re.S)
        words = re.sub(r"文字“.*?”|“.*?”", "", words)
        assert not re.search(r"[：（），]", words), words
    zh = client.get(f"/scans/{scan_id}?lang=zh").text
    assert f"{dates} 个元素：#999999 在 #ffffff 上" in zh and "规则说明与整改方法" in zh


def test_rule_pages_explain_and_say_how_to_fix(client: TestClient,
                                               admin: dict[str, str]) -> None:
    _signed_in(client, admin)
    en = client.get("/rules/contrast.text?lang=en")
    assert en.status_code == 200
    assert "Text has enough contrast with its background" in en.text
    assert "WCAG 1.4.3" in en.text and "Darken the text" in en.text
    zh = client.get("/rules/contrast.text?lang=zh").text
    assert "如何整改" in zh and "加深" in zh and "为什么重要" in zh
    axe = client.get("/rules/wcag.image-alt?lang=en")
    assert axe.status_code == 200 and "image-alt" in axe.text and "alternative text" in axe.text
    veto = client.get("/rules/ads.elder-mode?lang=en").text
    assert "A veto" in veto
    missing = client.get("/rules/no.such-rule?lang=en")
    assert missing.status_code == 404 and "no.such-rule" in missing.text
    listing = client.get("/rules?lang=en").text
    assert listing.count('href="/rules/') >= 20


def test_rule_pages_need_a_sign_in(client: TestClient) -> None:
    answer = client.get("/rules/contrast.text", follow_redirects=False)
    assert answer.status_code == 303 and "/login" in answer.headers["location"]
