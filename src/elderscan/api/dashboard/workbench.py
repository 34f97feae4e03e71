"""The dashboard's writes: upload a site list with a preview, start a round, run one again,
watch it live and cancel it; add and edit sites.

Every POST goes through `writes.check_write` (same origin, an admin session, the session's
CSRF token). A round is started by the API's own path (`check_site_urls` with the address guard,
then `api/queueing.py`), so the dashboard and `POST /api/v1/batches` cannot drift apart.
The preview keeps nothing on the server: its form carries the good rows back (as JSON, within
the CSRF-protected POST), and they are checked again before anything is stored.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from elderscan.api.context import ctx
from elderscan.api.dashboard import access, writes
from elderscan.api.dashboard.routes import MAX_ID, Reader
from elderscan.api.dashboard.view import View, render
from elderscan.api.errors import ApiError
from elderscan.api.queueing import store_batch, submit
from elderscan.api.schemas import BatchCreate, ScanOptions
from elderscan.api.siteurls import check_site_urls
from elderscan.api.workbench import UrlProblem, checked_url
from elderscan.i18n import Lang
from elderscan.reports.error_words import error_reason
from elderscan.runner.rounds import RunnerUnavailable, start_next_round
from elderscan.sitelist import SiteList, category_of, parse
from elderscan.store import get_site, latest_batch
from elderscan.store.db import NotFound, session_scope
from elderscan.store.models import SITE_CATEGORIES
from elderscan.store.rounds import (
    RoundIdle,
    RoundProgress,
    RoundSite,
    batch_names,
    cancel_round,
    recent_rounds,
    round_progress,
    session_token_name,
)
from elderscan.store.siteedit import SiteTaken, add_site, edit_site

router = APIRouter(include_in_schema=False)
POLL_SECONDS = 5
"""How often the round page asks for news (the no-JS fallback reloads every 15 s)."""
MAX_UPLOAD = 5_000_000


def _id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _engine(request: Request) -> Any:
    return ctx(request).engine


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return render(request, template, status, csrf=writes.csrf_token(request),
                  admin=writes.is_admin(request), **context)


def _redirect(request: Request, path: str, **params: Any) -> Response:
    return RedirectResponse(View.of(request).link(path, **params), status_code=303)


# ------------------------------------------------------------------------- workbench page


def _workbench(request: Request, status: int = 200, **context: Any) -> Response:
    with session_scope(_engine(request)) as session:
        rounds = recent_rounds(session)
        names = batch_names(session)
    context.setdefault("preview", None)
    context.setdefault("problem", None)
    context.setdefault("name", "")
    context.setdefault("max_pages", "")
    return _page(request, "workbench.html", status, rounds=rounds, names=names, **context)


@router.get("/workbench", dependencies=Reader)
def workbench_page(request: Request) -> Response:
    return _workbench(request)


class Preview:
    """What the preview page shows: every row with its verdict, and what may start."""

    def __init__(self, sites: SiteList, lang: Lang) -> None:
        self.sites = sites
        self.rows = [(row, [p.phrase(lang) for p in row.problems]) for row in sites.rows]
        self.file_problems = [p.text(lang) for p in sites.problems]
        self.good = sites.good
        self.bad = sites.bad
        self.payload = json.dumps([s.fields() for s in self.good], ensure_ascii=False)

    @property
    def startable(self) -> bool:
        return bool(self.good) and not self.sites.problems


@router.post("/workbench/preview", dependencies=Reader)
async def preview(request: Request) -> Response:
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Exception:
        return writes.refused(request, "workbench.csrf")
    refused = writes.check_write(request, form.get(writes.FIELD))
    if refused is not None:
        return refused
    view = View.of(request)
    name = str(form.get("name") or "").strip()[:200]
    pages = str(form.get("max_pages") or "").strip()[:4]
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _workbench(request, 422, problem=view.t("workbench.list.empty"), name=name,
                          max_pages=pages)
    cap_pages = ctx(request).settings.MAX_PAGES
    if pages and not (pages.isdigit() and 1 <= int(pages) <= cap_pages):
        return _workbench(request, 422, problem=view.t("workbench.upload.pages.bad",
                                                          limit=cap_pages),
                          name=name, max_pages="")
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _workbench(request, 413, problem=view.t("workbench.list.too_many",
                                                          limit=ctx(request).settings
                                                          .MAX_BATCH_SITES),
                          name=name, max_pages=pages)
    sites = await run_in_threadpool(parse, data, upload.filename)
    cap = ctx(request).settings.MAX_BATCH_SITES
    if len(sites.rows) > cap:
        return _workbench(request, 413, problem=view.t("workbench.list.too_many", limit=cap),
                          name=name, max_pages=pages)
    result = Preview(sites, view.lang)
    return _workbench(request, 200 if sites.ok else 422, preview=result,
                      name=name or upload.filename.rsplit(".", 1)[0][:200], max_pages=pages)


@router.post("/workbench/start", dependencies=Reader)
async def start(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    refused = writes.check_write(request, form.get(writes.FIELD))
    if refused is not None:
        return refused
    view = View.of(request)
    context = ctx(request)
    name = str(form.get("name") or "").strip() or "dashboard"
    try:
        rows = json.loads(str(form.get("sites") or "[]"))
        cap = context.settings.MAX_BATCH_SITES
        if isinstance(rows, list) and len(rows) > cap:  # the hidden list is the browser's
            return _workbench(request, 413, name=name,
                              problem=view.t("workbench.list.too_many", limit=cap))
        pages = str(form.get("max_pages") or "").strip()
        options = ScanOptions(max_pages=int(pages) if pages else None)
        body = BatchCreate.model_validate({"name": name, "sites": rows,
                                           "options": options.model_dump(exclude_none=True)})
        scan_options = context.scan_options(body.options)
        urls = await check_site_urls(context.guard, body, context.settings.DNS_BUDGET)
    except (ValueError, ValidationError, ApiError):
        return _workbench(request, 422, problem=view.t("workbench.preview.expired"),
                          name=name)
    accepted, scan_ids = await run_in_threadpool(store_batch, context, body, urls,
                                                 scan_options)
    with contextlib.suppress(ApiError):  # refused scans are marked failed (`dispatch`)
        await run_in_threadpool(submit, context, scan_ids, "batch")
    return _redirect(request, f"/rounds/{accepted.id}")


@router.post("/workbench/again", dependencies=Reader)
async def again(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    refused = writes.check_write(request, form.get(writes.FIELD))
    if refused is not None:
        return refused
    context = ctx(request)
    name = str(form.get("batch") or "").strip()
    try:
        started = await run_in_threadpool(
            lambda: start_next_round(name, engine=context.engine, submit=context.submit,
                                     allow_hosts=context.scan_settings.ALLOW_HOSTS))
    except NotFound:
        return _workbench(request, 404, problem=View.of(request).t("workbench.again.none"))
    except RunnerUnavailable:  # its scans are marked failed (`dispatch`): the round says so
        with session_scope(context.engine) as session:
            last = latest_batch(session, name)
            target = last.id if last else None
        if target is None:  # no round to show the failure on: say it here
            return _workbench(request, 503, name=name,
                              problem=View.of(request).t("workbench.error.dispatch"))
        return _redirect(request, f"/rounds/{target}")
    context.metrics.submitted.labels("batch").inc(len(started.scan_ids))
    return _redirect(request, f"/rounds/{started.batch_id}")


# ----------------------------------------------------------------------------- a round


def reason(site: RoundSite, lang: Lang) -> str:
    """Why a site failed, in words from the catalogue (never the raw exception text): the
    same table as the ranking's (`error_reason`)."""
    return error_reason(site.error_code, lang)


def _status_json(progress: RoundProgress, view: View) -> dict[str, Any]:
    """The round as the page's script needs it: numbers and the words to show."""
    sites = []
    for s in progress.sites:
        words = view.t(f"workbench.status.{s.status}")
        if s.status == "running" and s.pages_done is not None and s.pages_total:
            words = view.t("workbench.round.pages", done=s.pages_done, total=s.pages_total)
        sites.append({"scan_id": s.scan_id, "status": s.status, "status_text": words,
                      "score": None if s.score_total is None else view.score(s.score_total),
                      "reason": reason(s, view.lang) if s.status in ("failed", "cancelled")
                      else None})
    return {"id": progress.id, "status": progress.status, "finished": progress.finished,
            "status_text": view.t(f"workbench.batch.{progress.status}"),
            "summary": view.t("workbench.round.progress", total=progress.total,
                              finished=progress.done + progress.failed, done=progress.done,
                              failed=progress.failed, running=progress.running,
                              queued=progress.queued),
            "sites": sites}


def _progress(request: Request, raw: str) -> RoundProgress | None:
    number = _id(raw)
    if number is None:
        return None
    with session_scope(_engine(request)) as session:
        try:
            return round_progress(session, number)
        except NotFound:
            return None


@router.get("/rounds/{batch_id}", dependencies=Reader)
def round_page(request: Request, batch_id: str) -> Response:
    progress = _progress(request, batch_id)
    view = View.of(request)
    if progress is None:
        return render(request, "error.html", 404, title_key="err.404",
                      message_key="workbench.round.missing", values={"id": batch_id[:20]})
    return _page(request, "round.html", v=view, round=progress,
                 live=_status_json(progress, view), poll=POLL_SECONDS,
                 reasons={s.scan_id: reason(s, view.lang) for s in progress.sites})


@router.get("/rounds/{batch_id}/status.json", dependencies=Reader)
def round_status(request: Request, batch_id: str) -> Response:
    progress = _progress(request, batch_id)
    if progress is None:
        return JSONResponse({"error": "not_found"}, status_code=404,
                            headers={"cache-control": "no-store"})
    return JSONResponse(_status_json(progress, View.of(request)),
                        headers={"cache-control": "no-store"})


@router.post("/rounds/{batch_id}/cancel", dependencies=Reader)
async def cancel(request: Request, batch_id: str) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    refused = writes.check_write(request, form.get(writes.FIELD))
    if refused is not None:
        return refused
    number = _id(batch_id)

    def stop() -> bool | None:
        """True: cancelled; False: no such round; None: nothing queued or running."""
        with session_scope(_engine(request)) as session:
            who = session_token_name(session, request.cookies.get(access.COOKIE, ""))
            try:
                cancel_round(session, number or 0, who)
            except NotFound:
                return False
            except RoundIdle:
                return None
        return True

    stopped = False if number is None else await run_in_threadpool(stop)
    if stopped is None:
        return render(request, "error.html", 409, title_key="hardening.round.idle.title",
                      message_key="hardening.round.idle", values={})
    if not stopped:
        return render(request, "error.html", 404, title_key="err.404",
                      message_key="workbench.round.missing", values={"id": batch_id[:20]})
    return _redirect(request, f"/rounds/{number}")


# ------------------------------------------------------------------------------- sites


def _site_form(request: Request, status: int = 200, **context: Any) -> Response:
    context.setdefault("problems", [])
    return _page(request, "site_form.html", status, categories=SITE_CATEGORIES, **context)


@router.get("/workbench/sites/new", dependencies=Reader)
def new_site_page(request: Request) -> Response:
    return _site_form(request, site=None, values={"url": "", "name": "", "category": "gov",
                                                  "region": "", "tags": ""})


@router.get("/sites/{site_id}/edit", dependencies=Reader)
def edit_site_page(request: Request, site_id: str) -> Response:
    number = _id(site_id)
    with session_scope(_engine(request)) as session:
        site = get_site(session, number) if number else None
        if site is None:
            return render(request, "error.html", 404, title_key="err.404",
                          message_key="err.404.site", values={"id": site_id[:20]})
        values = {"url": site.url, "name": site.name, "category": site.category,
                  "region": site.region or "", "tags": "; ".join(site.tags or [])}
        info = {"id": site.id, "name": site.name}
    return _site_form(request, site=info, values=values)


def _form_values(form: Any) -> dict[str, str]:
    return {k: str(form.get(k) or "").strip()[:2000] for k in
            ("url", "name", "category", "region", "tags")}


async def _save_site(request: Request, site_id: int | None) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    refused = writes.check_write(request, form.get(writes.FIELD))
    if refused is not None:
        return refused
    view = View.of(request)
    values = _form_values(form)
    problems: list[str] = []
    category, sector = category_of(values["category"]) if values["category"] else (None, None)
    if category is None:
        problems.append(view.t("workbench.list.row.category", value=values["category"]))
    tags = [t.strip() for t in values["tags"].replace("；", ";").split(";") if t.strip()]
    if sector and sector not in tags:
        tags.append(sector)
    for field, limit in (("name", 200), ("region", 100)):
        if len(values[field]) > limit:
            problems.append(view.t("workbench.list.row.too_long",
                                   field=view.t(f"workbench.site.{field}"), limit=limit))
    if len(tags) > 20 or any(len(t) > 50 for t in tags):
        problems.append(view.t("workbench.list.row.tags", count=20, limit=50))
    url = ""
    try:
        url = await checked_url(ctx(request), values["url"])
    except UrlProblem as exc:
        problems.append(exc.words(view.lang))
    info = None
    if site_id is not None:
        info = {"id": site_id, "name": values["name"]}
    if problems:
        return _site_form(request, 422, site=info, values=values, problems=problems)

    def store() -> int:
        with session_scope(_engine(request)) as session:
            if site_id is None:
                return add_site(session, url, values["name"] or None, category,
                                values["region"] or None, tags).id
            return edit_site(session, site_id, url=url, name=values["name"] or None,
                             category=category, region=values["region"], tags=tags).id

    try:
        saved = await run_in_threadpool(store)
    except SiteTaken as exc:
        return _site_form(request, 409, site=info, values=values,
                          problems=[view.t("workbench.site.taken", name=exc.name)],
                          taken=exc.site_id)
    except NotFound:
        return render(request, "error.html", 404, title_key="err.404",
                      message_key="err.404.site", values={"id": str(site_id)})
    return _redirect(request, f"/sites/{saved}")


@router.post("/workbench/sites/new", dependencies=Reader)
async def create_site(request: Request) -> Response:
    return await _save_site(request, None)


@router.post("/sites/{site_id}/edit", dependencies=Reader)
async def update_site(request: Request, site_id: str) -> Response:
    number = _id(site_id)
    if number is None:
        return render(request, "error.html", 404, title_key="err.404",
                      message_key="err.404.site", values={"id": site_id[:20]})
    return await _save_site(request, number)
