"""The dashboard's scan page names a rule that could not run, and why, in either language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from elderscan.store import claim_scan, enqueue_scan, save_result, session_scope, upsert_site

from .conftest import StoreData, report


def test_the_dashboard_names_a_rule_that_could_not_run(
    client: TestClient, admin: dict[str, str], store: StoreData
) -> None:
    url = "https://www.shimen.example.gov.cn/"
    result = report(url, 80.0)
    assert result.score is not None
    result.score["unjudged"] = [{"rule": "motion.timing", "dimension": "accessibility",
                                 "count": 1, "reason": f"motion was not captured: the page left "
                                 f"{url} by itself during the motion probe (a script redirect "
                                 "or reload on a timer), so it could not be watched"}]
    with session_scope(store.engine) as session:
        scan_id = enqueue_scan(session, upsert_site(session, "石门市", url, "gov", None)).id
    with session_scope(store.engine) as session:
        claim_scan(session, scan_id, "test")
        save_result(session, scan_id, result)
    origin = str(client.base_url).rstrip("/")
    token = admin["Authorization"].removeprefix("Bearer ")
    signed_in = client.post("/login", headers={"Origin": origin}, data={"token": token})
    assert signed_in.status_code in (200, 303), signed_in.text
    for lang, head, why in (
            ("zh", "未能判定的规则", "未能取得动效检测的结果：在动效检测期间，页面自行离开了"),
            ("en", "Rules that could not be judged", "by itself during the motion probe")):
        html = client.get(f"/scans/{scan_id}?lang={lang}").text
        assert 'id="unjudged"' in html and head in html
        assert "motion.timing" in html and why in html, lang
