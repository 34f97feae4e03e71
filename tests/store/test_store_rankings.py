"""Every site of a round is ranked (failed ones last, with their reason), with its change against
the previous round; the failing filter, group summaries, veto findings and the lists of rounds
and scans — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from elderscan.finding import Finding
from elderscan.reports.rankings import change_text, direction, reason, veto_texts
from elderscan.store import (
    claim_scan,
    create_batch,
    fail_scan,
    save_result,
    session_scope,
    upsert_site,
)
from elderscan.store.db import NotFound
from elderscan.store.listings import list_batches, list_scans
from elderscan.store.models import Batch, Scan
from elderscan.store.rankings import (
    batch_names,
    batch_ranking,
    newest_batch,
    previous_round,
    summarise,
    veto_findings,
)

SITES = [("北京市政府", "https://www.beijing.gov.cn/", "gov", "北京"),
         ("上海市政府", "https://www.shanghai.gov.cn/", "gov", "上海"),
         ("北京银行", "https://www.bankofbeijing.com.cn/", "bank", "北京"),
         ("停用的区政府", "https://gone.example.gov.cn/", "gov", "北京"),
         ("排队的银行", "https://queued.example.com.cn/", "bank", "上海")]
POPUP = {"rule": "ads.elder-mode", "outcome": "fail", "severity": "critical",
         "clause": "适老化通用设计规范 5.2", "selector": "div.popup", "box": [1, 2, 300, 200],
         "value": None, "threshold": None, "message": "页面加载后弹出遮挡 50% 首屏的弹窗“领取补贴”",
         "message_key": "ads.elder-mode.popup", "data": {"text": "领取补贴", "coverage": 0.5}}


def _round(engine: Engine, build: Any, name: str, totals: dict[str, float | str | None],
           created: datetime) -> int:
    """A round of `name` over SITES: a number is a done scan's total, "dns" a failed scan,
    a missing site stays queued; the round's creation time is set to `created`."""
    with session_scope(engine) as s:
        ids = {n: upsert_site(s, n, u, c, r).id for n, u, c, r in SITES}
        batch = create_batch(s, name, list(ids.values()))
        batch_id = batch.id
        scans = {n: int(s.execute(select(Scan.id).where(Scan.batch_id == batch_id,
                                                         Scan.site_id == i)).scalar_one())
                 for n, i in ids.items()}
        s.execute(update(Batch).where(Batch.id == batch_id).values(created_at=created))
    for site, total in totals.items():
        url = next(u for n, u, _, _ in SITES if n == site)
        with session_scope(engine) as s:
            claim_scan(s, scans[site], "w1")
        with session_scope(engine) as s:
            if total == "dns":
                fail_scan(s, scans[site], "dns",
                          "https://gone.example.gov.cn/: [Errno -2] Name or service not known")
                continue
            assert not isinstance(total, str)
            pages = None
            vetoes = None
            if site == "北京银行":
                # the veto's finding is the third of the second page
                pages = [build.page(url, [build.finding("contrast.text", "fail", "p.a")]),
                         build.page(url + "news/", [
                             build.finding("contrast.text", "fail", "p.b"),
                             build.finding("font.size", "pass"),
                             Finding.model_validate(POPUP)])]
                vetoes = [{"rule": "ads.elder-mode", "message": POPUP["message"]}]
            save_result(s, scans[site], build.report(target=url, total=total, pages=pages,
                                                     vetoes=vetoes))
    return batch_id


T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def test_every_site_of_the_round_is_listed(engine: Engine, build: Any) -> None:
    first = _round(engine, build, "省级检查", {"北京市政府": 70.0, "上海市政府": 80.0,
                                           "北京银行": 55.0, "停用的区政府": 40.0}, T0)
    second = _round(engine, build, "省级检查", {"北京市政府": 75.5, "上海市政府": 62.0,
                                            "北京银行": 55.0, "停用的区政府": "dns"},
                    T0 + timedelta(days=30))
    with session_scope(engine) as s:
        rows = batch_ranking(s, second)
        assert [(r.rank, r.name, r.status) for r in rows] == [
            (1, "北京市政府", "done"), (2, "上海市政府", "done"), (3, "北京银行", "done"),
            (None, "停用的区政府", "failed"), (None, "排队的银行", "queued")]
        gone = rows[3]
        assert gone.error_code == "dns" and "Errno" in (gone.error_message or "")
        assert reason(gone, "zh") == "域名无法解析（网站地址可能有误或已停用）"
        assert reason(gone, "en") is not None and "Errno" not in reason(gone, "en")  # type: ignore[operator]
        assert reason(rows[4], "zh") == "排队中，尚未检测"
        assert reason(rows[0], "zh") is None
        # change against round 1, per site
        assert [(r.name, r.previous_round, r.previous_score, r.change) for r in rows[:4]] == [
            ("北京市政府", 1, 70.0, 5.5), ("上海市政府", 1, 80.0, -18.0),
            ("北京银行", 1, 55.0, 0.0), ("停用的区政府", 1, 40.0, None)]
        assert [direction(r, 1) for r in rows] == ["up", "down", "same", "unscored", "unscored"]
        assert change_text(rows[0], "zh", 1) == "↑ 提高 5.5 分"
        assert change_text(rows[1], "en", 1) == "↓ down 18.0 points"
        assert change_text(rows[2], "zh", 1) == "→ 持平"
        first_rows = batch_ranking(s, first)
        assert all(r.previous_round is None and r.change is None for r in first_rows)
        assert change_text(first_rows[0], "zh", None) == "第一轮"
        # the previous round and the newest round
        batch = s.get(Batch, second)
        assert batch is not None
        before = previous_round(s, batch)
        assert before is not None and before.id == first
        assert newest_batch(s).id == second  # type: ignore[union-attr]
        with pytest.raises(NotFound):
            batch_ranking(s, 4242)


def test_failing_only_keeps_ranks_and_filters_rank_within(engine: Engine, build: Any) -> None:
    batch_id = _round(engine, build, "检查", {"北京市政府": 90.0, "上海市政府": 58.0,
                                          "北京银行": 61.0, "停用的区政府": "dns"}, T0)
    with session_scope(engine) as s:
        failing = batch_ranking(s, batch_id, failing_only=True)
        assert [(r.rank, r.name) for r in failing] == [(3, "上海市政府"),
                                                       (None, "停用的区政府")]
        beijing = batch_ranking(s, batch_id, region="北京")
        assert [(r.rank, r.name) for r in beijing] == [
            (1, "北京市政府"), (2, "北京银行"), (None, "停用的区政府")]
        assert [r.name for r in batch_ranking(s, batch_id, limit=2, offset=3)] == [
            "停用的区政府", "排队的银行"]
        every = batch_ranking(s, batch_id)
        regions = {g.value: g for g in summarise(every, "region")}
        assert (regions["北京"].sites, regions["北京"].scored, regions["北京"].passed,
                regions["北京"].failed, regions["北京"].pass_rate, regions["北京"].average) == (
            3, 2, 2, 1, 100.0, 75.5)
        assert (regions["上海"].sites, regions["上海"].pass_rate, regions["上海"].average) == (
            2, 0.0, 58.0)
        categories = {g.value: g for g in summarise(every, "category")}
        assert (categories["gov"].sites, categories["gov"].passed,
                categories["gov"].pass_rate) == (3, 1, 50.0)
        with pytest.raises(ValueError):
            summarise(every, "grade")


def test_a_veto_says_what_it_found(engine: Engine, build: Any) -> None:
    batch_id = _round(engine, build, "否决", {"北京市政府": 90.0, "北京银行": 40.0}, T0)
    with session_scope(engine) as s:
        rows = {r.name: r for r in batch_ranking(s, batch_id)}
        bank = rows["北京银行"]
        found = veto_findings(s, [r.scan_id for r in rows.values() if r.vetoes])
    assert list(found) == [bank.scan_id]
    (zh,) = veto_texts(bank, found, "zh")
    assert "弹窗“领取补贴”" in zh and "50%" in zh
    (en,) = veto_texts(bank, found, "en")
    assert "a pop-up “领取补贴” covering 50% of the first screen" in en
    assert veto_texts(rows["北京市政府"], found, "zh") == []


def test_lists_of_rounds_and_scans(engine: Engine, build: Any) -> None:
    older = _round(engine, build, "乙批", {"北京市政府": 70.0, "停用的区政府": "dns"}, T0)
    newer = _round(engine, build, "甲批", {"北京市政府": 72.0}, T0 + timedelta(days=1))
    with session_scope(engine) as s:
        assert batch_names(s) == [("甲批", 1), ("乙批", 1)]  # newest first, not by name
        page = list_batches(s, limit=1)
        assert (page.total, [b.id for b in page.items]) == (2, [newer])
        assert [b.id for b in list_batches(s, limit=1, offset=1).items] == [older]
        named = list_batches(s, name="乙批")
        assert [(b.id, b.total, b.done, b.failed) for b in named.items] == [(older, 5, 1, 1)]
        assert list_batches(s, status="done").total == 0
        failed = list_scans(s, status="failed")
        assert failed.total == 1
        (item,) = failed.items
        assert (item.batch_id, item.batch_name, item.round, item.error_code, item.site_name) == (
            older, "乙批", 1, "dns", "停用的区政府")
        assert list_scans(s, batch_id=newer).total == 5
        site = item.site_id
        assert list_scans(s, site_id=site).total == 2
        scans = list_scans(s, batch_id=older, limit=2)
        assert scans.total == 5 and len(scans.items) == 2
        future = datetime.now(UTC) + timedelta(days=1)
        assert list_scans(s, since=future).total == 0
        assert list_scans(s, until=future).total == 10
