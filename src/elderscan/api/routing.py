"""Putting the service's routers on an app.

Each router here carries its prefix, tags, dependencies and schema visibility itself (FastAPI
applies them when a route is declared), so `FastAPI.include_router` would add nothing. It
wraps each router instead, and on an app's first request builds every route's validators
again: ~50 ms an app. A service makes one app; the test suite makes ~260, and paid 12 s of
CPU for it. `attach` puts the routes, built once at import, on the app as they are.

What that gives up, none of which the service uses: `app.dependency_overrides` does not reach
an attached route (it keeps its router's provider), and settings given to `FastAPI(...)` itself
(dependencies, responses, default response class, body and form limits) are not applied to
it. Put those on the router.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route


def attach(app: FastAPI, *routers: APIRouter) -> None:
    """Add the routers' routes to `app`, in order. Refuses a router that `include_router`
    would have given more than its routes (start-up handlers, routers included in it), so
    nothing is dropped silently."""
    for router in routers:
        if router.on_startup or router.on_shutdown \
                or type(router.lifespan_context).__name__ != "_DefaultLifespan":
            raise ValueError("attach: a router with start-up or shut-down handlers")
        if router.max_body_size is not None or router.form_limits \
                or getattr(router, "_low_priority_routes", None):
            raise ValueError("attach: a router with limits or routes of its own to merge")
        for route in router.routes:
            if not _plain(route):
                raise ValueError(f"attach: {type(route).__name__} in a router")
        app.router.routes.extend(router.routes)


def _plain(route: BaseRoute) -> bool:
    return isinstance(route, APIRoute | Route | Mount)
