"""GET /scans/{id}/report is rendered once per scan, format and language: a strong ETag,
If-None-Match → 304, a new rendering when the report would read differently, and a memory
budget. The CPU of a first and a repeated request is measured and printed."""

from __future__ import annotations

import functools
import io
import random
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlalchemy import Engine

from elderscan.api.reportcache import ReportCache, etag_of
from elderscan.api.settings import ApiSettings
from elderscan.contract import ScanReport
from elderscan.store import (
    claim_scan,
    enqueue_scan,
    prune_artifacts,
    save_result,
    session_scope,
    upsert_site,
)

API = "/api/v1"
REPORT = Path(__file__).resolve().parents[1] / "store" / "data" / "gov-elder-link.json"


def _screenshot(path: Path, seed: int) -> None:
    """A page-sized screenshot with varied content, so crops cost what real ones do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_screenshot_png(seed))


@functools.cache
def _screenshot_png(seed: int) -> bytes:
    """Made once a process: encoding it takes ~0.1 s, and every test here stores a scan."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1280, 1800), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(250):
        x, y = rng.randrange(1200), rng.randrange(1750)
        draw.rectangle((x, y, x + rng.randrange(20, 300), y + rng.randrange(8, 60)),
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def scanned(engine: Engine, tmp_path: Path) -> int:
    """A finished scan of the fixture portal (a real result), with a screenshot per page under
    the data directory, as the runner leaves it."""
    data = tmp_path / "data"
    report = ScanReport.model_validate_json(REPORT.read_text("utf-8"))
    with session_scope(engine) as session:
        scan_id = enqueue_scan(session, upsert_site(session, "北溪县", report.target)).id
    for n, page in enumerate(report.pages):
        shot = data / "scans" / str(scan_id) / f"{n}.png"
        _screenshot(shot, n)
        page.screenshot = str(shot)
        report.pages.reshelve(n, page)
    with session_scope(engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, report, data_root=data)
    return scan_id


def _cpu_get(client: TestClient, url: str, **kwargs: Any) -> tuple[Any, float]:
    started = time.process_time()
    response = client.get(url, **kwargs)
    return response, time.process_time() - started


def test_repeat_is_served_from_memory(client: TestClient, reader: dict[str, str],
                                      scanned: int) -> None:
    url = f"{API}/scans/{scanned}/report"
    first, first_cpu = _cpu_get(client, url, headers=reader)
    repeat, repeat_cpu = _cpu_get(client, url, headers=reader)
    print(f"\nHTML report CPU: first {first_cpu * 1000:.0f} ms, repeat {repeat_cpu * 1000:.1f} ms "
          f"({len(first.content) / 1e6:.2f} MB)")
    assert first.status_code == repeat.status_code == 200
    assert first.content == repeat.content and b"data:image/png;base64," in first.content
    assert first.headers["etag"] == repeat.headers["etag"] == etag_of(first.content)
    assert first.headers["cache-control"] == "private, no-cache"
    assert repeat_cpu < first_cpu / 5
    other = client.get(url, params={"lang": "en"}, headers=reader)
    assert other.headers["etag"] != first.headers["etag"]  # a language is its own entry


def test_if_none_match_is_304(client: TestClient, reader: dict[str, str], scanned: int) -> None:
    url = f"{API}/scans/{scanned}/report"
    etag = client.get(url, params={"format": "sarif"}, headers=reader).headers["etag"]
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(url, params={"format": "sarif"},
                           headers={**reader, "If-None-Match": sent})
        assert again.status_code == 304 and again.content == b"", sent
        assert again.headers["etag"] == etag
    stale = client.get(url, params={"format": "sarif"},
                       headers={**reader, "If-None-Match": '"not-it"'})
    assert stale.status_code == 200 and stale.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 401


def test_a_new_rendering_when_the_report_would_change(client: TestClient, engine: Engine,
                                                      reader: dict[str, str], scanned: int,
                                                      tmp_path: Path) -> None:
    url = f"{API}/scans/{scanned}/report"
    before = client.get(url, headers=reader)
    target = ScanReport.model_validate_json(REPORT.read_text("utf-8")).target
    with session_scope(engine) as session:
        upsert_site(session, "改名后的县政府", target)
    renamed = client.get(url, headers=reader)
    assert renamed.headers["etag"] != before.headers["etag"]
    assert "改名后的县政府" in renamed.text and "改名后的县政府" not in before.text
    with session_scope(engine) as session:
        assert prune_artifacts(session, 0, data_root=tmp_path / "data").files > 0
    pruned = client.get(url, headers=reader)
    assert pruned.headers["etag"] != renamed.headers["etag"]
    assert b"data:image/" not in pruned.content


def test_unknown_and_unfinished_scans(client: TestClient, reader: dict[str, str],
                                      store: Any) -> None:
    assert client.get(f"{API}/scans/999/report", headers=reader).status_code == 404
    queued = store.queued("https://q.example.gov.cn/")
    assert client.get(f"{API}/scans/{queued}/report", headers=reader).status_code == 409


def test_concurrent_requests_render_once(make_client: Any, reader: dict[str, str],
                                         scanned: int) -> None:
    client = make_client(ApiSettings())
    url = f"{API}/scans/{scanned}/report?format=xlsx"
    bodies: list[bytes] = []
    threads = [threading.Thread(target=lambda: bodies.append(
        client.get(url, headers=reader).content)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    cache: ReportCache = client.app.state.elderscan.reports  # type: ignore[attr-defined]
    assert len(bodies) == 4 and len(set(bodies)) == 1  # xlsx renderings differ by a timestamp
    assert (cache.misses, cache.hits) == (1, 3)


def test_cache_off_renders_every_time(make_client: Any, reader: dict[str, str],
                                      scanned: int) -> None:
    client = make_client(ApiSettings(REPORT_CACHE_MB=0))
    url = f"{API}/scans/{scanned}/report"
    first = client.get(url, params={"format": "md"}, headers=reader)
    again = client.get(url, params={"format": "md"},
                       headers={**reader, "If-None-Match": first.headers["etag"]})
    cache: ReportCache = client.app.state.elderscan.reports  # type: ignore[attr-defined]
    assert again.status_code == 304 and cache.misses == 2 and cache.size == 0


def test_budget_evicts_least_recently_used() -> None:
    cache = ReportCache(max_bytes=1000)
    for key in "abc":
        cache.get_or_render(key, lambda: b"x" * 200)
    cache.get_or_render("a", lambda: pytest.fail("a is cached"))  # a is now the newest
    cache.get_or_render("d", lambda: b"y" * 200)
    cache.get_or_render("e", lambda: b"z" * 250)  # 1050 bytes: b, the oldest, goes
    assert cache.size == 850 and cache.get("b") is None and cache.get("a") is not None
    cache.get_or_render("big", lambda: b"w" * 251)  # over a quarter of the budget: not kept
    assert cache.get("big") is None and cache.size == 850
