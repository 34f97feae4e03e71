"""The dashboard page `/schedules`: every schedule with its next run in the configured zone
(Beijing time by default); an admin session also creates, turns on and off, runs and deletes
them. Plain forms that work without JavaScript, each carrying a CSRF token (`csrf_ok`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from elderscan.api.dashboard import access, writes
from elderscan.api.dashboard.routes import Reader
from elderscan.api.dashboard.view import View, render
from elderscan.recurrence import (
    KINDS,
    Recurrence,
    RecurrenceError,
    configured_zone,
    zone,
)
from elderscan.schedules.scheduler import run_schedule
from elderscan.store.batches import names_by_newest_round
from elderscan.store.db import NotFound, session_scope
from elderscan.store.models import Schedule
from elderscan.store.schedules import (
    NEVER,
    batch_rounds,
    create_schedule,
    delete_schedule,
    get_schedule,
    list_schedules,
    session_token_name,
    update_schedule,
)

router = APIRouter(include_in_schema=False)
MAX_ID = 2**53
DONE = ("created", "enabled", "disabled", "deleted", "ran")
CSRF_FIELD = "csrf"


# ---------------------------------------------------------------------------------- CSRF


def csrf_ok(request: Request, form: Any) -> bool:
    """A form post from one of our own pages in this session (the dashboard's one check,
    `writes.csrf_ok`)."""
    return writes.csrf_ok(request, form.get(CSRF_FIELD))


# ---------------------------------------------------------------------------------- views


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    enabled: bool
    every: str
    sites: str
    next_run: str
    last: str | None
    last_link: str | None
    created_by: str


def _local(view: View, moment: datetime | None, shown_in: str) -> str:
    if moment is None:
        return view.t("schedules.none_next")
    return moment.astimezone(zone(shown_in)).strftime("%Y-%m-%d %H:%M")


def _zone_name(view: View, name: str) -> str:
    key = f"schedules.zone.{name}"
    from elderscan.i18n import has

    return view.t(key) if has(key) else view.t("schedules.zone.other", zone=name)


def _every(view: View, row: Schedule, shown_in: str) -> str:
    if row.kind == "cron":
        said = view.t("schedules.every.cron", cron=row.cron or "")
    elif row.kind == "weekly":
        said = view.t("schedules.every.weekly", at=row.at,
                      weekday=view.t(f"schedules.weekday.{row.weekday}"))
    elif row.kind == "monthly":
        said = view.t("schedules.every.monthly", at=row.at, day=row.day)
    else:
        said = view.t("schedules.every.daily", at=row.at)
    if row.time_zone != shown_in:
        said += f" ({_zone_name(view, row.time_zone)})" if view.lang == "en" \
            else f"（{_zone_name(view, row.time_zone)}）"
    return said


def _row(view: View, row: Schedule, rounds: dict[int, tuple[str, int]], shown_in: str) -> Row:
    last = link = None
    if row.last_run_at is not None:
        when = _local(view, row.last_run_at, shown_in)
        found = rounds.get(row.last_batch_id) if row.last_batch_id else None
        if row.last_outcome == "failed":
            last = view.t("schedules.last.failed", when=when,
                          reason=view.t(row.last_error or "schedules.error.internal"))
        elif found:
            last = view.t("schedules.last.started", when=when, round=found[1])
            link = view.link("/rankings", batch=found[0], round=found[1])
        else:
            last = view.t("schedules.last.started_gone", when=when)
    if not row.enabled and row.last_error == NEVER and row.last_outcome != "failed":
        last = view.t("hardening.schedule.stopped", last=last or "—",
                      reason=view.t(NEVER))
    sites = (view.t("schedules.sites.latest") if row.site_ids is None
             else view.t("schedules.sites.count", count=len(row.site_ids)))
    return Row(id=row.id, name=row.name, enabled=row.enabled,
               every=_every(view, row, shown_in), sites=sites,
               next_run=_local(view, row.next_run_at if row.enabled else None, shown_in),
               last=last, last_link=link, created_by=row.created_by or "—")


def _id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _page(request: Request, status: int = 200, *, done: str | None = None,
          problem: str | None = None, values: dict[str, str] | None = None) -> Response:
    view = View.of(request)
    shown_in = configured_zone()
    with session_scope(request.app.state.elderscan.engine) as session:
        rows = list_schedules(session)
        rounds = batch_rounds(session, [r.last_batch_id for r in rows if r.last_batch_id])
        shown = [_row(view, r, rounds, shown_in) for r in rows]
        batches = names_by_newest_round(session)
    admin = access.role(request) == "admin"
    return render(request, "schedules.html", status, v=view, rows=shown, admin=admin,
                  csrf=writes.csrf_token(request) if admin else "", done=done, problem=problem,
                  values=values or {"kind": "daily", "at": "08:00", "weekday": "0",
                                    "day": "1"},
                  kinds=KINDS, batches=batches, zone_name=_zone_name(view, shown_in))


def _back(request: Request, done: str) -> Response:
    return RedirectResponse(View.of(request).link("/schedules", done=done), status_code=303)


async def _admin_form(request: Request) -> tuple[Any, Response | None]:
    """The posted form, or the page that refuses it (not an admin, or no valid CSRF token).
    The role is checked before the body is read, and the body is read with the workbench's
    bounds (no files, a few fields), so no one can make the server parse a large form."""
    if access.role(request) != "admin":
        return {}, await run_in_threadpool(_page, request, 403,
                                           problem="schedules.forbidden")
    form = await request.form(max_files=0, max_fields=20)
    if not csrf_ok(request, form):
        return form, await run_in_threadpool(_page, request, 403, problem="schedules.csrf")
    return form, None


# ---------------------------------------------------------------------------------- pages


@router.get("/schedules", dependencies=Reader)
def schedules_page(request: Request, done: str | None = None) -> Response:
    return _page(request, done=done if done in DONE else None)


def _int(raw: str) -> int | None:
    return int(raw) if raw.strip().isdigit() else None


def _create(request: Request, values: dict[str, str]) -> Response:
    name = values["name"].strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        return _page(request, 422, problem="schedules.error.name", values=values)
    kind = values["kind"]
    cron = values["cron"].strip() or None
    if cron:
        kind = "cron"  # a cron expression, when given, is the recurrence
    rule = Recurrence(kind=kind if kind in KINDS else "daily",
                      at=values["at"].strip()[:5], weekday=_int(values["weekday"]),
                      day=_int(values["day"]), cron=cron, zone=configured_zone())
    context = request.app.state.elderscan
    options = {"guard_addresses": True, "allow_hosts": list(context.scan_settings.ALLOW_HOSTS)}
    try:
        with session_scope(context.engine) as session:
            creator = session_token_name(session, request.cookies.get(access.COOKIE, ""))
            create_schedule(session, name=name, rule=rule, options=options,
                            created_by=creator)
    except RecurrenceError as exc:
        return _page(request, 422, problem=exc.key, values=values)
    return _back(request, "created")


@router.post("/schedules", dependencies=Reader)
async def create_page(request: Request) -> Response:
    form, refused = await _admin_form(request)
    if refused is not None:
        return refused
    values = {k: str(form.get(k) or "")[:200] for k in
              ("name", "kind", "at", "weekday", "day", "cron")}
    return await run_in_threadpool(_create, request, values)


def _change(request: Request, schedule_id: int, action: str) -> Response:
    context = request.app.state.elderscan
    if action == "run":
        outcome = run_schedule(context.engine, schedule_id, submit=context.submit,
                               allow_hosts=context.scan_settings.ALLOW_HOSTS, manual=True)
        if outcome is None:
            return _page(request, 404, problem="schedules.missing")
        if outcome.error:
            return _page(request, 409, problem=outcome.error)
        return _back(request, "ran")
    with session_scope(context.engine) as session:
        if action == "delete":
            found = delete_schedule(session, schedule_id)
        else:
            row = get_schedule(session, schedule_id)
            found = row is not None
            if row is not None:
                try:
                    update_schedule(session, row, {"enabled": action == "enable"})
                except (RecurrenceError, NotFound):
                    found = False
    if not found:
        return _page(request, 404, problem="schedules.missing")
    return _back(request, {"delete": "deleted", "enable": "enabled",
                           "disable": "disabled"}[action])


@router.post("/schedules/{schedule_id}/{action}", dependencies=Reader)
async def change_page(request: Request, schedule_id: str, action: str) -> Response:
    number = _id(schedule_id)
    if number is None or action not in ("enable", "disable", "delete", "run"):
        return Response(status_code=404)
    _, refused = await _admin_form(request)
    if refused is not None:
        return refused
    return await run_in_threadpool(_change, request, number, action)


@router.get("/schedules/{schedule_id}/delete", dependencies=Reader)
def confirm_delete(request: Request, schedule_id: str) -> Response:
    """Deleting asks once more, on its own page (no script needed)."""
    number = _id(schedule_id)
    with session_scope(request.app.state.elderscan.engine) as session:
        row = get_schedule(session, number) if number else None
        name = row.name if row else None
    if name is None or number is None:
        return _page(request, 404, problem="schedules.missing")
    admin = access.role(request) == "admin"
    return render(request, "schedule_delete.html", 200 if admin else 403, name=name,
                  schedule_id=number, admin=admin, csrf=writes.csrf_token(request) if admin else "")
