"""The FastAPI application: `create_app()` wires settings, store, guard, runner and metrics."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from elderscan.api import apidocs
from elderscan.api.compare import router as compare_router
from elderscan.api.context import AppContext, Submit
from elderscan.api.dashboard import mount as mount_dashboard
from elderscan.api.errors import install_error_handlers
from elderscan.api.metrics import Metrics, MetricsMiddleware
from elderscan.api.middleware import BodyLimit, SecurityHeaders
from elderscan.api.rankings import router as rankings_router
from elderscan.api.reportcache import ReportCache
from elderscan.api.reviews import router as reviews_router
from elderscan.api.routes import PREFIX, router
from elderscan.api.routing import attach
from elderscan.api.schedules import router as schedules_router
from elderscan.api.schemas import BatchCreate, BatchUpload
from elderscan.api.settings import ApiSettings
from elderscan.api.storehealth import StoreWatch
from elderscan.api.storehealth import install as install_store_errors
from elderscan.api.workbench import router as workbench_router
from elderscan.clock import configured_zone
from elderscan.netguard import RESOLVE_TIMEOUT, AddressGuard
from elderscan.runner.dispatch import uses_broker
from elderscan.settings import load_settings
from elderscan.store import unfinished_scans
from elderscan.store.db import get_engine, session_scope
from elderscan.store.migrate import require_head
from elderscan.version import __version__

DESCRIPTION = """\
Scores how well Chinese government and bank websites serve older people (适老化), keeps every
scan, and serves scores, rankings and history.

**Auth.** `Authorization: Bearer <token>`; tokens come from `elderscan token create --role
admin|read`. Writes (`POST`) need an admin token. Reads need a token of either role unless the
service sets `ELDERSCAN_API_PUBLIC_READS=1`. `GET /api/v1/healthz` needs none.

**Errors** are JSON: `{"error": "<code>", "message": "…", "details": [...]}`.

**Address guard.** Scan targets that are or resolve to loopback, private, link-local,
multicast or cloud-metadata addresses, and non-http(s) URLs, are refused (422
`address_refused`) unless `ELDERSCAN_ALLOW_HOSTS` permits them; the scanner checks again at
every redirect and connection.
"""


def _default_submit(scan_ids: list[int]) -> None:
    from elderscan.runner.dispatch import submit_scans

    submit_scans(scan_ids)


def _resume_unfinished(context: AppContext) -> None:
    """After a restart the in-process runner has an empty queue; scans the store still shows as
    queued or running (their runner died with the old process) are handed to it again."""
    if context.runner != "local":
        return  # a broker keeps its own queue
    with session_scope(context.engine) as session:
        scan_ids = unfinished_scans(session)
    if scan_ids:
        context.submit(scan_ids)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, plus the models of POST /batches (its body is read by hand because it
    takes JSON or a CSV upload)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes, tags=app.openapi_tags)
    _, extra = models_json_schema([(BatchCreate, "validation"), (BatchUpload, "validation")],
                                  ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in extra.get("$defs", {}).items():
        components.setdefault(name, definition)
    app.openapi_schema = schema
    return schema


def create_app(
    settings: ApiSettings | None = None,
    *,
    database_url: str | None = None,
    submit: Submit | None = None,
    check_schema: bool = True,
) -> FastAPI:
    """The API app.

    `settings` default to the environment (`ELDERSCAN_API_*`); the database is the store's
    (`ELDERSCAN_DATABASE_URL`, else SQLite in `ELDERSCAN_DATA_DIR`) unless `database_url` is
    given — the runner writes results to the store's, so give one only if they are the same.
    `submit` hands new scan ids to the runner: `elderscan.runner.dispatch.submit_scans` by
    default (Celery when `ELDERSCAN_BROKER_URL` is set, else the in-process pool).
    Raises DatabaseError if the schema is not at this version's head (run
    `elderscan db upgrade`), unless `check_schema` is False.
    """
    configured_zone()  # a bad ELDERSCAN_TIMEZONE stops the service now, not on a page
    settings = settings or ApiSettings()
    scan_settings = load_settings()
    engine = get_engine(database_url)
    if check_schema:
        require_head(engine)
    metrics = Metrics(engine)
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _resume_unfinished(app.state.elderscan)
        yield

    app = FastAPI(
        title="elderscan API", version=__version__, description=DESCRIPTION, lifespan=lifespan,
        openapi_tags=[
            {"name": "scans", "description": "Scan one site; read a scan; compare two"},
            {"name": "batches", "description": "Audit many sites; progress and ranking"},
            {"name": "sites", "description": "Sites, their latest scores and history"},
            {"name": "schedules", "description": "Recurring rounds of a batch"},
            {"name": "reviews", "description": "Confirm or waive findings left for review"},
            {"name": "service", "description": "Health and metrics"},
        ],
        docs_url=None, redoc_url=None,
    )
    app.state.elderscan = AppContext(
        engine=engine, settings=settings, scan_settings=scan_settings,
        guard=replace(AddressGuard.from_allow(scan_settings.ALLOW_HOSTS),
                      resolve_timeout=min(RESOLVE_TIMEOUT, settings.DNS_BUDGET)),
        submit=submit or _default_submit, metrics=metrics, store=StoreWatch(engine),
        reports=ReportCache(int(settings.REPORT_CACHE_MB * 1_000_000)),
        runner="celery" if uses_broker() else "local")
    install_error_handlers(app)
    install_store_errors(app, app.state.elderscan.store)

    attach(app, router, schedules_router, reviews_router, rankings_router, workbench_router,
           compare_router)
    apidocs.install(app)
    mount_dashboard(app)
    app.add_middleware(BodyLimit, limit=settings.MAX_BODY_BYTES, timeout=settings.BODY_TIMEOUT)
    app.add_middleware(SecurityHeaders, api_prefix=PREFIX)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
