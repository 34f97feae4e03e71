"""Scans a cancel stopped are not failures of their sites: the ranking puts them with the
not-finished, the failing filter and the `failed` counts leave them out, and the ranking file
says "cancelled" — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import Engine

from elderscan.reports.rankings import reason
from elderscan.reports.tabular import ranking_csv
from elderscan.store import session_scope
from elderscan.store.rankings import batch_ranking, summarise
from elderscan.store.rounds import cancel_round

from .test_store_rankings import T0, _round


def test_cancelled_scans_are_not_failures(engine: Engine, build: Any) -> None:
    batch_id = _round(engine, build, "检查", {"北京市政府": 90.0, "上海市政府": 58.0,
                                          "北京银行": 61.0, "停用的区政府": "dns"}, T0)
    with session_scope(engine) as s:  # 排队的银行 is still queued: the cancel stops it
        assert cancel_round(s, batch_id, "test admin") == 1
    with session_scope(engine) as s:
        every = batch_ranking(s, batch_id)
        assert [(r.name, r.status, r.error_code) for r in every[3:]] == [
            ("停用的区政府", "failed", "dns"), ("排队的银行", "failed", "cancelled")]
        assert reason(every[4], "zh") == "检测已取消"
        failing = batch_ranking(s, batch_id, failing_only=True)
        assert [r.name for r in failing] == ["上海市政府", "停用的区政府"]
        regions = {g.value: g for g in summarise(every, "region")}
        assert (regions["北京"].failed, regions["上海"].failed) == (1, 0)
    table = list(csv.reader(io.StringIO(ranking_csv(every, "en").decode("utf-8-sig"))))
    cancelled = next(row for row in table if "https://queued.example.com.cn/" in row)
    assert "cancelled" in cancelled and "failed" not in cancelled
