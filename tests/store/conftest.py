"""Store fixtures: a real SQLite file per test and a real PostgreSQL database per session.

PostgreSQL must answer at 127.0.0.1:5432 (trust auth, user `postgres` or `root`, database
`test`); CI starts it. If it does not answer, the PostgreSQL half of these tests FAILS with a
message saying so — it is never skipped. Each session creates its own uniquely named database
and drops it at the end.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, text

from conftest import copy_store
from elderscan.contract import Engine as EngineVersions
from elderscan.contract import PageResult, ScanReport, Summary
from elderscan.finding import Finding
from elderscan.store import make_engine, reset_engines, upgrade
from elderscan.store.models import Base

PG_HOST, PG_PORT, PG_ADMIN_DB = "127.0.0.1", 5432, "test"
PG_USERS = ("postgres", "root")
DATA = Path(__file__).resolve().parent / "data"
REAL_REPORT = DATA / "gov-elder-link.json"


def _admin() -> tuple[psycopg.Connection[Any], str]:
    errors = []
    for user in PG_USERS:
        try:
            conn = psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname=PG_ADMIN_DB,
                                   autocommit=True, connect_timeout=5)
            return conn, user
        except psycopg.Error as exc:
            errors.append(f"{user}: {' '.join(str(exc).split())}")
    pytest.fail(f"PostgreSQL is not answering at {PG_HOST}:{PG_PORT} (database {PG_ADMIN_DB!r}, "
                f"users {'/'.join(PG_USERS)}, trust auth) — start it (CI's .ci/run does). "
                + "; ".join(errors), pytrace=False)


@contextmanager
def fresh_pg_database(prefix: str = "elderscan_test") -> Iterator[str]:
    """A new, empty, uniquely named PostgreSQL database; dropped on exit."""
    conn, user = _admin()
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        reset_engines()
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        conn.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """This session's PostgreSQL database, migrated to head once."""
    with fresh_pg_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def fresh_pg() -> Callable[[], Any]:
    return fresh_pg_database


def _truncate(engine: Engine) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(root))
    monkeypatch.delenv("ELDERSCAN_DATABASE_URL", raising=False)
    return root


@pytest.fixture
def db_url(backend: str, tmp_path: Path, data_root: Path,
           request: pytest.FixtureRequest) -> str:
    """A migrated, empty database of the test's backend."""
    if backend == "sqlite":
        return copy_store(request.getfixturevalue("migrated_sqlite"), tmp_path / "store.db")
    url = str(request.getfixturevalue("pg_url"))
    engine = make_engine(url)
    try:
        _truncate(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


# ------------------------------------------------------------------------------ scan reports


@pytest.fixture(scope="session")
def real_report() -> ScanReport:
    """A real result: `elderscan scan --json` of the bundled gov-elder-link fixture site."""
    return ScanReport.model_validate(json.loads(REAL_REPORT.read_text("utf-8")))


def finding(rule: str, outcome: str = "fail", selector: str | None = None,
            severity: str = "serious", value: float | str | None = 2.5,
            threshold: float | str | None = 4.5) -> Finding:
    return Finding.model_validate({
        "rule": rule, "outcome": outcome, "severity": severity, "clause": "WCAG 1.4.3",
        "selector": selector, "box": (10.0, 20.0, 100.0, 16.0) if selector else None,
        "value": value, "threshold": threshold, "message": f"{rule} {outcome} {selector}"})


def page(url: str, findings: list[Finding], mode: str = "standard", status: int | None = 200,
         screenshot: str | None = None) -> PageResult:
    return PageResult.model_validate({
        "url": url, "final_url": url, "http_status": status, "mode": mode,
        "viewport": "desktop", "title": "某市人民政府", "screenshot": screenshot,
        "metrics": {} if findings and findings[0].rule == "page.load" else
        {"font": {"dominant_px": 14}}, "findings": findings})


def report(target: str = "https://www.example.gov.cn/", total: float | None = 71.5,
           dims: dict[str, float | None] | None = None, pages: list[PageResult] | None = None,
           status: str = "ok", finished_at: str = "2026-11-24T08:10:00Z",
           vetoes: list[dict[str, str]] | None = None) -> ScanReport:
    """A ScanReport built from the contract's pydantic models."""
    pages = pages if pages is not None else [page(target, [finding("contrast.text", "fail",
                                                                   "p.note")])]
    dims = dims if dims is not None else {"elder_mode": 80, "font": 65, "contrast": 70,
                                          "voice": 60, "ads": 100, "accessibility": 74}
    findings = [f for p in pages for f in p.findings]
    score = None if status == "failed" else {
        "total": total, "pass_line": 60, "passed": None if total is None else total >= 60,
        "grade": None if total is None else ("A" if total >= 90 else "C"),
        "dimensions": dims, "vetoes": vetoes or [], "model": "elderscan-score-test",
        "best_mode": {}, "unscored": [],
    }
    return ScanReport.model_validate({
        "target": target, "started_at": "2026-11-24T08:00:00Z", "finished_at": finished_at,
        "status": status,
        "error": {"code": "dns", "message": "name not resolved"} if status == "failed" else None,
        "engine": EngineVersions(elderscan="0.1.0", chromium="156.0.1", axe_core="4.12.1",
                                 ruleset="rules-test", scoring_model="elderscan-score-test"),
        "score": score, "pages": pages,
        "summary": Summary.model_validate({
            "pages": len(pages), "fail": sum(f.outcome == "fail" for f in findings),
            "review": sum(f.outcome == "review" for f in findings),
            "pass": sum(f.outcome == "pass" for f in findings),
            "failed_pages": sum(1 for p in pages if p.findings and p.findings[0].rule ==
                                "page.load")}),
    })


class Build:
    """Report builders, handed to tests as the `build` fixture."""

    finding = staticmethod(finding)
    page = staticmethod(page)
    report = staticmethod(report)


@pytest.fixture(scope="session")
def build() -> type[Build]:
    return Build
