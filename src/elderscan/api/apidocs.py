"""`/docs` served from the package: Swagger UI's script and style ship with elderscan.

FastAPI's default page loads them from a CDN, so on a closed government network `/docs` stays
blank. `install` switches that page off and serves the same page with local assets instead.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.requests import Request
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = "/static/apidocs"
"""Where the vendored swagger-ui-dist files are served (version in docs/api.md)."""


def install(app: FastAPI) -> None:
    """Serve `/docs` and its assets; the app must be made with `docs_url=None`."""
    app.mount(ASSETS, StaticFiles(directory=STATIC), name="apidocs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon-32x32.png")
