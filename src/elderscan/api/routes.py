"""The endpoints under /api/v1. Handlers are thin: validation is in `schemas`, a batch's
body in `batchbody`, site URLs and the address guard in `siteurls`, storage in the store's
functions, a batch round and the hand-over to the runner (`elderscan.runner.dispatch`) in
`queueing`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AfterValidator

from elderscan.api.auth import require_admin, require_read
from elderscan.api.batchbody import BATCH_BODY, read_batch_body
from elderscan.api.context import USER_OPTIONS, AppContext, ctx
from elderscan.api.errors import ApiError, Phrase, not_found, responses
from elderscan.api.lang import scope_lang
from elderscan.api.metrics import CONTENT_TYPE
from elderscan.api.queueing import store_batch, submit
from elderscan.api.rankings import require_reader
from elderscan.api.reportcache import matches
from elderscan.api.reviews import lay_over
from elderscan.api.schemas import (
    MAX_ID,
    BatchAccepted,
    BatchOut,
    Health,
    History,
    ScanAccepted,
    ScanCreate,
    ScanError,
    ScanOut,
    ScanScore,
    clean_text,
)
from elderscan.api.siteurls import address_error, check_site_urls, normalise_site_url
from elderscan.api.storehealth import health_failure
from elderscan.errors import PhrasedValueError
from elderscan.netguard import AddressRefused
from elderscan.reports.rankings import localise
from elderscan.reports.source import ReportSource
from elderscan.siteaddress import site_url_key
from elderscan.store import (
    IdempotencyConflict,
    batch_progress,
    batch_ranking,
    enqueue_scan,
    get_scan,
    list_sites,
    report_version,
    site_history,
    upsert_site,
)
from elderscan.store.db import session_scope
from elderscan.store.models import Scan
from elderscan.store.queue import scan_by_idempotency_key
from elderscan.store.reviews import stamp as review_stamp
from elderscan.store.sites import site_out
from elderscan.store.views import SiteList, SiteOut
from elderscan.version import __version__

PREFIX = "/api/v1"
router = APIRouter(prefix=PREFIX)

ScanId = Annotated[int, Path(ge=1, le=MAX_ID, description="a scan id")]
SiteId = Annotated[int, Path(ge=1, le=MAX_ID, description="a site id")]
BatchId = Annotated[int, Path(ge=1, le=MAX_ID, description="a batch id")]
Category = Literal["gov", "bank", "other"]
FilterText = Annotated[str | None, Query(max_length=100), AfterValidator(
    lambda v: None if v is None else clean_text(v))]
Read = [Depends(require_read)]
Admin = [Depends(require_admin)]


# ------------------------------------------------------------------------------- helpers


def _scan_out(scan: Scan) -> ScanOut:
    finished = scan.status in ("done", "failed")
    score = None
    if scan.status == "done":
        score = ScanScore(total=scan.score_total, grade=scan.grade, passed=scan.passed,
                          dimensions=scan.dimensions(), vetoes=list(scan.vetoes or []),
                          scoring_model=scan.scoring_model)
    error = ScanError(code=scan.error_code, message=scan.error_message) \
        if scan.error_code else None
    return ScanOut(
        id=scan.id, site_id=scan.site_id, batch_id=scan.batch_id,
        status=scan.status,  # type: ignore[arg-type]
        target=scan.target,
        options={k: v for k, v in (scan.options or {}).items() if k in USER_OPTIONS},
        attempts=scan.attempts, created_at=scan.created_at, started_at=scan.started_at,
        finished_at=scan.finished_at, progress=scan.progress if not finished else None,
        result_status=scan.result_status,  # type: ignore[arg-type]
        error=error, score=score, result=scan.result if finished else None)


# --------------------------------------------------------------------------------- scans


@router.post(
    "/scans", status_code=202, response_model=ScanAccepted, dependencies=Admin,
    tags=["scans"], summary="Start a scan of a site",
    responses=responses(400, 401, 403, 408, 409, 413, 422, 503),
    description="Queues a scan and returns its id at once (202); poll `GET /scans/{id}`. The "
    "URL is checked by the address guard now and again at every redirect inside the scan. "
    "An `Idempotency-Key` header makes retries safe: the same key returns the same scan.")
async def create_scan(
    body: ScanCreate, request: Request, response: Response,
    idempotency_key: Annotated[str | None, Header(
        max_length=200, description="any client-chosen string; the same key returns the "
        "scan it first created")] = None,
) -> ScanAccepted:
    context = ctx(request)
    options = context.scan_options(body.options)
    url = normalise_site_url(body.url, ["body", "url"])
    try:
        await context.guard.check_url_async(url)
    except AddressRefused as exc:
        raise ApiError(422, "address_refused", details=[address_error(["body", "url"], exc)],
                       key="api.address-refused", values={"reason": exc}) from exc
    key = idempotency_key.strip() if idempotency_key else None
    if key:
        try:
            clean_text(key)
        except PhrasedValueError as exc:
            raise ApiError(422, "invalid_request", details=[
                {"loc": ["header", "idempotency-key"], "msg": str(exc),
                 "type": "value_error"}], key="api.idempotency-bad",
                values={"reason": exc}) from exc
    accepted, new = await run_in_threadpool(_store_scan, context, body, url, options, key)
    if new:
        await run_in_threadpool(submit, context, [accepted.id], "scan")
    response.headers["Location"] = f"{PREFIX}/scans/{accepted.id}"
    return accepted


def _store_scan(context: AppContext, body: ScanCreate, url: str, options: dict[str, Any],
                key: str | None) -> tuple[ScanAccepted, bool]:
    """(the scan, whether this request created it)."""
    with session_scope(context.engine) as session:
        if key:
            existing = scan_by_idempotency_key(session, key)
            if existing is not None:
                if existing.site.url_key != site_url_key(url)[1]:
                    raise ApiError(409, "conflict", key="api.idempotency-other-site",
                                   values={"value": repr(key)})
                return ScanAccepted(id=existing.id, site_id=existing.site_id,
                                    status=existing.status), False
        site = upsert_site(session, body.name, url, body.category, body.region, body.tags)
        try:
            scan = enqueue_scan(session, site, options=options, idempotency_key=key)
        except IdempotencyConflict as exc:
            raise ApiError(409, "conflict", key="api.idempotency-other-site",
                           values={"value": repr(key)}) from exc
        return ScanAccepted(id=scan.id, site_id=site.id, status=scan.status), True


@router.get("/scans/{scan_id}", response_model=ScanOut, dependencies=Read, tags=["scans"],
            summary="A scan: status, progress, and the result once finished",
            responses=responses(401, 403, 404, 422))
def read_scan(scan_id: ScanId, request: Request) -> ScanOut:
    with session_scope(ctx(request).engine) as session:
        scan = get_scan(session, scan_id)
        if scan is None:
            raise ApiError(404, "not_found", key="api.no-scan", values={"id": scan_id})
        out = _scan_out(scan)
        if scan.status == "done":  # decisions laid over the result, which stays as stored
            out.result, out.review = lay_over(session, scan.id, out.result)
        return out


REPORT_TYPES = {
    "html": "text/html; charset=utf-8", "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "junit": "application/xml", "sarif": "application/sarif+json",
    "md": "text/markdown; charset=utf-8",
}
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
"""The HTML report needs its inline styles and data: images, and never any script."""


@router.get("/scans/{scan_id}/report", dependencies=[Depends(require_reader)], tags=["scans"],
            summary="A finished scan's report, in any format `elderscan report` writes",
            response_class=Response,
            responses={**responses(401, 403, 404, 409, 422), 200: {
                "description": "the report file; its ETag names these bytes",
                "content": {t.split(";")[0]: {} for t in REPORT_TYPES.values()}},
                304: {"description": "If-None-Match named the current ETag"}},
            description="Takes a bearer token or a signed-in dashboard session (the "
            "dashboard's scan page links here). "
            "Rendered once per scan, format and language and then served from "
            "memory (`ELDERSCAN_API_REPORT_CACHE_MB`). Send the ETag back as `If-None-Match` "
            "to get 304 without the body.")
def read_report(
    scan_id: ScanId, request: Request,
    format: Annotated[Literal["html", "json", "csv", "xlsx", "junit", "sarif", "md"],
                      Query(description="report format")] = "html",
    lang: Annotated[Literal["zh", "en"], Query(description="language")] = "zh",
    download: Annotated[bool, Query(description="as an attachment")] = False,
    if_none_match: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    from elderscan.reports.formats import FORMATS

    context = ctx(request)
    with session_scope(context.engine) as session:
        version = report_version(session, scan_id)
        version = version and f"{version}|{review_stamp(session, scan_id)}"
    if version is None:
        raise ApiError(404, "not_found", key="api.no-scan", values={"id": scan_id})
    fmt = FORMATS[format]
    key = (scan_id, format, lang, version)
    rendered = context.reports.get_or_render(
        key, lambda: fmt.renderer()(_report_source(context, scan_id), lang))
    headers = {"ETag": rendered.etag, "Cache-Control": "private, no-cache"}
    if matches(if_none_match, rendered.etag):
        return Response(status_code=304, headers=headers)
    name = f"elderscan-scan-{scan_id}-{fmt.filename}"
    disposition = "attachment" if download or format == "xlsx" else "inline"
    headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    if format == "html":
        headers["Content-Security-Policy"] = REPORT_CSP
    return Response(rendered.body, media_type=REPORT_TYPES[format], headers=headers)


def _report_source(context: AppContext, scan_id: int) -> ReportSource:
    from elderscan.errors import UsageError
    from elderscan.reports.source import load_stored_scan
    from elderscan.store.db import NotFound

    with session_scope(context.engine) as session:
        try:
            return load_stored_scan(session, scan_id)
        except NotFound as exc:
            raise ApiError(404, "not_found", key="api.no-scan", values={"id": scan_id}) from exc
        except UsageError as exc:  # no result yet: said in the request's language
            scan = get_scan(session, scan_id)
            status = scan.status if scan is not None else "queued"
            raise ApiError(409, "not_finished", key="api.not-finished",
                           values={"id": scan_id, "status": Phrase(f"status.{status}")}) from exc


# ------------------------------------------------------------------------------- batches

@router.post(
    "/batches", status_code=202, response_model=BatchAccepted, dependencies=Admin,
    tags=["batches"], summary="Start a batch audit (a new round of a named batch)",
    responses=responses(400, 401, 403, 408, 413, 415, 422, 503), openapi_extra={
        "requestBody": BATCH_BODY},
    description="Queues one scan per distinct site. Posting the same `name` again starts "
    "its next round. Every site URL passes the address guard first; one refused site "
    "refuses the whole batch (422, each refused site listed in `details`).")
async def create_batch_route(request: Request, response: Response) -> BatchAccepted:
    context = ctx(request)
    body = await read_batch_body(request)
    options = context.scan_options(body.options)
    urls = await check_site_urls(context.guard, body, context.settings.DNS_BUDGET)
    accepted, scan_ids = await run_in_threadpool(store_batch, context, body, urls, options)
    await run_in_threadpool(submit, context, scan_ids, "batch")
    response.headers["Location"] = f"{PREFIX}/batches/{accepted.id}"
    return accepted


@router.get("/batches/{batch_id}", response_model=BatchOut, dependencies=Read,
            tags=["batches"], summary="A batch round: progress and ranking",
            responses=responses(401, 403, 404, 422))
def read_batch(
    batch_id: BatchId, request: Request,
    category: Category | None = None,
    region: FilterText = None,
    ranking_limit: Annotated[int, Query(ge=0, le=1000)] = 100,
    ranking_offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> BatchOut:
    with session_scope(ctx(request).engine) as session:
        progress = _found(lambda: batch_progress(session, batch_id))
        ranking = batch_ranking(session, batch_id, category=category, region=region,
                                limit=ranking_limit, offset=ranking_offset)
        return BatchOut(progress=progress, ranking=localise(ranking, scope_lang(request.scope)))


def _found(call: Any) -> Any:
    from elderscan.store.db import NotFound

    try:
        return call()
    except NotFound as exc:
        raise not_found(exc) from exc


# --------------------------------------------------------------------------------- sites


@router.get("/sites", response_model=SiteList, dependencies=Read, tags=["sites"],
            summary="Sites with their latest score, filtered and paginated",
            responses=responses(401, 403, 422))
def read_sites(
    request: Request,
    category: Category | None = None,
    region: FilterText = None,
    min_score: Annotated[float | None, Query(ge=0, le=100, description=(
        "latest completed score at least this (sites never scored drop out)"))] = None,
    max_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    q: Annotated[str | None, Query(max_length=200, description="text in name or URL"),
                 AfterValidator(lambda v: None if v is None else clean_text(v))] = None,
    order: Literal["name", "score", "id"] = "name",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> SiteList:
    if min_score is not None and max_score is not None and min_score > max_score:
        raise ApiError(422, "invalid_request", details=[
            {"loc": ["query", "min_score"], "msg": "greater than max_score",
             "type": "value_error"}], key="api.min-over-max")
    with session_scope(ctx(request).engine) as session:
        return list_sites(session, category=category, region=region or None,
                          min_score=min_score, max_score=max_score, search=q or None,
                          order=order, limit=limit, offset=offset)


@router.get("/sites/{site_id}", response_model=SiteOut, dependencies=Read, tags=["sites"],
            summary="A site and its latest score", responses=responses(401, 403, 404, 422))
def read_site(site_id: SiteId, request: Request) -> SiteOut:
    with session_scope(ctx(request).engine) as session:
        found = site_out(session, site_id)
    if found is None:
        raise ApiError(404, "not_found", key="api.no-site", values={"id": site_id})
    return found


@router.get("/sites/{site_id}/history", response_model=History, dependencies=Read,
            tags=["sites"], summary="Score per round and per dimension, oldest first",
            responses=responses(401, 403, 404, 422))
def read_history(site_id: SiteId, request: Request, include_failed: bool = True) -> History:
    with session_scope(ctx(request).engine) as session:
        points = _found(lambda: site_history(session, site_id, include_failed=include_failed))
        return History(site_id=site_id, items=points)


# ------------------------------------------------------------------------------- service


@router.get("/healthz", response_model=Health, tags=["service"],
            summary="Liveness and database check (no token needed)",
            responses=responses(503))
def healthz(request: Request) -> Response | Health:
    context = ctx(request)
    problem = context.store.check()
    if problem is not None:
        return health_failure(request, problem)
    return Health(status="ok", version=__version__, database=context.engine.dialect.name,
                  schema_revision=context.store.head,
                  runner="celery" if context.runner == "celery" else "local",
                  public_reads=context.settings.PUBLIC_READS)


@router.get("/metrics", dependencies=Read, tags=["service"],
            summary="Prometheus metrics: scans by status, request counts and latency",
            response_class=Response, responses={
                200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                      "description": "Prometheus text format 0.0.4"},
                **responses(401, 403)})
def metrics(request: Request) -> Response:
    return Response(ctx(request).metrics.render(), media_type=CONTENT_TYPE)
