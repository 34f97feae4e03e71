"""Rounds on SQLite and PostgreSQL: starting one (the function a schedule calls), its live
progress, and cancelling it while a scan runs."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from elderscan.runner.rounds import RunnerUnavailable, start_next_round, start_round
from elderscan.store import claim_scan, fail_scan, session_scope, upsert_site
from elderscan.store.models import Scan
from elderscan.store.rounds import cancel_round, recent_rounds, round_progress


def _sites(engine: Engine, n: int) -> list[int]:
    with session_scope(engine) as session:
        return [upsert_site(session, f"S{i}", f"https://s{i}.gov.cn/").id for i in range(n)]


def test_start_watch_cancel(engine: Engine) -> None:
    submitted: list[list[int]] = []
    started = start_round("audit", _sites(engine, 3), {"max_pages": 1}, engine=engine,
                          submit=submitted.append)
    assert (started.round, len(started.scan_ids)) == (1, 3) and submitted == [started.scan_ids]
    first, second, third = started.scan_ids
    with session_scope(engine) as session:
        assert claim_scan(session, first, "w1") is not None
    with session_scope(engine) as session:
        live = round_progress(session, started.batch_id)
    assert (live.status, live.running, live.queued, live.finished) == ("running", 1, 2, False)
    with session_scope(engine) as session:
        assert cancel_round(session, started.batch_id, "test admin") == 2
    with session_scope(engine) as session:  # a runner that picks a cancelled scan skips it
        assert claim_scan(session, second, "w2") is None
        assert session.get(Scan, third).status == "failed"  # type: ignore[union-attr]
        live = round_progress(session, started.batch_id)
    assert (live.status, live.cancelled, live.running, live.finished) == ("cancelled", 2, 1,
                                                                          False)
    with session_scope(engine) as session:  # the running scan may still finish
        fail_scan(session, first, "dns", "no such host")
    with session_scope(engine) as session:
        live = round_progress(session, started.batch_id)
        rounds = recent_rounds(session)
    assert live.finished and [s.status for s in live.sites] == ["failed", "cancelled",
                                                                "cancelled"]
    assert live.sites[0].error_code == "dns"
    assert [(r.name, r.round, r.status) for r in rounds] == [("audit", 1, "cancelled")]

    again = start_next_round("audit", engine=engine, submit=submitted.append,
                             allow_hosts=["intranet.example.gov.cn"])
    assert again.round == 2 and len(again.scan_ids) == 3
    with session_scope(engine) as session:  # always behind the address guard
        assert session.get(Scan, again.scan_ids[0]).options == {  # type: ignore[union-attr]
            "max_pages": 1, "guard_addresses": True, "allow_hosts": ["intranet.example.gov.cn"]}


def test_a_refused_round_fails_its_scans(engine: Engine) -> None:
    def refuse(ids: list[int]) -> None:
        raise ConnectionError("broker down")

    with pytest.raises(RunnerUnavailable, match="broker down"):
        start_round("down", _sites(engine, 2), engine=engine, submit=refuse)
    with session_scope(engine) as session:
        live = round_progress(session, recent_rounds(session)[0].id)
    assert live.finished and {s.error_code for s in live.sites} == {"dispatch"}


def test_sites_added_and_edited_by_hand_stay_apart(engine: Engine) -> None:
    from elderscan.store.siteedit import SiteTaken, add_site, edit_site

    with session_scope(engine) as session:
        first = add_site(session, "www.a.gov.cn", "甲", "gov", "北京", ["老年", "老年 "])
        second = add_site(session, "https://b.gov.cn/")
        ids = first.id, second.id
        assert (first.url, first.tags, second.name, second.category) == (
            "https://www.a.gov.cn/", ["老年"], "b.gov.cn", "other")
    with session_scope(engine) as session, pytest.raises(SiteTaken) as taken:
        add_site(session, "http://a.gov.cn")
    assert taken.value.site_id == ids[0]
    with session_scope(engine) as session, pytest.raises(SiteTaken):
        edit_site(session, ids[1], url="www.a.gov.cn")
    with session_scope(engine) as session:
        site = edit_site(session, ids[1], url="https://c.gov.cn/x", name="丙", region="",
                         tags=[])
        assert (site.url, site.url_key, site.name, site.region) == (
            "https://c.gov.cn/x", "c.gov.cn/x", "丙", None)
