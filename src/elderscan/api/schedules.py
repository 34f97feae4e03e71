"""/api/v1/schedules: recurring rounds of a batch. Reads need a read token, changes an admin
token; "run now" starts a round through the same door as the scheduler."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from elderscan.api.auth import Credentials, require_admin, require_read
from elderscan.api.context import ctx
from elderscan.api.errors import ApiError, responses
from elderscan.api.lang import choose
from elderscan.api.schedule_schemas import (
    LastRun,
    RunStarted,
    ScheduleChange,
    ScheduleCreate,
    ScheduleList,
    ScheduleOut,
)
from elderscan.api.schemas import MAX_ID
from elderscan.i18n import Lang, text
from elderscan.recurrence import Recurrence, RecurrenceError, configured_zone, zone
from elderscan.schedules.scheduler import run_schedule
from elderscan.store.db import NotFound, session_scope
from elderscan.store.models import Schedule
from elderscan.store.schedules import (
    batch_rounds,
    create_schedule,
    delete_schedule,
    get_schedule,
    list_schedules,
    token_name,
    update_schedule,
)

PREFIX = "/api/v1"
router = APIRouter(prefix=PREFIX, tags=["schedules"])
ScheduleId = Annotated[int, Path(ge=1, le=MAX_ID, description="a schedule id")]
Read = [Depends(require_read)]
Admin = [Depends(require_admin)]


def _lang(request: Request) -> Lang:
    return choose(request.url.query, request.headers.get("accept-language", ""))


def schedule_out(row: Schedule, rounds: dict[int, tuple[str, int]], lang: Lang) -> ScheduleOut:
    last = None
    if row.last_run_at is not None:
        found = rounds.get(row.last_batch_id) if row.last_batch_id else None
        last = LastRun(at=row.last_run_at,
                       outcome="failed" if row.last_outcome == "failed" else "started",
                       batch_id=row.last_batch_id, round=found[1] if found else None,
                       error=row.last_error,
                       message=text(row.last_error, lang) if row.last_error else None)
    local = None
    if row.next_run_at is not None:
        try:
            local = row.next_run_at.astimezone(zone(row.time_zone)).isoformat()
        except RecurrenceError:
            local = None
    return ScheduleOut(
        id=row.id, name=row.name,
        site_ids=None if row.site_ids is None else [int(i) for i in row.site_ids],
        kind=row.kind,  # type: ignore[arg-type]
        at=row.at, weekday=row.weekday, day=row.day, cron=row.cron, time_zone=row.time_zone,
        enabled=row.enabled, options=dict(row.options or {}), created_by=row.created_by,
        created_at=row.created_at, updated_at=row.updated_at, next_run_at=row.next_run_at,
        next_run_local=local, last_run=last)


def _refused(exc: RecurrenceError, lang: Lang) -> ApiError:
    message = text(exc.key, lang, **exc.values)
    return ApiError(422, "invalid_request", message, [
        {"loc": ["body"], "msg": message, "type": exc.key}])


def _missing_sites(exc: NotFound, lang: Lang) -> ApiError:
    message = text("schedules.error.site_ids", lang, ids=exc.values.get("id", ""))
    return ApiError(422, "invalid_request", message, [
        {"loc": ["body", "site_ids"], "msg": message, "type": "not_found"}])


def _not_found(schedule_id: int, lang: Lang) -> ApiError:
    return ApiError(404, "not_found", text("schedules.error.not_found", lang, id=schedule_id))


def _creator(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is None:
        return None
    with session_scope(ctx(request).engine) as session:
        return token_name(session, credentials.credentials)


@router.get("/schedules", response_model=ScheduleList, dependencies=Read,
            summary="Every schedule: on ones by next run, then the ones that are off",
            responses=responses(401, 403))
def read_schedules(request: Request) -> ScheduleList:
    lang = _lang(request)
    with session_scope(ctx(request).engine) as session:
        rows = list_schedules(session)
        rounds = batch_rounds(session, [r.last_batch_id for r in rows if r.last_batch_id])
        return ScheduleList(items=[schedule_out(r, rounds, lang) for r in rows])


@router.post("/schedules", status_code=201, response_model=ScheduleOut, dependencies=Admin,
             summary="Schedule recurring rounds of a batch",
             responses=responses(400, 401, 403, 422),
             description="Daily, weekly on a weekday, monthly on a day (past a month's end: "
             "its last day), at `at` in `time_zone`; or a cron expression. Each run starts "
             "the batch's next round, with `site_ids` or the sites of its latest round. The "
             "scans run with the address guard, as those of `POST /batches`.")
def create_schedule_route(body: ScheduleCreate, request: Request, response: Response,
                          credentials: Credentials) -> ScheduleOut:
    context, lang = ctx(request), _lang(request)
    rule = Recurrence(kind=body.kind, at=body.at, weekday=body.weekday, day=body.day,
                      cron=body.cron, zone=body.time_zone or configured_zone())
    options = context.scan_options(body.options)
    creator = _creator(request, credentials)
    try:
        with session_scope(context.engine) as session:
            row = create_schedule(session, name=body.name, rule=rule, site_ids=body.site_ids,
                                  options=options, enabled=body.enabled, created_by=creator)
            out = schedule_out(row, {}, lang)
    except RecurrenceError as exc:
        raise _refused(exc, lang) from exc
    except NotFound as exc:
        raise _missing_sites(exc, lang) from exc
    response.headers["Location"] = f"{PREFIX}/schedules/{out.id}"
    return out


@router.get("/schedules/{schedule_id}", response_model=ScheduleOut, dependencies=Read,
            summary="A schedule, its next run and its last", responses=responses(401, 403, 404))
def read_schedule(schedule_id: ScheduleId, request: Request) -> ScheduleOut:
    lang = _lang(request)
    with session_scope(ctx(request).engine) as session:
        row = get_schedule(session, schedule_id)
        if row is None:
            raise _not_found(schedule_id, lang)
        rounds = batch_rounds(session, [row.last_batch_id] if row.last_batch_id else [])
        return schedule_out(row, rounds, lang)


@router.patch("/schedules/{schedule_id}", response_model=ScheduleOut, dependencies=Admin,
              summary="Change a schedule, or turn it on or off",
              responses=responses(400, 401, 403, 404, 422))
def change_schedule(schedule_id: ScheduleId, body: ScheduleChange,
                    request: Request) -> ScheduleOut:
    context, lang = ctx(request), _lang(request)
    changes: dict[str, Any] = {}
    for key in body.model_fields_set:
        value = getattr(body, key)
        if value is None and key not in ("site_ids", "weekday", "day", "cron"):
            continue  # null for a required field means "leave it"
        changes[key] = context.scan_options(value) if key == "options" else value
    try:
        with session_scope(context.engine) as session:
            row = get_schedule(session, schedule_id)
            if row is None:
                raise _not_found(schedule_id, lang)
            update_schedule(session, row, changes)
            rounds = batch_rounds(session, [row.last_batch_id] if row.last_batch_id else [])
            return schedule_out(row, rounds, lang)
    except RecurrenceError as exc:
        raise _refused(exc, lang) from exc
    except NotFound as exc:
        raise _missing_sites(exc, lang) from exc


@router.delete("/schedules/{schedule_id}", status_code=204, dependencies=Admin,
               summary="Delete a schedule (its past rounds stay)",
               responses=responses(401, 403, 404))
def remove_schedule(schedule_id: ScheduleId, request: Request) -> Response:
    with session_scope(ctx(request).engine) as session:
        if not delete_schedule(session, schedule_id):
            raise _not_found(schedule_id, _lang(request))
    return Response(status_code=204)


@router.post("/schedules/{schedule_id}/run", status_code=202, response_model=RunStarted,
             dependencies=Admin, summary="Start a round of this schedule now",
             responses=responses(401, 403, 404, 409),
             description="The next scheduled run stays as it was. 409 with the reason if no "
             "round could be started (the batch has no sites yet, the runner is away, or the "
             "round this schedule started last is still queued or running).")
async def run_now(schedule_id: ScheduleId, request: Request) -> RunStarted:
    context, lang = ctx(request), _lang(request)
    outcome = await run_in_threadpool(run_schedule, context.engine, schedule_id,
                                      submit=context.submit,
                                      allow_hosts=context.scan_settings.ALLOW_HOSTS,
                                      manual=True)
    if outcome is None:
        raise _not_found(schedule_id, lang)
    if outcome.error:
        raise ApiError(409, "conflict", text(outcome.error, lang), [
            {"loc": ["path", "schedule_id"], "msg": text(outcome.error, lang),
             "type": outcome.error}])
    return RunStarted(schedule_id=schedule_id, outcome="started", batch_id=outcome.batch_id)
