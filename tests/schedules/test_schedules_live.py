"""Scheduled rounds for real: the scheduler thread starts a round that the local runner scans
to the end (fixture sites over HTTP, the browser a replay of their recordings,
tests/recorded.py); `elderscan scheduler --once` as a real process after a "restart" starts a
missed run once; an admin makes a schedule in a browser with JavaScript off; the page scores
at least 90 when elderscan scans it. The last two are about the page as Chromium shows it
today, so they run it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from tests.runner.conftest import closed_port_url

from conftest import SiteFarm, settings
from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.recurrence import Recurrence
from elderscan.schedules.scheduler import Scheduler
from elderscan.store import (
    create_token,
    make_engine,
    reset_engines,
    session_scope,
    upgrade,
    upsert_site,
)
from elderscan.store.models import Batch, Scan, Schedule
from elderscan.store.schedules import create_schedule
from recorded import replay_env, replay_scans

GUARDED = {"guard_addresses": True, "allow_hosts": ["127.0.0.1"], "max_pages": 1}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Engine]]:
    data = tmp_path / "data"
    data.mkdir()
    url = f"sqlite:///{tmp_path / 'live.db'}"
    env = {"ELDERSCAN_DATA_DIR": str(data), "ELDERSCAN_DATABASE_URL": url,
           "ELDERSCAN_ALLOW_HOSTS": "127.0.0.1", "ELDERSCAN_SETTLE_MS": "200",
           "ELDERSCAN_LOAD_TIMEOUT": "10", "ELDERSCAN_PAGE_TIMEOUT": "40",
           "ELDERSCAN_PROBES": "false"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ELDERSCAN_BROKER_URL", raising=False)
    upgrade(url)
    engine = make_engine(url)
    yield url, engine
    engine.dispose()
    reset_engines()


def _due_now(engine: Engine, name: str, site_ids: list[int]) -> int:
    """A daily schedule whose stored next run passed long ago (the service was down)."""
    with session_scope(engine) as session:
        row = create_schedule(session, name=name, site_ids=site_ids, options=GUARDED,
                              rule=Recurrence("daily", at="08:00"), created_by="test")
        session.flush()
        session.execute(update(Schedule).where(Schedule.id == row.id).values(
            next_run_at=datetime.now(UTC) - timedelta(days=3)))
        return row.id


def test_the_scheduler_starts_a_round_that_runs_to_completion(
        store: tuple[str, Engine], sites: SiteFarm, monkeypatch: pytest.MonkeyPatch) -> None:
    _, engine = store
    replay_scans(monkeypatch, {sites.url(name): name for name in ("gov-good", "gov-poor")})
    with session_scope(engine) as session:
        site_ids = [upsert_site(session, name, sites.url(name), "gov").id
                    for name in ("gov-good", "gov-poor")]
    schedule_id = _due_now(engine, "每周政务网站", site_ids)
    from elderscan.runner import dispatch

    scheduler = Scheduler(engine, interval=0.2).start()  # the default door: the local runner
    try:
        deadline = time.monotonic() + 300
        status = None
        while time.monotonic() < deadline:
            with session_scope(engine) as session:
                status = session.execute(select(Batch.status)).scalar_one_or_none()
            if status == "done":
                break
            time.sleep(0.5)
        assert status == "done", f"the round did not finish: {status}"
    finally:
        scheduler.stop()
        dispatch.shutdown()
    with session_scope(engine) as session:
        batch = session.execute(select(Batch)).scalar_one()
        scans = list(session.execute(select(Scan).where(Scan.batch_id == batch.id)).scalars())
        row = session.get(Schedule, schedule_id)
        assert row is not None
        assert (batch.name, batch.round, batch.total, batch.done) == ("每周政务网站", 1, 2, 2)
        assert {s.status for s in scans} == {"done"}
        assert all(0 <= (s.score_total or -1) <= 100 for s in scans)
        assert [s.options["guard_addresses"] for s in scans] == [True, True]
        assert (row.last_outcome, row.last_batch_id) == ("started", batch.id)
        assert row.next_run_at is not None and row.next_run_at > datetime.now(UTC)
        assert session.execute(select(Batch.id)).scalars().all() == [batch.id]  # once


def test_a_scheduler_process_after_a_restart_runs_a_missed_round_once(
        store: tuple[str, Engine], tmp_path: Path) -> None:
    """Two real `elderscan scheduler --once` processes one after the other (a restart): the
    first starts the round that came due while none ran and waits for its scan (an address
    that refuses connections fails at once); the second finds nothing due."""
    _, engine = store
    with session_scope(engine) as session:
        site_id = upsert_site(session, "不可达", closed_port_url(), "gov").id
    _due_now(engine, "停机期间到期", [site_id])
    env = replay_env({}, {**os.environ, "PYTHONUNBUFFERED": "1"})  # unreachable: no pages
    runs = [subprocess.run([sys.executable, "-m", "elderscan", "scheduler", "--once",
                            "--lang", "en"], env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=240, check=False) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    assert "started 1 round(s); 0 schedule(s) could not start" in runs[0].stderr
    assert "started 0 round(s); 0 schedule(s) could not start" in runs[1].stderr
    with session_scope(engine) as session:
        (batch,) = session.execute(select(Batch)).scalars().all()
        assert (batch.name, batch.round, batch.status) == ("停机期间到期", 1, "done")
        assert batch.failed == 1  # the scan ran and ended; nothing left queued or running


@pytest.mark.browser
def test_an_admin_schedules_a_round_in_a_browser_without_javascript(
        store: tuple[str, Engine], sites: SiteFarm) -> None:
    from playwright.sync_api import sync_playwright
    from tests.api.test_dashboard import Served

    from elderscan.scanner._chromium import find_chromium

    url, engine = store
    with session_scope(engine) as session:
        token = create_token(session, "省局管理员", "admin")
    app = create_app(ApiSettings(), database_url=url, submit=lambda ids: None)
    with Served(app) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(java_script_enabled=False,
                                      viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.goto(served.url + "/schedules")
        page.get_by_label("令牌").fill(token)
        page.get_by_role("button", name="登录").click()
        assert page.url.endswith("/schedules")
        page.get_by_label("批次名称").fill("全省银行网站")
        page.get_by_label("周期").select_option("weekly")
        page.get_by_label("时间（24 小时制）").fill("09:30")
        page.get_by_label("星期几（每周时）").select_option("2")
        page.get_by_role("button", name="保存计划").click()
        assert "已保存计划" in page.locator("#schedules-done").inner_text()
        row = page.locator("tr[data-schedule]")
        assert "每周三 09:30" in row.inner_text()
        shown = row.locator(".next-run").inner_text()
        with session_scope(engine) as session:
            stored = session.execute(select(Schedule)).scalar_one()
            assert stored.created_by == "省局管理员"
            beijing = stored.next_run_at + timedelta(hours=8)  # type: ignore[operator]
        assert shown == beijing.strftime("%Y-%m-%d %H:%M") and beijing.weekday() == 2
        # every control is a large target, even on a phone
        small = page.evaluate("""() => [...document.querySelectorAll(
            'main button, main input:not([type=hidden]), main select, main a')]
            .map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0 && (r.height < 44 || r.width < 44)).length""")
        assert small == 0
        page.get_by_role("button", name="停用：全省银行网站").click()
        assert page.locator("tr[data-schedule] .state").inner_text() == "已停用"
        browser.close()


@pytest.mark.browser
def test_the_schedules_page_passes_its_own_scan(store: tuple[str, Engine]) -> None:
    """Read by the public (reads open), the page must score at least 90 like every page of
    the dashboard."""
    from tests.api.test_dashboard import Served

    from elderscan.runner.scan import scan_site

    url, engine = store
    with session_scope(engine) as session:
        create_schedule(session, name="全市政务网站适老化检查", options=GUARDED,
                        rule=Recurrence("monthly", at="07:00", day=31), created_by="管理员")
        create_schedule(session, name="全省银行网站", options=GUARDED, enabled=False,
                        rule=Recurrence("weekly", at="09:30", weekday=2), created_by="管理员")
    app = create_app(ApiSettings(PUBLIC_READS=True), database_url=url, submit=lambda ids: None)
    with Served(app) as served:
        scan = scan_site(served.url + "/schedules",
                         settings(axe=True, max_pages=1, probes=True, viewport="both"))
        with ThreadPoolExecutor(1) as pool:
            report = pool.submit(asyncio.run, scan).result()
    assert report.status == "ok", report.error
    failures = [(f.rule, f.selector) for p in report.pages for f in p.findings
                if f.outcome == "fail"]
    print(f"\nself-scan /schedules: {report.score}\n  failures: {failures}")
    assert report.score is not None and report.score["total"] >= 90, (report.score, failures)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(port: int, tmp_path: Path) -> subprocess.Popen[str]:
    env = replay_env({}, {**os.environ, "PYTHONUNBUFFERED": "1",  # unreachable sites only
                          "ELDERSCAN_SCHEDULER_INTERVAL": "1", "ELDERSCAN_LANG": "en"})
    process = subprocess.Popen([sys.executable, "-m", "elderscan", "serve", "--port",
                                str(port)], env=env, cwd=tmp_path, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/healthz").status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"serve did not start: {process.communicate()[1]}")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        return process.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[1]


def test_serve_restarted_runs_a_round_missed_while_it_was_down_once(
        store: tuple[str, Engine], tmp_path: Path) -> None:
    """`elderscan serve` (its scheduler thread on) takes a schedule over the API and is
    stopped; three periods pass; a new `serve` process starts the missed round once, and
    ticking every second for a while starts no other."""
    import httpx

    _, engine = store
    with session_scope(engine) as session:
        token = create_token(session, "运维", "admin")
        site_id = upsert_site(session, "不可达", closed_port_url(), "gov").id
    port = _free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    first = _serve(port, tmp_path)
    try:
        created = httpx.post(f"{base}/schedules", headers={"Authorization": f"Bearer {token}"},
                             json={"name": "重启前的计划", "kind": "daily", "at": "08:00",
                                   "site_ids": [site_id]})
        assert created.status_code == 201, created.text
    finally:
        said = _stop(first)
    assert "scheduled rounds start from this process (every 1 s)" in said
    with session_scope(engine) as session:
        assert session.execute(select(Batch.id)).first() is None
        session.execute(update(Schedule).values(
            next_run_at=datetime.now(UTC) - timedelta(days=3)))
    second = _serve(port, tmp_path)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with session_scope(engine) as session:
                statuses = session.execute(select(Batch.status)).scalars().all()
            if statuses == ["done"]:
                break
            time.sleep(0.5)
        time.sleep(3)  # three more ticks
        with session_scope(engine) as session:
            batches = session.execute(select(Batch.name, Batch.round, Batch.status)).all()
            row = session.execute(select(Schedule)).scalar_one()
            assert row.last_outcome == "started"
            assert row.next_run_at is not None and row.next_run_at > datetime.now(UTC)
    finally:
        _stop(second)
    assert [tuple(b) for b in batches] == [("重启前的计划", 1, "done")]
