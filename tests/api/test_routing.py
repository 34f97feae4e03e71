"""The app's routes are the routers' own, put on it by `attach`: the same API as FastAPI's
`include_router` gives, without building every route again for each app."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI

from elderscan.api import create_app
from elderscan.api import routing as api_routing
from elderscan.api.routes import router as scans_router


def _included(app: FastAPI, *routers: APIRouter) -> None:
    for router in routers:
        app.include_router(router)


def test_the_app_documents_the_same_api_as_with_include_router(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    attached = create_app()
    import elderscan.api.app as app_module
    import elderscan.api.dashboard.routes as dashboard_module

    monkeypatch.setattr(app_module, "attach", _included)
    monkeypatch.setattr(dashboard_module, "attach", _included)
    included = create_app()
    assert attached.openapi() == included.openapi()
    assert len(attached.openapi()["paths"]) >= 20


def test_apps_share_the_routes_built_at_import(db_url: str) -> None:
    first, second = create_app(), create_app()
    route = next(r for r in scans_router.routes if getattr(r, "path", "").endswith("/scans"))
    assert any(r is route for r in first.router.routes)
    assert any(r is route for r in second.router.routes)


def _router_with(**kwargs: Any) -> APIRouter:
    router = APIRouter(**kwargs)

    @router.get("/x")
    def x() -> dict[str, str]:
        return {}

    return router


def test_attach_refuses_a_router_it_would_lose_parts_of() -> None:
    with pytest.raises(ValueError, match="start-up"):
        api_routing.attach(FastAPI(), _router_with(on_startup=[lambda: None]))
    with pytest.raises(ValueError, match="limits"):
        api_routing.attach(FastAPI(), _router_with(max_body_size=1000))
    outer = APIRouter()
    outer.include_router(_router_with(), prefix="/inner")
    with pytest.raises(ValueError, match="attach: a"):  # its merged lifespan, or the router
        api_routing.attach(FastAPI(), outer)


def test_attach_serves_the_routes() -> None:
    from fastapi.testclient import TestClient

    app = FastAPI()
    api_routing.attach(app, _router_with(prefix="/p"))
    with TestClient(app) as client:
        assert client.get("/p/x").json() == {}
        assert client.get("/x").status_code == 404
