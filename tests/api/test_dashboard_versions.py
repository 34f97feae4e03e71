"""The dashboard shows versions: the site page lists the latest scan's, the rankings have a
column and a filter. Two lang-* sites' saved results (tests/saved_results: real scans, kept
current by tests/test_saved_results.py), stored in SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.saved_results import load

from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.store import (
    claim_scan,
    create_batch,
    get_engine,
    reset_engines,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)

BATCH = "自治区网站版本检查"


@dataclass
class Stored:
    url: str
    data: Path
    tibet: int
    trad: int


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    tmp = tmp_path_factory.mktemp("dash-versions")
    reports = {slug: load(slug).report for slug in ("lang-tibet-broken", "lang-trad")}
    url = f"sqlite:///{tmp / 'dash.db'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ELDERSCAN_DATA_DIR", str(tmp / "data"))
        env.setenv("ELDERSCAN_DATABASE_URL", url)
        upgrade(url)
        engine = get_engine(url)
        with session_scope(engine) as session:
            sites = [upsert_site(session, "某县人民政府", reports["lang-tibet-broken"].target,
                                 "gov", "西藏"),
                     upsert_site(session, "东川省人民政府", reports["lang-trad"].target, "gov",
                                 "东川省")]
            ids = [s.id for s in sites]
            batch = create_batch(session, BATCH, ids)
            scans = {s.site_id: s.id for s in batch.scans}
        for site_id, slug in zip(ids, ("lang-tibet-broken", "lang-trad"), strict=True):
            with session_scope(engine) as session:
                claim_scan(session, scans[site_id], "test")
                save_result(session, scans[site_id], reports[slug], data_root=tmp / "data")
        yield Stored(url, tmp / "data", ids[0], ids[1])
        reset_engines()


@pytest.fixture
def client(stored: Stored) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ELDERSCAN_DATA_DIR", str(stored.data))
        env.setenv("ELDERSCAN_DATABASE_URL", stored.url)
        app = create_app(ApiSettings(PUBLIC_READS=True), database_url=stored.url,
                         submit=lambda ids: None)
        with TestClient(app, base_url="http://dash.test") as test_client:
            yield test_client


def test_site_page_lists_the_latest_scans_versions(client: TestClient, stored: Stored) -> None:
    tibet = client.get(f"/sites/{stored.tibet}").text
    assert "其他版本（民族语言、繁體、英文、简洁版）" in tibet
    assert "藏文（bo）" in tibet and "“བོད་ཡིག 藏文版”" in tibet
    assert '<td data-label="HTTP 状态" class="num">404</td>' in tibet
    trad = client.get(f"/sites/{stored.trad}", params={"lang": "en"}).text
    assert "traditional Chinese (zh-Hant)" in trad and "in-page switch" in trad
    assert "sub-domain" in trad and "Russian (ru)" in trad


def test_rankings_have_a_versions_column_and_filter(client: TestClient) -> None:
    page = client.get("/rankings", params={"batch": BATCH}).text
    assert "<th scope=\"col\">版本</th>" in page
    assert "藏文（bo）" in page and "繁體中文（zh-Hant） · 英文（en） · 俄文（ru）" in page
    assert '<option value="bo">藏文（bo）</option>' in page
    only = client.get("/rankings", params={"batch": BATCH, "version": "zh-Hant"}).text
    assert "东川省人民政府" in only and "某县人民政府" not in only
    unknown = client.get("/rankings", params={"batch": BATCH, "version": "<x>"}).text
    assert "东川省人民政府" in unknown and "某县人民政府" in unknown
