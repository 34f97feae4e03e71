"""A stored finding knows its index among its page's findings, so readers find the row of a
result finding without relying on rows being numbered in insertion order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from elderscan.contract import ScanReport
from elderscan.store import enqueue_scan, make_engine, save_result, session_scope, upgrade
from elderscan.store import upsert_site as add_site
from elderscan.store.lookups import finding_ids
from elderscan.store.models import FindingRow


@pytest.fixture
def at_0005(backend: str, tmp_path: Path,
            fresh_pg: Callable[[], AbstractContextManager[str]]) -> Iterator[str]:
    """A database at the revision before findings had positions."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        upgrade(url, "0005")
        yield url
        return
    with fresh_pg() as url:
        upgrade(url, "0005")
        yield url


def test_upgrade_numbers_the_findings_already_stored(at_0005: str) -> None:
    engine = make_engine(at_0005)
    try:
        with engine.begin() as conn:
            for statement in (
                "INSERT INTO sites (id, name, url, url_key, category, tags, created_at, "
                "updated_at) VALUES (1, 's', 'https://a.cn/', 'a.cn/', 'gov', '[]', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                "INSERT INTO scans (id, site_id, status, target, options, attempts, created_at, "
                "vetoes, pages_count, failed_pages, fail_count, review_count, pass_count) "
                "VALUES (1, 1, 'done', 'https://a.cn/', '{}', 1, CURRENT_TIMESTAMP, '[]', "
                "2, 0, 5, 0, 0)",
                "INSERT INTO pages (id, scan_id, position, url, url_template, viewport, mode) "
                "VALUES (1, 1, 0, 'https://a.cn/', '/', 'desktop', 'standard'), "
                "(2, 1, 1, 'https://a.cn/b', '/b', 'desktop', 'standard')",
            ):
                conn.execute(text(statement))
            for finding_id, page_id in ((1, 1), (2, 2), (3, 1), (4, 2), (5, 1)):
                conn.execute(text(
                    "INSERT INTO findings (id, scan_id, page_id, rule, outcome, severity, "
                    "clause, message, fingerprint) VALUES (:id, 1, :page, 'r', 'fail', "
                    "'serious', 'c', 'm', 'f')"), {"id": finding_id, "page": page_id})
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, position FROM findings ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, 0), (2, 0), (3, 1), (4, 1), (5, 2)]
    finally:
        engine.dispose()


def test_finding_ids_follow_the_result(engine: Engine, build: Any) -> None:
    pages = [build.page(f"https://www.example.gov.cn/{n}", [
        build.finding(f"rule.{n}.{i}", "fail", f"p.{i}") for i in range(3)]) for n in range(2)]
    report: ScanReport = build.report(pages=pages)
    with session_scope(engine) as session:
        scan_id = enqueue_scan(session, add_site(session, None, report.target)).id
        save_result(session, scan_id, report)
    with session_scope(engine) as session:
        ids = finding_ids(session, scan_id)
        rules = {r.id: r.rule for r in session.execute(select(FindingRow.id, FindingRow.rule))}
    assert {key: rules[row] for key, row in ids.items()} == {
        (n, i): f"rule.{n}.{i}" for n in range(2) for i in range(3)}
