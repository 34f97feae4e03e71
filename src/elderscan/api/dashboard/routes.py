"""The dashboard's pages: sites, rankings, a site's history, a scan, a comparison, sign-in.

Handlers are plain `def`s (FastAPI runs them in its thread pool, as the API's reads): each
reads the store through the repository, shapes what the template needs, and renders it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from elderscan import clock
from elderscan.api.dashboard import access, fixhelp, reviews
from elderscan.api.dashboard.chart import Chart, trend_chart
from elderscan.api.dashboard.said import said_again, scan_error
from elderscan.api.dashboard.view import CSP, View, render
from elderscan.api.routing import attach
from elderscan.dimensions import DIMENSIONS
from elderscan.errors import UsageError
from elderscan.reports.digest import (
    Located,
    RuleGroup,
    guard_refusals,
    message,
    rule_groups,
    rule_why,
    unjudged,
    unjudged_text,
)
from elderscan.reports.fixes import judged_screenshot
from elderscan.reports.marking import marked_crop
from elderscan.reports.source import ReportSource, load_stored_scan
from elderscan.reports.versions import TEXT as VERSION_TEXT
from elderscan.reports.versions import version_rows
from elderscan.scoring import weights
from elderscan.store import (
    get_scan,
    get_site,
    list_sites,
    lookups,
    site_history,
)
from elderscan.store.db import data_dir, session_scope
from elderscan.store.models import SITE_CATEGORIES
from elderscan.store.views import HistoryPoint

STATIC = Path(__file__).resolve().parent / "static"
PAGE_SIZE = 20
MAX_PER_RULE = 12
"""Problems listed per rule on a scan page; the rest are counted (the 整改清单 has the totals)."""
MAX_ID = 2**53
SHOT_CACHE = "max-age=86400"

router = APIRouter(include_in_schema=False)


def mount(app: Any) -> None:
    """Add the pages and their static files to the API app."""
    from elderscan.api.dashboard.compare import router as compare_router
    from elderscan.api.dashboard.rankings import router as rankings  # it imports `reader`
    from elderscan.api.dashboard.schedules import router as schedules_router
    from elderscan.api.dashboard.workbench import router as workbench_router

    attach(app, router, schedules_router, reviews.router, rankings, workbench_router,
           compare_router, fixhelp.router)
    app.add_exception_handler(SignInFirst, _sign_in_first)
    app.mount("/static/dashboard", StaticFiles(directory=STATIC), name="dashboard-static")


# ------------------------------------------------------------------------------- helpers


def _engine(request: Request) -> Any:
    return request.app.state.elderscan.engine


class SignInFirst(Exception):
    """Raised by the `reader` dependency; answered with a redirect to the sign-in form."""

    def __init__(self, target: str, stale: bool = False) -> None:
        super().__init__(target)
        self.target = target
        self.stale = stale
        """The browser sent a session cookie that no longer signs it in: drop it."""


def reader(request: Request) -> None:
    """The pages' access check: the API's read rule, with the session from the cookie. An
    ended session goes to the sign-in form with a word on why (`?why=expired`)."""
    if access.may_read(request):
        return
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    why = access.ended(request)
    raise SignInFirst(View.of(request).link("/login", next=path, why=why), stale=bool(why))


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    target = exc.target if isinstance(exc, SignInFirst) else "/login"
    response = RedirectResponse(target, status_code=303)
    if isinstance(exc, SignInFirst) and exc.stale:
        access.clear_session(response, request)
    return response


Reader = [Depends(reader)]


def _id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _not_found(request: Request, key: str, **values: Any) -> Response:
    return render(request, "error.html", 404, title_key="err.404", message_key=key,
                  values=values)


def _choice(value: str | None, allowed: tuple[str, ...] | list[str]) -> str | None:
    return value if value in allowed else None


def _trend(latest: float | None, previous: float | None) -> tuple[str, float | None]:
    """(direction, change) of the latest total against the one before."""
    if latest is None or previous is None:
        return "first", None
    delta = round(latest - previous, 1)
    return ("up" if delta > 0 else "down" if delta < 0 else "same"), abs(delta)


# --------------------------------------------------------------------------------- pages


@router.get("/", dependencies=Reader)
def sites_page(request: Request, category: str | None = None, region: str | None = None,
               q: str | None = None, order: str = "name", page: str = "1") -> Response:
    number = max(1, _id(page) or 1)
    search = (q or "").strip()[:100] or None
    order = order if order in ("name", "score") else "name"
    with session_scope(_engine(request)) as session:
        known_regions = lookups.regions(session)
        chosen = {"category": _choice(category, SITE_CATEGORIES),
                  "region": _choice(region, known_regions)}
        listing = list_sites(session, category=chosen["category"], region=chosen["region"],
                             search=search, order=order, limit=PAGE_SIZE,
                             offset=(number - 1) * PAGE_SIZE)
        previous = lookups.previous_totals(session, [s.id for s in listing.items])
    rows = [(site, *_trend(site.latest.score_total if site.latest else None,
                           previous.get(site.id))) for site in listing.items]
    pages = max(1, math.ceil(listing.total / PAGE_SIZE))
    return render(request, "sites.html", rows=rows, total=listing.total, page=number,
                  pages=pages, categories=SITE_CATEGORIES, regions=known_regions,
                  chosen=chosen, q=search or "", order=order)


def _point_label(view: View, point: HistoryPoint) -> str:
    if point.round is not None:
        return view.t("round", round=point.round)
    return clock.short_date(point.finished_at) if point.finished_at else str(point.scan_id)


def _charts(view: View, history: list[HistoryPoint]) -> list[Chart]:
    done = [p for p in history if p.status == "done"]
    labels = [_point_label(view, p) for p in done]
    charts = [trend_chart("total", view.t("total"),
                          [(lb, p.score_total, p.scan_id) for lb, p in zip(labels, done,
                                                                            strict=True)])]
    for dimension in DIMENSIONS:
        charts.append(trend_chart(dimension, view.dim(dimension), [
            (lb, p.dimensions.get(dimension), p.scan_id)
            for lb, p in zip(labels, done, strict=True)]))
    return charts


@router.get("/sites/{site_id}", dependencies=Reader)
def site_page(request: Request, site_id: str) -> Response:
    number = _id(site_id)
    view = View.of(request)
    with session_scope(_engine(request)) as session:
        site = get_site(session, number) if number else None
        if site is None:
            return _not_found(request, "err.404.site", id=site_id[:20])
        info = {"id": site.id, "name": site.name, "url": site.url, "category": site.category,
                "region": site.region}
        history = site_history(session, site.id)
        done = [p for p in history if p.status == "done"]
        versions = lookups.scan_versions(session, [done[-1].scan_id]) if done else {}
    before: dict[int, int] = {b.scan_id: a.scan_id for a, b in itertools.pairwise(done)}
    models = sorted({p.scoring_model for p in done if p.scoring_model})
    return render(request, "site.html", v=view, site=info, history=list(reversed(history)),
                  charts=_charts(view, history), before=before, models=models,
                  latest=done[-1] if done else None, tv=VERSION_TEXT[view.lang],
                  review=reviews.site_review(request, site.id, view),
                  dimensions=DIMENSIONS, dimension_weights=weights.DIMENSION_WEIGHTS,
                  versions=version_rows(versions[done[-1].scan_id], view.lang)
                  if done and done[-1].scan_id in versions else None)


@dataclass
class Problem:
    item: Located
    text: str
    finding_id: int | None
    shot: bool


@dataclass
class Group:
    rule: RuleGroup
    why: str
    problems: list[Problem] = field(default_factory=list)
    hidden: int = 0


def _problem(item: Located, source: ReportSource, ids: dict[tuple[int, int], int],
             view: View) -> Problem:
    finding_id = ids.get((item.page_index, item.index))
    shot = (finding_id is not None and item.finding.box is not None
            and source.screenshot_path(item.page) is not None)
    return Problem(item, message(item.finding, view.lang), finding_id, shot)


def _groups(source: ReportSource, ids: dict[tuple[int, int], int], view: View) -> list[Group]:
    groups: list[Group] = []
    for rule in rule_groups(source.report):
        group = Group(rule, rule_why(rule.rule, view.lang))
        group.problems = [_problem(item, source, ids, view)
                          for item in rule.problems[:MAX_PER_RULE]]
        group.hidden = max(0, len(rule.problems) - MAX_PER_RULE)
        groups.append(group)
    return groups


@router.get("/scans/{scan_id}", dependencies=Reader)
def scan_page(request: Request, scan_id: str) -> Response:
    number = _id(scan_id)
    view = View.of(request)
    with session_scope(_engine(request)) as session:
        scan = get_scan(session, number) if number else None
        if scan is None:
            return _not_found(request, "err.404.scan", id=scan_id[:20])
        site = {"id": scan.site.id, "name": scan.site.name, "url": scan.site.url}
        state = {"id": scan.id, "status": scan.status, "error": scan.error_message,
                 "said": scan_error(scan.error_code, scan.error_message, view.lang)}
        previous = lookups.previous_scan(session, scan)
        try:
            source: ReportSource | None = load_stored_scan(session, scan.id)
        except UsageError:
            source = None
        ids = lookups.finding_ids(session, scan.id) if source else {}
    if source is None:
        return render(request, "scan_pending.html", v=view, site=site, scan=state)
    groups = _groups(source, ids, view)
    fix = fixhelp.regroup(groups, lambda item: _problem(item, source, ids, view), view.lang,
                          MAX_PER_RULE, source.screenshot_path)
    return render(request, "scan.html", v=view, fix=fix, site=site, scan=state,
                  report=source.report,
                  groups=groups, fixes=[g for g in groups if g.rule.fail],
                  passed=[g for g in groups if not g.problems], previous=previous,
                  dimensions=DIMENSIONS, dimension_weights=weights.DIMENSION_WEIGHTS,
                  veto_cap=weights.VETO_CAP, unjudged=unjudged(source.report.score, view.lang),
                  unjudged_head=unjudged_text("head", view.lang),
                  unjudged_note=unjudged_text("note", view.lang),
                  guard=guard_refusals(source.report, view.lang),
                  review=reviews.scan_review(request, scan.id, view),
                  said=said_again(source.report, view.lang))


@router.get("/scans/{scan_id}/shots/{shot}")
def finding_shot(request: Request, scan_id: str, shot: str) -> Response:
    """A finding's marked screenshot. The content of a stored finding never changes (a re-saved
    scan gets new finding ids), so it may be cached."""
    if not access.may_read(request):
        return Response(status_code=401, headers={"cache-control": "no-store"})
    number = _id(scan_id)
    finding_id = _id(shot.removesuffix(".png")) if shot.endswith(".png") else None
    if number is None or finding_id is None:
        return Response(status_code=404)
    etag = f'"shot-{number}-{finding_id}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"etag": etag})
    with session_scope(_engine(request)) as session:
        found = lookups.shot_source(session, number, finding_id)
    if found is None or not found.screenshot:
        return Response(status_code=404)
    path = Path(found.screenshot)
    if not path.is_absolute():
        path = data_dir().resolve() / path
    png = marked_crop(judged_screenshot(path, found.rule), found.box) if path.is_file() else None
    if png is None:
        return Response(status_code=404)
    scope = "public" if access.public(request) else "private"
    return Response(png, media_type="image/png", headers={
        "cache-control": f"{scope}, {SHOT_CACHE}", "etag": etag,
        "content-security-policy": CSP})


# ---------------------------------------------------------------------------------- login


NOTICES = {"expired": "login.expired", "revoked": "login.revoked", "unknown": "login.unknown",
           "out": "login.out"}
"""`/login?why=…`: why the reader was sent to sign in, as a catalogue key."""


@router.get("/login")
def login_form(request: Request, next: str | None = None, why: str | None = None) -> Response:
    return render(request, "login.html", target=access.safe_next(next), problem=None,
                  notice=NOTICES.get(why or ""))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    target = access.safe_next(str(form.get("next") or "/"))
    if not access.same_origin(request):
        return render(request, "login.html", 403, target=target, problem="login.origin",
                      notice=None)
    token = str(form.get("token") or "")
    session_id = await run_in_threadpool(access.sign_in, request, token)
    if session_id is None:
        return render(request, "login.html", 401, target=target, problem="login.bad",
                      notice=None)
    response = RedirectResponse(target, status_code=303)
    access.set_session(response, request, session_id)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """Ends the session in the store (a copied cookie stops working too), then in the
    browser."""
    if not access.same_origin(request):
        return render(request, "login.html", 403, target="/", problem="login.origin",
                      notice=None)
    access.sign_out(request)
    response = RedirectResponse(View.of(request).link("/login", why="out"), status_code=303)
    access.clear_session(response, request)
    return response
