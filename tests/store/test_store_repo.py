"""The repository functions, each run against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from elderscan.contract import ScanReport, load_schema
from elderscan.store import (
    IdempotencyConflict,
    NotFound,
    batch_progress,
    batch_ranking,
    check_token,
    claim_scan,
    compare_scans,
    create_batch,
    create_token,
    enqueue_scan,
    fail_scan,
    fingerprint,
    get_scan,
    list_sites,
    pending_scans,
    prune_artifacts,
    revoke_token,
    save_result,
    session_scope,
    set_progress,
    site_history,
    upsert_site,
)
from elderscan.store.models import ApiToken, FindingRow, Page, Scan, Site


def _count(engine: Engine, model: Any, **where: Any) -> int:
    with session_scope(engine) as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(s.execute(query).scalar_one())


def _site(engine: Engine, name: str = "某市人民政府", url: str = "https://www.example.gov.cn/",
          category: str = "gov", region: str | None = "北京", tags: list[str] | None = None) -> int:
    with session_scope(engine) as s:
        return upsert_site(s, name, url, category, region, tags).id


def _scan(engine: Engine, site_id: int, batch: int | None = None, **kw: Any) -> int:
    with session_scope(engine) as s:
        return enqueue_scan(s, site_id, batch, **kw).id


def _run(engine: Engine, scan_id: int, report: ScanReport, worker: str = "w1") -> None:
    """What a runner does: claim, scan (here: the given report), save."""
    with session_scope(engine) as s:
        assert claim_scan(s, scan_id, worker) is not None
    with session_scope(engine) as s:
        save_result(s, scan_id, report)


# ------------------------------------------------------------------------------------ sites


def test_upsert_site_is_keyed_on_the_normalised_url(engine: Engine) -> None:
    first = _site(engine, tags=["省级", "政务", "省级"])
    again = _site(engine, name="某市政府门户", url="http://example.gov.cn", region=None)
    assert again == first
    with session_scope(engine) as s:
        site = s.get(Site, first)
        assert site is not None
        assert (site.name, site.url, site.category, site.region) == (
            "某市政府门户", "http://example.gov.cn/", "gov", "北京")  # None kept the region
        assert site.tags == ["省级", "政务"]
        assert site.created_at.tzinfo is not None
        # A bare URL with nothing else keeps the curated name and category.
        assert upsert_site(s, None, "example.gov.cn").name == "某市政府门户"
        other = upsert_site(s, None, "https://bank.example.com/personal/")
        assert (other.name, other.category, other.id != first) == ("bank.example.com", "other",
                                                                    True)
        with pytest.raises(ValueError, match="category"):
            upsert_site(s, "x", "https://x.cn", "school")
        with pytest.raises(ValueError, match="not a web address"):
            upsert_site(s, "x", "ftp://x.cn/")
    assert _count(engine, Site) == 2


# ----------------------------------------------------------------------------- save_result


def test_save_result_of_a_real_scan(engine: Engine, real_report: ScanReport,
                                    data_root: Path) -> None:
    site = _site(engine, url=real_report.target)
    scan_id = _scan(engine, site)
    _run(engine, scan_id, real_report)
    with session_scope(engine) as s:
        scan = get_scan(s, scan_id)
        assert scan is not None
        assert (scan.status, scan.result_status, scan.attempts, scan.worker) == (
            "done", "ok", 1, "w1")
        score = real_report.score
        assert score is not None
        assert scan.score_total == score["total"] == 90.6
        assert (scan.grade, scan.passed) == ("A", True)
        assert scan.dimensions() == score["dimensions"]
        assert scan.score_voice == 50 and scan.score_ads == 87.5
        assert (scan.chromium_version, scan.axe_core_version) == ("156.0.8078.79", "4.12.1")
        assert scan.ruleset_version == real_report.engine.ruleset
        assert scan.scoring_model == "elderscan-score-2026.11"
        assert scan.finished_at == datetime(2026, 11, 24, 7, 15, 56, tzinfo=UTC)
        assert (scan.pages_count, scan.fail_count, scan.review_count, scan.pass_count) == (
            10, 9, 3, 215)
        assert scan.result == real_report.to_json_dict()
        jsonschema.validate(scan.result, load_schema())
        pages = scan.pages
        assert [p.url for p in pages] == [p.url for p in real_report.pages]
        assert pages[7].mode == "elder" and pages[4].url_template == "/news/<n>.html"
        assert pages[0].screenshot == "2118042b49c5-desktop-standard.png"
        rows = s.execute(select(FindingRow).where(FindingRow.scan_id == scan_id)
                         .order_by(FindingRow.id)).scalars().all()
        assert len(rows) == sum(len(p.findings) for p in real_report.pages) == 227
        assert all(re.fullmatch(r"[0-9a-f]{40}", f.fingerprint) for f in rows)
        contrast = next(f for f in rows if f.rule == "contrast.text" and f.outcome == "fail")
        assert contrast.selector and isinstance(contrast.value, float)
        assert contrast.box is not None and len(contrast.box) == 4
        page_of = {p.id: p for p in pages}
        assert contrast.fingerprint == fingerprint(
            "contrast.text", page_of[contrast.page_id or 0].url, contrast.selector)
        # Site-level findings (elder mode, voice) sit on the home page, as in the contract.
        elder = next(f for f in rows if f.rule == "elder.entry")
        assert page_of[elder.page_id or 0].url == real_report.target


def test_save_result_twice_leaves_one_set(engine: Engine, real_report: ScanReport) -> None:
    scan_id = _scan(engine, _site(engine, url=real_report.target))
    _run(engine, scan_id, real_report)
    with session_scope(engine) as s:  # a re-delivered task saving again
        save_result(s, scan_id, real_report)
    assert _count(engine, Page, scan_id=scan_id) == 10
    assert _count(engine, FindingRow, scan_id=scan_id) == 227
    assert _count(engine, Scan) == 1


def test_page_text_that_no_database_takes_is_stored_readably(engine: Engine,
                                                              build: Any) -> None:
    """A NUL byte or a lone surrogate (a JS string cut inside an emoji) in scanned text is
    refused by PostgreSQL's text and JSONB types; the result must still be saved."""
    hostile = "北溪\x00县\ud83d政府"
    result = build.report()
    result.pages[0].title = hostile
    result.pages[0].findings[0].message = hostile
    result.pages[0].findings[0].selector = "p.note\ud800"
    scan_id = _scan(engine, _site(engine))
    _run(engine, scan_id, result)
    with session_scope(engine) as s:
        scan = get_scan(s, scan_id)
        assert scan is not None and scan.status == "done" and scan.result is not None
        stored = scan.result["pages"][0]
        assert stored["title"] == stored["findings"][0]["message"] == "北溪\ufffd县\ufffd政府"
        (row,) = s.execute(select(FindingRow).where(FindingRow.scan_id == scan_id)).scalars()
        assert row.message == "北溪\ufffd县\ufffd政府" and row.selector == "p.note\ufffd"
        assert ScanReport.model_validate(scan.result).pages[0].title == stored["title"]


def test_concurrent_saves_of_one_scan_leave_one_set(engine: Engine,
                                                    real_report: ScanReport) -> None:
    scan_id = _scan(engine, _site(engine, url=real_report.target))
    errors: list[BaseException] = []

    def save() -> None:
        try:
            with session_scope(engine) as s:
                save_result(s, scan_id, real_report)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _count(engine, Page, scan_id=scan_id) == 10
    assert _count(engine, FindingRow, scan_id=scan_id) == 227


def test_failed_report_marks_the_scan_failed(engine: Engine, build: Any) -> None:
    scan_id = _scan(engine, _site(engine))
    _run(engine, scan_id, build.report(status="failed", pages=[]))
    with session_scope(engine) as s:
        scan = get_scan(s, scan_id)
        assert scan is not None
        assert (scan.status, scan.error_code, scan.score_total) == ("failed", "dns", None)
        assert scan.dimensions() == dict.fromkeys(scan.dimensions())
        assert scan.result is not None and scan.result["error"]["code"] == "dns"
        with pytest.raises(NotFound):
            save_result(s, 9999, build.report())


def test_fail_scan_never_overwrites_a_result(engine: Engine, build: Any) -> None:
    site = _site(engine)
    done, other = _scan(engine, site), _scan(engine, site)
    _run(engine, done, build.report())
    with session_scope(engine) as s:
        assert fail_scan(s, done, "timeout", "late duplicate").status == "done"
        failed = fail_scan(s, other, "crash", "browser crashed\n" + "x" * 10_000)
        assert (failed.status, failed.error_code) == ("failed", "crash")
        assert failed.error_message is not None and len(failed.error_message) == 4000
        assert failed.finished_at is not None


# ------------------------------------------------------------------------- enqueue & claim


def test_enqueue_is_idempotent_on_the_key(engine: Engine) -> None:
    site, other = _site(engine), _site(engine, url="https://www.other.gov.cn/")
    first = _scan(engine, site, idempotency_key="req-1", options={"max_pages": 5})
    assert _scan(engine, site, idempotency_key="req-1") == first
    assert _scan(engine, site) != first  # no key: a new scan each time
    with session_scope(engine) as s, pytest.raises(IdempotencyConflict):
        enqueue_scan(s, other, idempotency_key="req-1")
    with session_scope(engine) as s:
        scan = get_scan(s, first)
        assert scan is not None
        assert (scan.status, scan.options, scan.target) == (
            "queued", {"max_pages": 5}, "https://www.example.gov.cn/")
        with pytest.raises(NotFound):
            enqueue_scan(s, 12345)
    assert _count(engine, Scan) == 2


def test_claim_is_atomic_and_harmless_when_redelivered(engine: Engine, build: Any) -> None:
    scan_id = _scan(engine, _site(engine))
    with session_scope(engine) as s:
        claimed = claim_scan(s, scan_id, "host-a:1")
        assert claimed is not None
        assert (claimed.status, claimed.attempts, claimed.worker) == ("running", 1, "host-a:1")
        assert claimed.started_at is not None
    with session_scope(engine) as s:  # still running and fresh: a live worker has it
        assert claim_scan(s, scan_id, "host-b:1", stale_after=3600) is None
    with session_scope(engine) as s:  # redelivered after the worker died: taken over
        again = claim_scan(s, scan_id, "host-b:1")
        assert again is not None and (again.attempts, again.worker) == (2, "host-b:1")
        assert set_progress(s, scan_id, {"pages_done": 3, "pages_total": 10})
    with session_scope(engine) as s:
        scan = get_scan(s, scan_id)
        assert scan is not None and scan.progress == {"pages_done": 3, "pages_total": 10}
    with session_scope(engine) as s:
        save_result(s, scan_id, build.report())
    with session_scope(engine) as s:  # done: a late duplicate delivery does nothing
        assert claim_scan(s, scan_id, "host-c:1") is None
        assert claim_scan(s, 424242, "host-c:1") is None
        assert not set_progress(s, scan_id, {"pages_done": 1})
        scan = get_scan(s, scan_id)
        assert scan is not None and (scan.status, scan.attempts) == ("done", 2)


def test_claim_gives_up_after_max_attempts(engine: Engine) -> None:
    scan_id = _scan(engine, _site(engine))
    for attempt in (1, 2):
        with session_scope(engine) as s:
            scan = claim_scan(s, scan_id, "w", max_attempts=2)
            assert scan is not None and scan.attempts == attempt
    with session_scope(engine) as s:
        assert claim_scan(s, scan_id, "w", max_attempts=2) is None
    with session_scope(engine) as s:
        scan = get_scan(s, scan_id)
        assert scan is not None and (scan.status, scan.error_code) == ("failed", "attempts")


def test_concurrent_claims_have_one_winner(engine: Engine) -> None:
    scan_id = _scan(engine, _site(engine))
    barrier = threading.Barrier(8)
    won: list[str] = []

    def claim(worker: str) -> None:
        barrier.wait()
        with session_scope(engine) as s:
            if claim_scan(s, scan_id, worker, stale_after=3600) is not None:
                won.append(worker)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    with session_scope(engine) as s:
        scan = get_scan(s, scan_id)
        assert scan is not None and (scan.attempts, scan.worker) == (1, won[0])


# --------------------------------------------------------------------- batches and rounds


def _sites(engine: Engine) -> dict[str, int]:
    spec = [("北京市政府", "https://www.beijing.gov.cn/", "gov", "北京"),
            ("上海市政府", "https://www.shanghai.gov.cn/", "gov", "上海"),
            ("北京银行", "https://www.bankofbeijing.com.cn/", "bank", "北京"),
            ("上海银行", "https://www.bosc.cn/", "bank", "上海"),
            ("朝阳区政府", "https://www.bjchy.gov.cn/", "gov", "北京")]
    return {name: _site(engine, name, url, category, region)
            for name, url, category, region in spec}


def _batch(engine: Engine, name: str, site_ids: list[int]) -> tuple[int, int]:
    with session_scope(engine) as s:
        batch = create_batch(s, name, site_ids, {"max_pages": 3})
        return batch.id, batch.round


def _scan_of(engine: Engine, batch_id: int, site_id: int) -> int:
    with session_scope(engine) as s:
        return int(s.execute(select(Scan.id).where(Scan.batch_id == batch_id,
                                                   Scan.site_id == site_id)).scalar_one())


def test_rounds_progress_and_resume(engine: Engine, build: Any) -> None:
    sites = _sites(engine)
    ids = list(sites.values())
    batch_id, round_no = _batch(engine, "2026 适老化评估", [*ids, ids[0]])  # duplicate dropped
    assert round_no == 1
    with session_scope(engine) as s:
        progress = batch_progress(s, batch_id)
        assert (progress.total, progress.queued, progress.status, progress.finished) == (
            5, 5, "queued", False)
        assert len(pending_scans(s, batch_id)) == 5
        # Enqueueing a site already in the batch returns its scan: one scan per site per batch.
        assert enqueue_scan(s, ids[0], batch_id).id == _scan_of(engine, batch_id, ids[0])
    first, second, *rest = ids
    _run(engine, _scan_of(engine, batch_id, first), build.report())
    with session_scope(engine) as s:
        claim_scan(s, _scan_of(engine, batch_id, second), "w2")
        progress = batch_progress(s, batch_id)
        assert (progress.done, progress.running, progress.queued, progress.status) == (
            1, 1, 3, "running")
        assert progress.percent == 20.0
        # An interrupted batch resumes from the database: the running scan is still pending.
        assert _scan_of(engine, batch_id, second) in pending_scans(s, batch_id)
    _run(engine, _scan_of(engine, batch_id, second), build.report())
    for site_id in rest[:-1]:
        _run(engine, _scan_of(engine, batch_id, site_id), build.report())
    with session_scope(engine) as s:
        fail_scan(s, _scan_of(engine, batch_id, rest[-1]), "dns", "no such host")
    with session_scope(engine) as s:
        progress = batch_progress(s, batch_id)
        assert (progress.done, progress.failed, progress.status, progress.finished) == (
            4, 1, "done", True)
        assert progress.finished_at is not None
        assert pending_scans(s, batch_id) == []
        with pytest.raises(NotFound):
            batch_progress(s, 999)
    again_id, again_round = _batch(engine, "2026 适老化评估", ids)
    assert (again_round, again_id != batch_id) == (2, True)
    assert _batch(engine, "other audit", ids[:1])[1] == 1
    assert _count(engine, Scan, batch_id=again_id) == 5


def test_batch_edge_cases(engine: Engine) -> None:
    site = _site(engine)
    with session_scope(engine) as s:
        empty = create_batch(s, "空批次", [])
        assert (empty.status, empty.total, empty.finished_at is not None) == ("done", 0, True)
        assert batch_progress(s, empty.id).percent == 100.0
        objects = create_batch(s, "对象", [upsert_site(s, None, "https://www.example.gov.cn/")])
        assert objects.total == 1
        assert s.get(Site, site) is not None
        with pytest.raises(NotFound, match="no site 777"):
            create_batch(s, "缺失", [site, 777])
        with pytest.raises(ValueError, match="name"):
            create_batch(s, "  ", [site])


def test_history_per_round_oldest_first(engine: Engine, build: Any) -> None:
    site = _site(engine)
    totals = [(52.0, "2026-01-10T08:00:00Z"), (None, "2026-04-10T08:00:00Z"),
              (77.5, "2026-07-10T08:00:00Z")]
    for n, (total, finished) in enumerate(totals):
        batch_id, _ = _batch(engine, "季度评估", [site])
        scan_id = _scan_of(engine, batch_id, site)
        if total is None:
            _run(engine, scan_id, build.report(status="failed", pages=[], finished_at=finished))
            continue
        dims = {"elder_mode": 40 + n * 20, "font": 50, "contrast": 60, "voice": 0, "ads": 90,
                "accessibility": 70}
        _run(engine, scan_id, build.report(total=total, dims=dims, finished_at=finished))
    _scan(engine, site)  # queued, not finished: not history yet
    with session_scope(engine) as s:
        history = site_history(s, site)
        assert [(p.round, p.status, p.score_total) for p in history] == [
            (1, "done", 52.0), (2, "failed", None), (3, "done", 77.5)]
        assert history[0].batch_name == "季度评估"
        assert history[0].dimensions["elder_mode"] == 40
        assert history[2].dimensions["elder_mode"] == 80
        assert history[0].scoring_model == "elderscan-score-test"
        assert history[1].error_code == "dns"
        assert [p.round for p in site_history(s, site, include_failed=False)] == [1, 3]
        with pytest.raises(NotFound):
            site_history(s, 4242)


def test_ranking_best_first_with_filters(engine: Engine, build: Any) -> None:
    sites = _sites(engine)
    batch_id, _ = _batch(engine, "排名", list(sites.values()))
    scores = {"北京市政府": 88.0, "上海市政府": 61.5, "北京银行": 88.0, "上海银行": None}
    for name, total in scores.items():
        dims = {"elder_mode": total, "font": 70, "contrast": 70, "voice": 50, "ads": 100,
                "accessibility": 80}
        _run(engine, _scan_of(engine, batch_id, sites[name]), build.report(total=total, dims=dims))
    # 朝阳区政府 stays queued: listed last, unranked.
    with session_scope(engine) as s:
        ranking = batch_ranking(s, batch_id)
        assert [(r.rank, r.name, r.score_total) for r in ranking] == [
            (1, "北京市政府", 88.0), (1, "北京银行", 88.0), (3, "上海市政府", 61.5),
            (None, "上海银行", None), (None, "朝阳区政府", None)]
        assert ranking[-1].status == "queued"
        assert ranking[0].dimensions["elder_mode"] == 88.0
        assert ranking[0].category == "gov" and ranking[0].region == "北京"
        assert [(r.rank, r.name) for r in batch_ranking(s, batch_id, category="gov")] == [
            (1, "北京市政府"), (2, "上海市政府"), (None, "朝阳区政府")]
        assert [(r.rank, r.name) for r in batch_ranking(s, batch_id, region="上海")] == [
            (1, "上海市政府"), (None, "上海银行")]
        assert [r.name for r in batch_ranking(s, batch_id, category="bank",
                                              region="北京")] == ["北京银行"]
        assert [r.name for r in batch_ranking(s, batch_id, limit=1, offset=2)] == ["上海市政府"]
        with pytest.raises(NotFound):
            batch_ranking(s, 999)


def test_list_sites_filters_and_pages(engine: Engine, build: Any) -> None:
    sites = _sites(engine)
    old_batch, _ = _batch(engine, "轮次", [sites["北京市政府"], sites["北京银行"]])
    _run(engine, _scan_of(engine, old_batch, sites["北京市政府"]),
         build.report(total=40.0, finished_at="2026-01-01T00:00:00Z"))
    _run(engine, _scan_of(engine, old_batch, sites["北京银行"]),
         build.report(total=95.0, finished_at="2026-01-01T00:00:00Z"))
    new_batch, _ = _batch(engine, "轮次", [sites["北京市政府"]])
    _run(engine, _scan_of(engine, new_batch, sites["北京市政府"]),
         build.report(total=70.0, finished_at="2026-06-01T00:00:00Z"))
    with session_scope(engine) as s:
        everything = list_sites(s)
        assert everything.total == 5 and len(everything.items) == 5
        assert [i.name for i in everything.items] == [  # pinyin order, not code points
            "北京市政府", "北京银行", "朝阳区政府", "上海市政府", "上海银行"]
        beijing = {i.name: i for i in everything.items}["北京市政府"]
        assert beijing.latest is not None and beijing.latest.score_total == 70.0  # latest round
        by_score = list_sites(s, order="score")
        assert [i.name for i in by_score.items][:2] == ["北京银行", "北京市政府"]
        assert by_score.items[-1].latest is None
        assert [i.name for i in list_sites(s, category="bank").items] == ["北京银行", "上海银行"]
        assert list_sites(s, region="北京", category="gov").total == 2
        ranged = list_sites(s, min_score=60, max_score=80)
        assert [i.name for i in ranged.items] == ["北京市政府"]  # its old 40 does not count
        page1 = list_sites(s, limit=2, offset=0, order="id")
        page3 = list_sites(s, limit=2, offset=4, order="id")
        assert (page1.total, len(page1.items), len(page3.items)) == (5, 2, 1)
        assert [i.name for i in list_sites(s, search="银行").items] == ["北京银行", "上海银行"]
        with pytest.raises(ValueError):
            list_sites(s, limit=0)
        with pytest.raises(ValueError):
            list_sites(s, order="rank")


def test_names_sort_by_pinyin_across_pages_and_ranking_ties(engine: Engine,
                                                              build: Any) -> None:
    """Each page continues the pinyin order of the one before (the order is not per page), and
    sites with equal scores rank in pinyin order too."""
    names = ["重庆市人民政府", "Zhejiang Bank", "安徽省人民政府", "北京市人民政府",
             "agricultural bank", "长沙市人民政府", "上海市人民政府", "Bank of Anhui"]
    ids = {n: _site(engine, n, f"https://site{i}.example.cn/", "gov", "测试")
           for i, n in enumerate(names)}
    expected = ["agricultural bank", "安徽省人民政府", "Bank of Anhui", "北京市人民政府",
                "长沙市人民政府", "重庆市人民政府", "上海市人民政府", "Zhejiang Bank"]
    batch_id, _ = _batch(engine, "同分", list(ids.values()))
    for name in names:
        _run(engine, _scan_of(engine, batch_id, ids[name]), build.report(total=80.0))
    with session_scope(engine) as s:
        pages = [list_sites(s, limit=3, offset=o) for o in (0, 3, 6)]
        assert [i.name for p in pages for i in p.items] == expected
        assert [i.name for i in list_sites(s, order="score", limit=4, offset=4).items] == \
            expected[4:]
        ranking = batch_ranking(s, batch_id)
        assert [r.name for r in ranking] == expected and {r.rank for r in ranking} == {1}
        assert [r.name for r in batch_ranking(s, batch_id, limit=2, offset=3)] == expected[3:5]


# ----------------------------------------------------------------------------------- compare


def test_compare_fixed_new_unchanged(engine: Engine, build: Any) -> None:
    f, p = build.finding, build.page
    home, news = "https://www.example.gov.cn/", "https://www.example.gov.cn/art/2026/art_1.html"
    guide = "https://www.example.gov.cn/bsfw/guide.html"
    before = build.report(total=58.0, pages=[
        p(home, [f("contrast.text", "fail", "div.nav > a:nth-child(3)"),
                 f("font.size", "fail", "p.small"),
                 f("ads.popup", "review", "div.float-ad"),
                 f("wcag.image-alt", "pass", "img.logo")]),
        p(news, [f("contrast.text", "fail", "span.date")]),
        p(guide, [f("wcag.link-name", "fail", "a.icon")]),
    ], dims={"elder_mode": 40, "font": 50, "contrast": 60, "voice": 0, "ads": 80,
             "accessibility": 70})
    after = build.report(total=74.5, pages=[
        # the nav item moved (nth-child 3 → 5): still the same, unfixed problem
        p(home, [f("contrast.text", "fail", "div.nav>a:nth-child(5)"),
                 f("font.size", "pass", "p.small"),
                 f("ads.popup", "fail", "div.float-ad"),
                 f("voice.readaloud", "fail", "a#read")]),
        # another article of the same template, same date span: still failing
        p("https://example.gov.cn/art/2026/art_2.html", [f("contrast.text", "fail", "span.date")]),
        # the guide page could not be loaded this time
        p(guide, [f("page.load", "fail", None, "critical", "timeout", None)], status=None),
    ], dims={"elder_mode": 80, "font": 65, "contrast": 60, "voice": 0, "ads": 100,
             "accessibility": None})
    site = _site(engine)
    a, b = _scan(engine, site), _scan(engine, site)
    _run(engine, a, before)
    _run(engine, b, after)
    with session_scope(engine) as s:
        diff = compare_scans(s, a, b)
    assert [c.rule for c in diff.fixed] == ["font.size"]
    assert [c.rule for c in diff.new] == ["page.load", "voice.readaloud"]
    assert diff.new[1].outcome_a is None and diff.new[1].outcome_b == "fail"
    assert sorted((c.rule, c.url_template) for c in diff.unchanged) == [
        ("contrast.text", "/"), ("contrast.text", "/art/<n>/art_<n>.html")]
    # review → fail on a known problem is a regression: worsened, not unchanged
    [popup] = diff.worsened
    assert (popup.rule, popup.outcome_a, popup.outcome_b) == ("ads.popup", "review", "fail")
    assert [c.rule for c in diff.unverified] == ["wcag.link-name"]
    assert diff.counts == {"fixed": 1, "new": 2, "unchanged": 2, "unverified": 1,
                           "worsened": 1, "improved": 0, "regressions": 3}
    assert diff.total_delta == 16.5
    assert diff.dimension_deltas == {"elder_mode": 40, "font": 15, "contrast": 0, "voice": 0,
                                     "ads": 20, "accessibility": None}
    assert diff.same_site and diff.same_scoring_model
    with session_scope(engine) as s:
        reverse = compare_scans(s, b, a)
        assert {c.rule for c in reverse.fixed} == {"voice.readaloud", "page.load"}
        assert [c.rule for c in reverse.new] == ["font.size", "wcag.link-name"]
        with pytest.raises(NotFound):
            compare_scans(s, a, 999)
        queued = enqueue_scan(s, site).id
        with pytest.raises(ValueError, match="not done"):
            compare_scans(s, a, queued)


# ------------------------------------------------------------------------------------ tokens


def test_tokens_are_stored_hashed(engine: Engine) -> None:
    with session_scope(engine) as s:
        admin = create_token(s, "ops", "admin")
        reader = create_token(s, "dashboard", "read")
        with pytest.raises(ValueError, match="role"):
            create_token(s, "x", "root")
    assert admin != reader and admin.startswith("esk_") and len(admin) > 40
    with session_scope(engine) as s:
        assert check_token(s, admin) == "admin"
        assert check_token(s, reader) == "read"
        assert check_token(s, admin + "x") is None
        assert check_token(s, "") is None
    with session_scope(engine) as s:
        rows = s.execute(select(ApiToken).order_by(ApiToken.id)).scalars().all()
        assert all(admin not in r.token_hash and len(r.token_hash) == 64 for r in rows)
        assert rows[0].last_used_at is not None and rows[0].last_used_at.tzinfo is not None
        assert revoke_token(s, rows[0].id) and not revoke_token(s, 999)
    with session_scope(engine) as s:
        assert check_token(s, admin) is None
        assert check_token(s, reader) == "read"


# --------------------------------------------------------------------------------- artifacts


def _with_screenshots(report: ScanReport, folder: str, data_root: Path) -> ScanReport:
    """The report as a runner writes it: screenshots under <data dir>/scans/<id>/."""
    pages = []
    for n, page in enumerate(report.pages):
        path = data_root / folder / f"{n}-{page.viewport}-{page.mode}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG" + bytes(100))
        pages.append(page.model_copy(update={"screenshot": str(path)}))
    return report.model_copy(update={"pages": pages})


def test_prune_deletes_old_screenshots_and_keeps_scores(engine: Engine, real_report: ScanReport,
                                                        data_root: Path, tmp_path: Path,
                                                        build: Any) -> None:
    site = _site(engine, url=real_report.target)
    old, recent = _scan(engine, site), _scan(engine, site)
    _run(engine, old, _with_screenshots(
        real_report.model_copy(update={"finished_at": "2026-01-01T00:00:00Z"}), f"scans/{old}",
        data_root))
    fresh = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _run(engine, recent, _with_screenshots(
        real_report.model_copy(update={"finished_at": fresh}), f"scans/{recent}", data_root))
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(b"keep")
    elsewhere = _scan(engine, site)
    _run(engine, elsewhere, build.report(
        pages=[build.page(real_report.target, [], screenshot=str(outside))],
        finished_at="2020-01-01T00:00:00Z"))
    with session_scope(engine) as s:
        scan = get_scan(s, old)
        assert scan is not None
        assert scan.pages[0].screenshot == f"scans/{old}/0-desktop-standard.png"  # relative
        assert scan.result is not None
        assert scan.result["pages"][0]["screenshot"] == scan.pages[0].screenshot
    with session_scope(engine) as s:
        stats = prune_artifacts(s, 30)
    assert (stats.scans, stats.files, stats.bytes) == (1, 10, 10 * 104)
    assert not (data_root / "scans" / str(old)).exists()  # emptied folders go too
    assert len(list((data_root / "scans" / str(recent)).iterdir())) == 10
    assert outside.read_bytes() == b"keep"  # never outside the data directory
    with session_scope(engine) as s:
        scan = get_scan(s, old)
        assert scan is not None
        assert [p.screenshot for p in scan.pages] == [None] * 10
        assert scan.result is not None
        assert [p["screenshot"] for p in scan.result["pages"]] == [None] * 10
        jsonschema.validate(scan.result, load_schema())
        assert scan.score_total == 90.6 and scan.score_voice == 50
        kept = get_scan(s, recent)
        assert kept is not None and kept.pages[0].screenshot is not None
        assert s.execute(select(func.count()).select_from(FindingRow)
                         .where(FindingRow.scan_id == old)).scalar_one() == 227
        assert {p.scan_id: p.score_total for p in site_history(s, site)}[old] == 90.6
    with session_scope(engine) as s:  # again: nothing left to do
        assert prune_artifacts(s, 30).files == 0
        everything = prune_artifacts(s, 0, now=datetime.now(UTC) + timedelta(days=1))
        assert everything.files == 10


def test_times_are_utc_aware(engine: Engine, build: Any) -> None:
    scan_id = _scan(engine, _site(engine))
    _run(engine, scan_id, build.report(finished_at="2026-11-24T16:10:00+08:00"))
    with Session(engine) as s:
        scan = s.get(Scan, scan_id)
        assert scan is not None and scan.finished_at is not None
        assert scan.finished_at == datetime(2026, 11, 24, 8, 10, tzinfo=UTC)
        assert scan.finished_at.utcoffset() == timedelta(0)
        assert scan.created_at.tzinfo is not None


def test_package_exports_resolve() -> None:
    import elderscan.store as store

    for name in store.__all__:
        assert getattr(store, name) is not None, name
    assert callable(store.fingerprint)
    with pytest.raises(AttributeError):
        _ = store.no_such_name
