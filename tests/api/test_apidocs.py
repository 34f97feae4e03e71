"""`/docs` works on a closed network: Swagger UI's assets come from the package, not a CDN."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from elderscan.api import create_app

from .test_dashboard import Served


def test_docs_page_names_only_local_assets(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "https://" not in page.text
    script = client.get("/static/apidocs/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 500_000
    assert client.get("/static/apidocs/swagger-ui.css").status_code == 200
    assert client.get("/redoc").status_code == 404


@pytest.fixture
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from elderscan.scanner._chromium import find_chromium

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.mark.browser
def test_docs_render_operations_with_every_outside_request_blocked(
        db_url: str, recorder: Any, chromium: Any) -> None:
    blocked: list[str] = []

    def only_loopback(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with Served(create_app(submit=recorder)) as server:
        context = chromium.new_context()
        context.route("**/*", only_loopback)
        page = context.new_page()
        page.goto(f"{server.url}/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        operations = page.locator(".opblock-summary-path").all_inner_texts()
        context.close()
    assert any("/api/v1/scans" in op for op in operations), operations
    assert any("/api/v1/healthz" in op for op in operations), operations
    assert blocked == []
