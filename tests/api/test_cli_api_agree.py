"""The command line and the API give the same result for the same page and options.

Why they once did not (issue: a RequireJS page "未能计分" on the command line, 58.9 through the
API batch): the API runs every scan behind the address guard, which answers a request to a host
it refuses (here 127.0.0.2, loopback but not allow-listed) at once with an error, while the
command line lets Chromium wait for a host that never answers. The page's loader then either
gave up on the module at once ("Script error for: stats", from an event) or kept waiting until
its own timer threw "Load timeout for modules: stats" while the motion probe ran the page clock,
which used to leave motion.timing unjudged and the total null. Now what the page throws is its
console error either way, so both doors score it alike.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from bench.blackhole import Blackhole
from fastapi.testclient import TestClient

from conftest import SiteFarm
from elderscan.cli.options import ScanArgs
from elderscan.cli.scanning import run_scan

API = "/api/v1"
pytestmark = pytest.mark.browser


@pytest.fixture
def silent_host() -> Iterator[str]:
    """A host that accepts connections and never answers, as a third-party server that is
    unreachable from the scanner looks to Chromium (loopback, so no traffic leaves)."""
    with Blackhole(ports=1) as hole:
        yield hole.origins[0].removeprefix("http://")


@pytest.fixture
def api(make_client: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The service as deployed: its scans run in this process behind the address guard, with
    only 127.0.0.1 allow-listed, and the scan settings' defaults."""
    monkeypatch.setenv("ELDERSCAN_ALLOW_HOSTS", "127.0.0.1")
    from elderscan.runner import dispatch

    client: TestClient = make_client(submit=None)
    yield client
    dispatch.shutdown()


def _api_result(client: TestClient, headers: dict[str, str], url: str) -> dict[str, Any]:
    response = client.post(f"{API}/batches", headers=headers, json={
        "name": "agree", "sites": [{"url": url, "name": "石门市（示例）", "category": "gov"}],
        "options": {"max_pages": 1}})
    assert response.status_code == 202, response.text
    batch = response.json()["id"]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state = client.get(f"{API}/batches/{batch}", headers=headers).json()
        assert state["progress"]["failed"] == 0, state
        if state["progress"]["done"] == 1:
            scan_id = state["ranking"][0]["scan_id"]
            body = client.get(f"{API}/scans/{scan_id}", headers=headers).json()
            result: dict[str, Any] = body["result"]
            return result
        time.sleep(0.5)
    raise AssertionError("the batch's scan did not finish in 180 s")


def _verdicts(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["rule"], f["outcome"]) for page in result["pages"] for f in page["findings"]}


def test_the_same_page_scores_the_same_through_the_cli_and_the_api_batch(
    api: TestClient, admin: dict[str, str], sites: SiteFarm, silent_host: str
) -> None:
    url = f"{sites.url('portal-robust-requirejs')}?cdn={silent_host}"
    cli = run_scan(ScanArgs(url=url, max_pages=1, quiet=True)).report.to_json_dict()
    served = _api_result(api, admin, url)
    cli_errors = cli["pages"][0]["console_errors"]
    api_errors = served["pages"][0]["console_errors"]
    # Two different network outcomes, each recorded as the page's own error ...
    assert any("Load timeout for modules: stats" in e for e in cli_errors), cli_errors
    assert any("Script error for: stats" in e for e in api_errors), api_errors
    # ... and one verdict.
    assert cli["score"]["unjudged"] == served["score"]["unjudged"] == []
    assert cli["score"] == served["score"]
    assert _verdicts(cli) == _verdicts(served)
