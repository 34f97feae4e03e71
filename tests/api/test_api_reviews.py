"""Human review through the real app, on SQLite and PostgreSQL, with two real rounds of the
gov-image-text fixture site (its gradient hero is a `contrast.over-image` finding the engine
leaves for review): a decision made on round 1 is carried to round 2's matching finding, a
waiver needs a reason, a read token cannot decide, every action is audited, the score after
review is recomputed, and the HTML report and the dashboard show the decision, escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from tests.saved_results import load

from conftest import copy_store
from elderscan.api import create_app
from elderscan.api.settings import ApiSettings
from elderscan.contract import ScanReport
from elderscan.reports.source import load_report_file
from elderscan.scoring.rescore import rescore
from elderscan.store import (
    claim_scan,
    create_batch,
    get_engine,
    reset_engines,
    save_result,
    session_scope,
    upgrade,
    upsert_site,
)
from elderscan.store.models import Base, ReviewEvent, Scan
from elderscan.store.reviews import site_rules
from store.conftest import fresh_pg_database

API = "/api/v1"
HOST = "review.test"
ORIGIN = {"Origin": f"http://{HOST}"}
REASON = "<script>alert(1)</script> 渐变上的白字经人工核对清晰可辨"
RULE = "contrast.over-image"


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def rounds() -> tuple[ScanReport, ScanReport]:
    """Two real scans of gov-image-text, as two rounds of an audit would make them: its
    recorded scan (tests/recorded, kept equal to a live one), twice."""
    found = tuple(load("gov-image-text").report for _ in range(2))
    for report in found:
        assert report.status == "ok", report.error
        assert any(f.rule == RULE and f.outcome == "review"
                   for p in report.pages for f in p.findings), "the fixture lost its review"
    return found  # type: ignore[return-value]


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with fresh_pg_database("elderscan_review") as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The API conftest's store, on both databases (PostgreSQL emptied for each test)."""
    data = tmp_path / "data"
    data.mkdir()
    if request.param == "sqlite":
        url = copy_store(request.getfixturevalue("migrated_sqlite"), tmp_path / "api.db")
    else:
        url = str(request.getfixturevalue("pg_database"))
        reset_engines()
        with get_engine(url).begin() as conn:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        reset_engines()
    monkeypatch.setenv("ELDERSCAN_DATA_DIR", str(data))
    monkeypatch.setenv("ELDERSCAN_DATABASE_URL", url)
    for name in ("ELDERSCAN_BROKER_URL", "ELDERSCAN_API_PUBLIC_READS", "ELDERSCAN_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    yield url
    reset_engines()


@pytest.fixture
def stored(engine: Engine, rounds: tuple[ScanReport, ScanReport]) -> tuple[int, int, int]:
    """(site id, round 1's scan id, round 2's scan id), stored as the runner stores them."""
    scan_ids = []
    for report in rounds:
        with session_scope(engine) as session:
            site = upsert_site(session, "云岭州人民政府", rounds[0].target, "gov", "云岭州")
            batch = create_batch(session, "复核测试", [site])
            scan_id, site_id = batch.scans[0].id, site.id
        with session_scope(engine) as session:
            claim_scan(session, scan_id, "test")
            save_result(session, scan_id, report)
        scan_ids.append(scan_id)
    return site_id, scan_ids[0], scan_ids[1]


@pytest.fixture
def api(make_client: Any) -> TestClient:
    client: TestClient = make_client()
    return client


def _review_finding(client: TestClient, scan_id: int, headers: dict[str, str]
                    ) -> dict[str, Any]:
    body = client.get(f"{API}/scans/{scan_id}", headers=headers).json()
    found = [f for p in body["result"]["pages"] for f in p["findings"]
             if f["rule"] == RULE and f["outcome"] == "review"]
    assert len(found) == 1, found
    return found[0]


def _decide(client: TestClient, scan_id: int, finding_id: int, headers: dict[str, str],
            **body: Any) -> Any:
    return client.post(f"{API}/scans/{scan_id}/findings/{finding_id}/decision",
                       headers=headers, json=body)


# --------------------------------------------------------------------------------- API


def test_a_decision_on_round_one_is_carried_to_round_two(
        api: TestClient, stored: tuple[int, int, int], admin: dict[str, str],
        reader: dict[str, str], engine: Engine, tmp_path: Path) -> None:
    _, first, second = stored
    finding = _review_finding(api, first, reader)
    assert finding["decision"] is None and isinstance(finding["finding_id"], int)
    assert _review_finding(api, second, reader)["decision"] is None
    before = api.get(f"{API}/scans/{second}", headers=reader).json()["review"]
    assert (before["open"], before["reviewed_total"]) == (1, before["engine_total"])

    made = _decide(api, first, finding["finding_id"], admin, kind="waive", reason=REASON)
    assert made.status_code == 200, made.text
    assert made.json()["decision"]["by"] == "test admin"

    carried = _review_finding(api, second, reader)
    assert carried["finding_id"] != finding["finding_id"]
    decision = carried["decision"]
    assert (decision["kind"], decision["reason"], decision["by"], decision["from_scan"]) == (
        "waive", REASON, "test admin", first)
    read = api.get(f"{API}/scans/{second}", headers=reader).json()
    summary = read["review"]
    assert (summary["review"], summary["waived"], summary["open"]) == (1, 1, 0)
    assert summary["reviewed_total"] > summary["engine_total"]

    # the stored result keeps the engine's verdict: nothing was written into it
    with session_scope(engine) as session:
        stored_result = session.get(Scan, second).result  # type: ignore[union-attr]
    assert stored_result is not None
    assert "decision" not in str(stored_result)
    assert read["score"]["total"] == summary["engine_total"]
    # a result saved from the API still reads as a result (`elderscan report saved.json`)
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(read["result"], ensure_ascii=False), "utf-8")
    assert load_report_file(saved).report.to_json_dict() == ScanReport.model_validate(
        stored_result).to_json_dict()


def test_the_reviewed_score_counts_confirmed_as_fail_and_waived_as_pass(
        api: TestClient, stored: tuple[int, int, int], admin: dict[str, str],
        reader: dict[str, str], rounds: tuple[ScanReport, ScanReport]) -> None:
    _, first, second = stored
    report = rounds[1]
    at = next((i, j) for i, p in enumerate(report.pages) for j, f in enumerate(p.findings)
              if f.rule == RULE and f.outcome == "review")
    engine_score = rescore(report, {}, site_rules())
    assert engine_score is not None and engine_score["total"] == report.score["total"]
    confirmed = rescore(report, {at: "fail"}, site_rules())
    waived = rescore(report, {at: "pass"}, site_rules())
    assert confirmed and waived and confirmed["total"] < engine_score["total"] < waived["total"]

    finding_id = _review_finding(api, second, reader)["finding_id"]
    made = _decide(api, second, finding_id, admin, kind="confirm")
    assert made.status_code == 200, made.text
    review = made.json()["review"]
    assert (review["confirmed"], review["fail"]) == (1, report.summary.fail + 1)
    assert review["reviewed_total"] == confirmed["total"]
    assert review["reviewed_dimensions"]["contrast"] == confirmed["dimensions"]["contrast"]
    _decide(api, second, finding_id, admin, kind="waive", reason="看得清")
    assert api.get(f"{API}/scans/{second}/review", headers=reader).json()[
        "reviewed_total"] == waived["total"]
    # round 1 carries it too, scored with its own findings
    assert api.get(f"{API}/scans/{first}/review", headers=reader).json()["waived"] == 1


def test_a_waiver_needs_a_reason_and_a_read_token_cannot_decide(
        api: TestClient, stored: tuple[int, int, int], admin: dict[str, str],
        reader: dict[str, str]) -> None:
    _, first, _ = stored
    finding_id = _review_finding(api, first, reader)["finding_id"]
    for reason in (None, "", "   "):
        refused = _decide(api, first, finding_id, admin, kind="waive", reason=reason)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"] == "reason_required"
        assert refused.json()["message"] == "A waiver needs a reason."
    chinese = api.post(f"{API}/scans/{first}/findings/{finding_id}/decision?lang=zh",
                       headers=admin, json={"kind": "waive"})
    assert chinese.status_code == 422 and chinese.json()["message"] == "豁免必须填写理由。"
    assert _decide(api, first, finding_id, reader, kind="confirm").status_code == 403
    assert _decide(api, first, finding_id, {}, kind="confirm").status_code == 401
    assert api.delete(f"{API}/scans/{first}/findings/{finding_id}/decision",
                      headers=reader).status_code == 403
    assert _decide(api, first, finding_id, admin, kind="maybe").status_code == 422
    assert _decide(api, first, 10**9, admin, kind="confirm").status_code == 404
    engine_judged = next(f for p in api.get(f"{API}/scans/{first}", headers=reader).json()[
        "result"]["pages"] for f in p["findings"] if f["outcome"] == "fail")
    assert "decision" not in engine_judged
    decisions = api.get(f"{API}/sites/{stored[0]}/decisions", headers=reader).json()
    assert decisions == {"site_id": stored[0], "decisions": [], "audit": []}


def test_every_action_is_audited_and_a_withdrawal_reopens_the_finding(
        api: TestClient, stored: tuple[int, int, int], admin: dict[str, str],
        reader: dict[str, str], engine: Engine) -> None:
    site_id, first, second = stored
    one = _review_finding(api, first, reader)["finding_id"]
    two = _review_finding(api, second, reader)["finding_id"]
    assert _decide(api, first, one, admin, kind="confirm").status_code == 200
    assert _decide(api, second, two, admin, kind="waive", reason="复核：可辨认").status_code == 200
    gone = api.delete(f"{API}/scans/{second}/findings/{two}/decision", headers=admin)
    assert gone.status_code == 204
    again = api.delete(f"{API}/scans/{second}/findings/{two}/decision", headers=admin)
    assert again.status_code == 409 and again.json()["error"] == "no_decision"
    assert _review_finding(api, first, reader)["decision"] is None

    listed = api.get(f"{API}/sites/{site_id}/decisions", headers=reader).json()
    assert listed["decisions"] == []
    audit = listed["audit"]
    assert [(e["action"], e["previous"], e["scan_id"], e["finding_id"]) for e in audit] == [
        ("withdraw", "waive", second, two), ("waive", "confirm", second, two),
        ("confirm", None, first, one)]
    assert {e["by"] for e in audit} == {"test admin"}
    assert audit[1]["reason"] == "复核：可辨认"
    assert all(e["at"].endswith("Z") or e["at"].endswith("+00:00") for e in audit)
    with session_scope(engine) as session:
        assert len(session.execute(select(ReviewEvent)).scalars().all()) == 3
    assert api.get(f"{API}/sites/999/decisions", headers=reader).status_code == 404
    assert api.get(f"{API}/sites/{site_id}/decisions").status_code == 401


def test_only_a_finding_left_for_review_can_be_decided(
        api: TestClient, stored: tuple[int, int, int], admin: dict[str, str],
        engine: Engine) -> None:
    _, first, _ = stored
    from elderscan.store.models import FindingRow

    with session_scope(engine) as session:
        failed = session.execute(select(FindingRow.id).where(
            FindingRow.scan_id == first, FindingRow.outcome == "fail").limit(1)).scalar_one()
    refused = _decide(api, first, failed, admin, kind="waive", reason="不同意")
    assert refused.status_code == 409 and refused.json()["error"] == "not_review"


def test_the_html_report_shows_the_decision_escaped(
        api: TestClient, stored: tuple[int, int, int], admin: dict[str, str],
        reader: dict[str, str]) -> None:
    _, first, second = stored
    path = f"{API}/scans/{second}/report?format=html&lang=en"
    before = api.get(path, headers=reader)
    assert before.status_code == 200
    assert "Human review: Awaiting review" in before.text
    finding_id = _review_finding(api, first, reader)["finding_id"]
    assert _decide(api, first, finding_id, admin, kind="waive", reason=REASON).status_code == 200
    after = api.get(path, headers={**reader, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200, "the report cache must notice the decision"
    html = after.text
    assert "Human review: Waived" in html
    assert f"carried over from scan #{first}" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "Score after review" in html and "Engine score (before review)" in html
    assert "(Beijing time)" in html
    zh = api.get(f"{API}/scans/{second}/report?format=html&lang=zh", headers=reader).text
    assert "人工复核：已豁免" in zh and "复核后评分" in zh and "北京时间" in zh


# ---------------------------------------------------------------------------- dashboard


@pytest.fixture
def browser_client(db_url: str, recorder: Any) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(create_app(ApiSettings(), submit=recorder),
                            base_url=f"http://{HOST}", follow_redirects=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _signed_in(make: Any, token: str) -> TestClient:
    client: TestClient = make()
    response = client.post("/login", headers=ORIGIN, data={"token": token, "next": "/"})
    assert response.status_code == 303, response.text
    return client


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "no review form on the page"
    return found.group(1)


def test_the_dashboard_decides_and_shows_the_decision(
        browser_client: Any, stored: tuple[int, int, int], tokens: dict[str, str],
        api: TestClient, reader: dict[str, str]) -> None:
    site_id, first, second = stored
    finding_id = _review_finding(api, first, reader)["finding_id"]
    admin = _signed_in(browser_client, tokens["admin"])
    page = admin.get(f"/scans/{first}").text
    assert f'id="finding-{finding_id}"' in page and "人工复核：待人工复核，尚未决定" in page
    assert f'<label for="reason-{finding_id}">豁免理由（必填）</label>' in page
    token = _csrf(page)
    action = f"/scans/{first}/findings/{finding_id}/decision"

    assert admin.post(action, headers=ORIGIN, data={"action": "confirm"}).status_code == 403
    assert admin.post(action, headers={"Origin": "https://evil.example"},
                      data={"action": "confirm", "csrf": token}).status_code == 403
    empty = admin.post(action, headers=ORIGIN, data={"action": "waive", "csrf": token,
                                                     "reason": "  "})
    assert empty.status_code == 303
    shown = admin.get(empty.headers["location"]).text
    assert "豁免必须填写理由。" in shown and "人工复核：待人工复核" in shown

    done = admin.post(action + "?lang=en", headers=ORIGIN,
                      data={"action": "waive", "csrf": token, "reason": REASON})
    assert done.status_code == 303
    assert done.headers["location"].endswith(f"#finding-{finding_id}")
    assert "lang=en" in done.headers["location"]
    english = admin.get(done.headers["location"]).text
    assert "Waived. The same finding in later rounds carries this decision." in english
    assert "Human review: Waived" in english
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in english and "<script>alert" not in english

    later = admin.get(f"/scans/{second}?lang=zh").text
    assert "人工复核：已豁免" in later and f"沿用检测 #{first} 上作出的决定" in later
    assert "复核记录（1 条）" in later and "（北京时间）" in later
    assert 'id="reviewed-total"' in later and "复核后评分" in later
    site = admin.get(f"/sites/{site_id}").text
    assert 'id="review-decisions"' in site and "已豁免" in site
    assert "&lt;script&gt;" in site and "<script>alert" not in site

    read = _signed_in(browser_client, tokens["read"])
    seen = read.get(f"/scans/{second}").text
    assert "人工复核：已豁免" in seen
    assert 'name="csrf"' not in seen and "只有管理员账号可以作出复核决定。" in seen
    refused = read.post(action, headers=ORIGIN, data={"action": "withdraw", "csrf": token})
    assert refused.status_code == 403
    withdrawn = admin.post(action, headers=ORIGIN, data={"action": "withdraw", "csrf": token})
    assert withdrawn.status_code == 303
    assert "人工复核：待人工复核" in admin.get(f"/scans/{second}?lang=zh").text
