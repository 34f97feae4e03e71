"""The workbench's API: add and edit sites, watch a round live, cancel it, run it again.

    POST  /api/v1/sites                     add a site (admin)
    PATCH /api/v1/sites/{id}                edit a site's name, url, category, region, tags
    GET   /api/v1/batches/{id}/progress     every site's state in a round (live)
    POST  /api/v1/batches/{id}/cancel       stop its queued scans (admin)
    POST  /api/v1/batches/{id}/again        a new round with the same sites (admin)

URLs pass the same checks as everywhere else (`elderscan.sitelist.check_url`, then the
address guard); the dashboard's forms call `checked_url` too.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool

from elderscan.api.auth import Credentials, require_admin, require_read
from elderscan.api.context import AppContext, ctx
from elderscan.api.errors import ApiError, not_found, responses, said_in
from elderscan.api.lang import choose
from elderscan.api.routes import PREFIX
from elderscan.api.schemas import MAX_ID, BatchAccepted, Category, Name, Region, Tags, Url, _In
from elderscan.api.siteurls import normalise_site_url
from elderscan.i18n import Lang, text
from elderscan.netguard import AddressRefused
from elderscan.runner.rounds import RunnerUnavailable, start_next_round
from elderscan.sitelist import check_url
from elderscan.store import get_batch
from elderscan.store.db import NotFound, session_scope
from elderscan.store.rounds import (
    RoundIdle,
    RoundProgress,
    cancel_round,
    round_progress,
    token_name,
)
from elderscan.store.siteedit import SiteTaken, add_site, edit_site
from elderscan.store.sites import site_out as store_site_out
from elderscan.store.views import SiteOut

log = logging.getLogger("elderscan.api")
router = APIRouter(prefix=PREFIX)
SiteId = Annotated[int, Path(ge=1, le=MAX_ID, description="a site id")]
BatchId = Annotated[int, Path(ge=1, le=MAX_ID, description="a batch id")]


class SiteCreate(_In):
    url: Url
    name: Name | None = None
    category: Category | None = None
    region: Region | None = None
    tags: Tags | None = None


class SitePatch(_In):
    """Only the fields sent are changed; `region: ""` clears the region."""

    url: Url | None = None
    name: Name | None = None
    category: Category | None = None
    region: Region | None = None
    tags: Tags | None = None


class UrlProblem(ValueError):
    """A site address refused, with its catalogue key (for forms) and API error code."""

    def __init__(self, key: str, code: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.code, self.values = key, code, values

    def words(self, lang: Lang) -> str:
        return text(self.key, lang, **{k: said_in(v, lang) for k, v in self.values.items()})


async def checked_url(context: AppContext, url: str) -> str:
    """The normalised address, after the scheme check, the list check (`gov` is no address)
    and the address guard; UrlProblem otherwise."""
    try:
        norm = normalise_site_url(url, ["body", "url"])
    except ApiError as exc:
        if exc.code == "address_refused":
            raise UrlProblem("workbench.error.refused", exc.code,
                             reason=exc.values.get("reason", exc.message)) from exc
        norm = ""
    problem = check_url(url.strip()) if norm else "row.url.bad"
    if problem is not None:
        raise UrlProblem(f"workbench.list.{problem}", "invalid_request", url=url[:200],
                         field="url", limit=2000)
    try:
        await context.guard.check_url_async(norm)
    except AddressRefused as exc:
        raise UrlProblem("workbench.error.refused", "address_refused", reason=exc) from exc
    return norm


def site_out(context: AppContext, site_id: int) -> SiteOut:
    with session_scope(context.engine) as session:
        found = store_site_out(session, site_id)
    if found is None:
        raise ApiError(404, "not_found", key="api.no-site", values={"id": site_id})
    return found


def _lang(request: Request) -> Lang:
    return choose(request.url.query, request.headers.get("accept-language", ""))


async def _url_or_422(request: Request, url: str) -> str:
    try:
        return await checked_url(ctx(request), url)
    except UrlProblem as exc:
        reason = exc.values.get("reason")
        said: object
        if exc.code == "address_refused" and isinstance(reason, AddressRefused):
            words, said = reason.reason, reason  # the guard's words, in the request's language
        else:
            words = said = exc.words(_lang(request))
        raise ApiError(422, exc.code, details=[
            {"loc": ["body", "url"], "msg": words, "type": exc.code}], key="api.bad-field",
            values={"field": "url", "reason": said}) from exc


def _taken(exc: SiteTaken) -> ApiError:
    return ApiError(409, "conflict", details=[
        {"loc": ["body", "url"], "msg": f"site {exc.site_id}", "type": "site_exists"}],
        key="api.site-taken", values={"id": exc.site_id})


@router.post("/sites", status_code=201, response_model=SiteOut, tags=["sites"],
             dependencies=[Depends(require_admin)], summary="Add a site",
             responses=responses(400, 401, 403, 409, 422),
             description="The URL is normalised and checked by the address guard. An address "
             "already stored is a 409 naming that site (edit it instead).")
async def create_site(body: SiteCreate, request: Request, response: Response) -> SiteOut:
    context = ctx(request)
    url = await _url_or_422(request, body.url)

    def store() -> int:
        with session_scope(context.engine) as session:
            try:
                return add_site(session, url, body.name, body.category, body.region,
                                body.tags or []).id
            except SiteTaken as exc:
                raise _taken(exc) from exc

    site_id = await run_in_threadpool(store)
    response.headers["Location"] = f"{PREFIX}/sites/{site_id}"
    return await run_in_threadpool(site_out, context, site_id)


@router.patch("/sites/{site_id}", response_model=SiteOut, tags=["sites"],
              dependencies=[Depends(require_admin)], summary="Edit a site",
              responses=responses(400, 401, 403, 404, 409, 422),
              description="Changes only the fields sent. A new URL passes the same checks as "
              "a new site, and may not be another stored site's address (409).")
async def patch_site(site_id: SiteId, body: SitePatch, request: Request) -> SiteOut:
    context = ctx(request)
    url = None if body.url is None else await _url_or_422(request, body.url)

    def store() -> None:
        with session_scope(context.engine) as session:
            try:
                edit_site(session, site_id, url=url, name=body.name, category=body.category,
                          region=body.region, tags=body.tags)
            except NotFound as exc:
                raise not_found(exc) from exc
            except SiteTaken as exc:
                raise _taken(exc) from exc

    await run_in_threadpool(store)
    return await run_in_threadpool(site_out, context, site_id)


def _progress(context: AppContext, batch_id: int) -> RoundProgress:
    with session_scope(context.engine) as session:
        try:
            return round_progress(session, batch_id)
        except NotFound as exc:
            raise not_found(exc) from exc


@router.get("/batches/{batch_id}/progress", response_model=RoundProgress, tags=["batches"],
            dependencies=[Depends(require_read)], responses=responses(401, 403, 404, 422),
            summary="A round live: every site's state, score or failure reason",
            description="Poll it while a round runs: `finished` turns true when nothing is "
            "queued or running. A cancelled round's unstarted sites show status `cancelled`.")
def read_progress(batch_id: BatchId, request: Request) -> RoundProgress:
    return _progress(ctx(request), batch_id)


@router.post("/batches/{batch_id}/cancel", response_model=RoundProgress, tags=["batches"],
             dependencies=[Depends(require_admin)],
             responses=responses(401, 403, 404, 409, 422),
             summary="Cancel a round: queued scans do not start, running ones finish",
             description="409 when nothing in the round is queued or running (a finished "
             "round is left as it is).")
def cancel(batch_id: BatchId, request: Request, credentials: Credentials) -> RoundProgress:
    context = ctx(request)
    with session_scope(context.engine) as session:
        who = token_name(session, credentials.credentials) if credentials else None
        try:
            cancel_round(session, batch_id, who)
        except NotFound as exc:
            raise not_found(exc) from exc
        except RoundIdle as exc:
            raise ApiError(409, "conflict", key="hardening.round.idle") from exc
    return _progress(context, batch_id)


@router.post("/batches/{batch_id}/again", status_code=202, response_model=BatchAccepted,
             tags=["batches"], dependencies=[Depends(require_admin)],
             responses=responses(401, 403, 404, 422, 503),
             summary="Start a new round of this batch's name with the same sites",
             description="The sites and scan options of the batch's last round.")
def again(batch_id: BatchId, request: Request, response: Response) -> BatchAccepted:
    context = ctx(request)
    with session_scope(context.engine) as session:
        batch = get_batch(session, batch_id)
        if batch is None:
            raise ApiError(404, "not_found", key="api.no-batch", values={"id": batch_id})
        name = batch.name
    try:
        started = start_next_round(name, engine=context.engine, submit=context.submit,
                                   allow_hosts=context.scan_settings.ALLOW_HOSTS)
    except RunnerUnavailable as exc:
        log.warning("batch %s: %s", batch_id, exc)
        raise ApiError(503, "unavailable", key="api.runner-down") from exc
    context.metrics.submitted.labels("batch").inc(len(started.scan_ids))
    response.headers["Location"] = f"{PREFIX}/batches/{started.batch_id}"
    return BatchAccepted(id=started.batch_id, name=started.name, round=started.round,
                         total=len(started.scan_ids))

