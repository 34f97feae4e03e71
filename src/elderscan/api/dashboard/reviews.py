"""Human review on the dashboard: the decision beside each `review` finding, two small forms
(confirm; waive with a reason) for admin sessions, withdrawal, the score after review, and a
site's decisions and audit trail.

The forms are plain HTML posts (they work without JavaScript) answered with a redirect back
to the finding. A post needs an admin session and passes `csrf_ok`: the page's token must
match one derived from the session cookie (which a page elsewhere can neither read nor
send: it is HttpOnly and SameSite=Strict), and the Origin must be ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from elderscan.api.dashboard import access, writes
from elderscan.api.dashboard.view import View, render
from elderscan.api.schemas import clean_text
from elderscan.reports.review_text import (
    DecisionText,
    SummaryText,
    decision_text,
    event_text,
    summary_text,
    when,
)
from elderscan.store.db import NotFound, session_scope
from elderscan.store.reviews import (
    MAX_REASON,
    ReviewRefused,
    decide,
    finding_history,
    overlay,
    reviewed_score,
    session_actor,
    site_decisions,
    withdraw,
)

router = APIRouter(include_in_schema=False)
CSRF_FIELD = "csrf"
MAX_ID = 2**53
NOTICES = frozenset({"saved.confirm", "saved.waive", "saved.withdraw",
                     "problem.reason_required", "problem.reason_too_long",
                     "problem.not_review", "problem.no_decision", "problem.bad_kind",
                     "problem.reason_text"})
"""`?review=…` after a post: what happened, as a catalogue key under `review.` (or, for the
ones the hardening fixes added, in NOTICE_KEYS)."""
NOTICE_KEYS = {"problem.reason_text": "hardening.review.reason_text"}


# ---------------------------------------------------------------------------------- CSRF


def csrf_ok(request: Request, form: Any) -> bool:
    """A form post from one of our own pages in this session (the dashboard's one check,
    `writes.csrf_ok`)."""
    return writes.csrf_ok(request, form.get(CSRF_FIELD))


# --------------------------------------------------------------------------------- views


@dataclass
class ScanReview:
    """What the scan page shows of review: per review finding its decision (or None), its
    history, whether this reader may decide, and the score after review."""

    decisions: dict[int, DecisionText | None]
    history: dict[int, list[str]]
    summary: SummaryText
    may_decide: bool
    csrf: str
    notice: str | None = None
    problem: bool = False
    notice_for: int | None = None


def scan_review(request: Request, scan_id: int, view: View) -> ScanReview:
    with session_scope(request.app.state.elderscan.engine) as session:
        laid = overlay(session, scan_id)
        history = finding_history(session, scan_id)
        score = reviewed_score(session, scan_id)
    asked = request.query_params.get("review", "")
    notice = (view.t(NOTICE_KEYS.get(asked, f"review.{asked}"), n=MAX_REASON)
              if asked in NOTICES else None)
    about = _id(request.query_params.get("finding", ""))
    return ScanReview(
        decisions={fid: decision_text(d, scan_id, view.lang) if d else None
                   for fid, d in laid.by_id.items()},
        history={fid: [event_text(e, view.lang) for e in events]
                 for fid, events in history.items()},
        summary=summary_text(score, view.lang),
        may_decide=access.role(request) == "admin", csrf=writes.csrf_token(request),
        notice=notice, problem=asked.startswith("problem."), notice_for=about)


@dataclass
class SiteReview:
    decisions: list[dict[str, Any]]
    audit: list[dict[str, Any]]


def site_review(request: Request, site_id: int, view: View) -> SiteReview:
    with session_scope(request.app.state.elderscan.engine) as session:
        found = site_decisions(session, site_id)
    return SiteReview(
        decisions=[{"rule": d.rule, "kind": view.t(f"review.kind.{d.kind}"),
                    "code": d.kind, "reason": d.reason or "—", "by": d.by,
                    "at": when(d.at, view.lang), "scan": d.from_scan} for d in found.decisions],
        audit=[{"rule": e.rule, "action": view.t(f"review.action.{e.action}"),
                "reason": e.reason or "—", "by": e.by, "at": when(e.at, view.lang),
                "scan": e.scan_id} for e in found.audit])


# ---------------------------------------------------------------------------------- posts


def _id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _refuse(request: Request, status: int, key: str) -> Response:
    return render(request, "error.html", status, title_key="review.refused" if status == 403
                  else "err.404", message_key=key, values={})


@router.post("/scans/{scan_id}/findings/{finding_id}/decision")
async def post_decision(request: Request, scan_id: str, finding_id: str) -> Response:
    """`action` = confirm | waive | withdraw; `reason` (needed to waive); the CSRF token."""
    view = View.of(request)
    scan, finding = _id(scan_id), _id(finding_id)
    if access.role(request) != "admin":
        return _refuse(request, 403, "review.problem.forbidden")
    form = await request.form(max_files=0, max_fields=10)
    if not csrf_ok(request, form):
        return _refuse(request, 403, "review.problem.csrf")
    if scan is None or finding is None:
        return _refuse(request, 404, "review.problem.not_found")
    action = str(form.get("action") or "")
    reason = str(form.get("reason") or "")
    outcome = await run_in_threadpool(_apply, request, scan, finding, action, reason)
    if outcome is None:
        return _refuse(request, 404, "review.problem.not_found")
    if outcome == "forbidden":
        return _refuse(request, 403, "review.problem.forbidden")
    target = view.link(f"/scans/{scan}", review=outcome, finding=finding)
    return RedirectResponse(f"{target}#finding-{finding}", status_code=303)


def _apply(request: Request, scan_id: int, finding_id: int, action: str,
           reason: str) -> str | None:
    """The notice to show (`saved.…` or `problem.…`); None: no such finding in the scan. The
    reason is cleaned as the API cleans it (a NUL would make PostgreSQL refuse the row)."""
    try:
        reason = clean_text(reason)
    except ValueError:
        return "problem.reason_text"
    with session_scope(request.app.state.elderscan.engine) as session:
        actor = session_actor(session, request.cookies.get(access.COOKIE, ""))
        if actor is None:  # the session ended since the page checked it
            return "forbidden"
        try:
            if action == "withdraw":
                withdraw(session, scan_id, finding_id, actor)
            elif action in ("confirm", "waive"):
                decide(session, scan_id, finding_id, action,  # type: ignore[arg-type]
                       reason, actor)
            else:
                return "problem.bad_kind"
        except NotFound:
            return None
        except ReviewRefused as exc:
            return f"problem.{exc.code}"
    return f"saved.{action}"
