"""API fixtures: a real, migrated SQLite store per test, tokens of both roles, and a client.

Most tests hand new scans to a recorder instead of the runner, so they do not start Chromium;
`test_api_e2e.py` uses the real `elderscan.runner.dispatch.submit_scans`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from conftest import copy_store
from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.contract import ScanReport
from elderscan.store import (
    claim_scan,
    create_batch,
    create_token,
    enqueue_scan,
    get_engine,
    reset_engines,
    save_result,
    session_scope,
    upsert_site,
)

API = "/api/v1"


@dataclass
class Recorder:
    """Stands in for the runner: remembers the scan ids it was given."""

    calls: list[list[int]] = field(default_factory=list)
    fail: Exception | None = None

    def __call__(self, scan_ids: list[int]) -> None:
        if self.fail is not None:
            raise self.fail
        self.calls.append(list(scan_ids))

    @property
    def ids(self) -> list[int]:
        return [i for call in self.calls for i in call]


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           migrated_sqlite: Path) -> Iterator[str]:
    """A migrated SQLite store in tmp_path, named by the environment (as `serve` sees it)."""
    data = tmp_path / "data"
    data.mkdir()
    url = copy_store(migrated_sqlite, tmp_path / "api.db")
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(data))
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
    for name in ("ELDERSCAN_BROKER_URL", "ELDERSCAN_ALLOW_HOSTS", "ELDERSCAN_API_PUBLIC_READS"):
        monkeypatch.delenv(name, raising=False)
    yield url
    reset_engines()


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


@pytest.fixture
def tokens(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as session:
        return {"admin": create_token(session, "test admin", "admin"),
                "read": create_token(session, "test reader", "read")}


@pytest.fixture
def admin(tokens: dict[str, str]) -> dict[str, str]:
    """Headers with the admin token."""
    return {"Authorization": f"Bearer {tokens['admin']}"}


@pytest.fixture
def reader(tokens: dict[str, str]) -> dict[str, str]:
    """Headers with the read token."""
    return {"Authorization": f"Bearer {tokens['read']}"}


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_client(db_url: str, recorder: Recorder) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make(settings: ApiSettings | None = None, **kwargs: Any) -> TestClient:
        kwargs.setdefault("submit", recorder)
        client = TestClient(create_app(settings, **kwargs))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Any) -> TestClient:
    result: TestClient = make_client()
    return result


# ------------------------------------------------------------------------- stored scans

DIMENSIONS = ("elder_mode", "font", "contrast", "voice", "ads", "accessibility")


def report(target: str, total: float | None, *, problems: tuple[str, ...] = (),
           finished_at: str = "2026-11-24T08:10:00Z", title: str = "某市人民政府") -> ScanReport:
    """A small contract-valid result: one page, a contrast failure per selector in
    `problems`, and a passing finding."""
    findings = [{"rule": "contrast.text", "outcome": "fail", "severity": "serious",
                 "clause": "WCAG 1.4.3", "selector": sel, "box": [1, 2, 3, 4], "value": 2.5,
                 "threshold": 4.5, "message": f"low contrast {sel}"} for sel in problems]
    findings.append({"rule": "font.size", "outcome": "pass", "severity": "moderate",
                     "clause": "APP 1.1", "message": "ok"})
    dims = None if total is None else dict.fromkeys(DIMENSIONS, total)
    return ScanReport.model_validate({
        "target": target, "started_at": "2026-11-24T08:00:00Z", "finished_at": finished_at,
        "status": "ok", "error": None,
        "engine": {"elderscan": "0.1.0", "chromium": "156.0", "axe_core": "4.12.1",
                   "ruleset": "rules-test", "scoring_model": "score-test"},
        "score": {"total": total, "pass_line": 60, "passed": None if total is None else
                  total >= 60, "grade": None if total is None else "C",
                  "dimensions": dims or dict.fromkeys(DIMENSIONS), "vetoes": [],
                  "model": "score-test", "best_mode": {}, "unscored": []},
        "pages": [{"url": target, "final_url": target, "http_status": 200, "mode": "standard",
                   "viewport": "desktop", "title": title, "screenshot": None,
                   "metrics": {"font": {"dominant_px": 14}}, "findings": findings}],
        "summary": {"pages": 1, "fail": len(problems), "review": 0, "pass": 1},
    })


class StoreData:
    """Writes finished scans and batches straight into the store, as the runner would."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def scan(self, url: str, total: float | None, *, name: str | None = None,
             category: str | None = None, region: str | None = None,
             problems: tuple[str, ...] = (), finished_at: str = "2026-11-24T08:10:00Z",
             title: str = "某市人民政府") -> int:
        """A finished one-off scan of `url`; returns its id."""
        with session_scope(self.engine) as session:
            site = upsert_site(session, name, url, category, region)
            scan_id = enqueue_scan(session, site).id
        with session_scope(self.engine) as session:
            claim_scan(session, scan_id, "test")
            save_result(session, scan_id, report(url, total, problems=problems,
                                                 finished_at=finished_at, title=title))
        return scan_id

    def queued(self, url: str) -> int:
        with session_scope(self.engine) as session:
            return enqueue_scan(session, upsert_site(session, None, url)).id

    def batch(self, name: str, sites: list[tuple[str, str, str, str, float]]) -> int:
        """A finished batch round: sites as (name, url, category, region, total)."""
        with session_scope(self.engine) as session:
            rows = [upsert_site(session, n, u, c, r) for n, u, c, r, _ in sites]
            batch = create_batch(session, name, rows)
            batch_id = batch.id
            scans = {s.site_id: s.id for s in batch.scans}
            site_ids = [row.id for row in rows]
        for (_, url, _, _, total), site_id in zip(sites, site_ids, strict=True):
            with session_scope(self.engine) as session:
                claim_scan(session, scans[site_id], "test")
                save_result(session, scans[site_id], report(url, total))
        return batch_id


@pytest.fixture
def store(engine: Engine) -> StoreData:
    return StoreData(engine)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright, for the tests that read the dashboard as a
    person's browser shows it (one per test module)."""
    from playwright.sync_api import sync_playwright

    from elderscan.scanner._chromium import find_chromium

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield launched
        launched.close()
