"""Review decisions in the store: two people deciding the same finding at the same moment on
PostgreSQL leave one decision (the later) and both actions in the audit trail, not an error."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from elderscan.store import (
    claim_scan,
    enqueue_scan,
    make_engine,
    save_result,
    session_scope,
    upsert_site,
)
from elderscan.store.models import FindingRow, ReviewDecision, ReviewEvent
from elderscan.store.reviews import decide
from store.conftest import _truncate


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    _truncate(engine)
    yield engine
    engine.dispose()


def _review_scan(engine: Engine, build: Any) -> tuple[int, int]:
    url = "https://www.example.gov.cn/"
    report = build.report(url, pages=[build.page(url, [
        build.finding("contrast.over-image", "review", "#hero"),
        build.finding("contrast.text", "fail", "p.note")])])
    with session_scope(engine) as session:
        scan_id = enqueue_scan(session, upsert_site(session, "某市人民政府", url)).id
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, report)
        finding_id = session.execute(select(FindingRow.id).where(
            FindingRow.scan_id == scan_id, FindingRow.outcome == "review")).scalar_one()
    return scan_id, finding_id


def test_two_first_decisions_at_once_leave_one_and_audit_both(pg: Engine, build: Any) -> None:
    scan_id, finding_id = _review_scan(pg, build)
    first = Session(pg)
    decide(first, scan_id, finding_id, "confirm", None, "甲")  # inserted, not committed
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with session_scope(pg) as session:
                decide(session, scan_id, finding_id, "waive", "乙核对过", "乙")
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=second)
    thread.start()
    deadline = time.monotonic() + 20
    with pg.connect() as probe:  # wait until the second insert waits on the first's row
        while not probe.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                                ).scalar():
            assert time.monotonic() < deadline, "the second decision never waited"
            time.sleep(0.05)
    first.commit()
    first.close()
    thread.join(20)
    assert errors == []
    with session_scope(pg) as session:
        decisions = session.execute(select(ReviewDecision)).scalars().all()
        assert [(d.kind, d.decided_by, d.reason) for d in decisions] == [
            ("waive", "乙", "乙核对过")]
        events = session.execute(select(ReviewEvent).order_by(ReviewEvent.id)).scalars().all()
        assert [(e.action, e.previous, e.actor) for e in events] == [
            ("confirm", None, "甲"), ("waive", "confirm", "乙")]
