"""The API of human review: decide on a `review` finding, withdraw the decision, read a site's
decisions and audit trail, a scan's score after review; and the overlay `GET /scans/{id}`
lays over its result (the stored result itself is never changed)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field, StringConstraints

from elderscan.api.auth import Credentials, require_admin, require_read
from elderscan.api.context import ctx
from elderscan.api.errors import ApiError, not_found, responses
from elderscan.api.lang import choose
from elderscan.api.schemas import MAX_ID, clean_text
from elderscan.errors import PhrasedValueError
from elderscan.i18n import text
from elderscan.store.db import NotFound, session_scope
from elderscan.store.reviews import (
    MAX_REASON,
    DecisionOut,
    ReviewedScore,
    ReviewRefused,
    SiteDecisions,
    decide,
    overlay,
    reviewed_score,
    site_decisions,
    token_actor,
    withdraw,
)

router = APIRouter(prefix="/api/v1")

ScanId = Annotated[int, Path(ge=1, le=MAX_ID, description="a scan id")]
FindingId = Annotated[int, Path(ge=1, le=MAX_ID, description="a finding id (`finding_id` of a "
                                                          "finding in GET /scans/{id})")]
SiteId = Annotated[int, Path(ge=1, le=MAX_ID, description="a site id")]
_STATUS = {"reason_required": 422, "reason_too_long": 422, "bad_kind": 422,
           "not_review": 409, "no_decision": 409}


class DecisionIn(BaseModel):
    kind: Literal["confirm", "waive"] = Field(
        description="confirm: the finding counts as a failure; waive: it counts as passed")
    reason: Annotated[str | None, StringConstraints(max_length=MAX_REASON)] = Field(
        None, description="why; required to waive")


class DecisionMade(BaseModel):
    decision: DecisionOut
    review: ReviewedScore = Field(description="the scan's counts and score after review")


def _actor(request: Request, credentials: Any) -> str:
    with session_scope(ctx(request).engine) as session:
        actor = token_actor(session, credentials.credentials) if credentials else None
    if actor is None:  # require_admin let it through, so this is a race with a revocation
        raise ApiError(401, "unauthorized", key="api.token-unknown")
    return actor


def _refused(exc: ReviewRefused, request: Request) -> ApiError:
    """The refusal in the request's language (`?lang=`, else Accept-Language, else English)."""
    message = text(f"review.problem.{exc.code}",
                   choose(request.url.query, request.headers.get("accept-language", "")),
                   n=MAX_REASON)
    return ApiError(_STATUS.get(exc.code, 422), exc.code if exc.code != "bad_kind"
                    else "invalid_request", message,
                    [{"loc": ["body", "reason"], "msg": message, "type": exc.code}]
                    if exc.code.startswith("reason") else None)


@router.post(
    "/scans/{scan_id}/findings/{finding_id}/decision", response_model=DecisionMade,
    dependencies=[Depends(require_admin)], tags=["reviews"],
    summary="Confirm or waive a finding left for review",
    responses=responses(400, 401, 403, 404, 408, 409, 413, 422),
    description="A finding with outcome `review` is confirmed (counted as a failure) or "
    "waived (counted as passed; `reason` required). The decision is kept for the site, the "
    "rule and the finding's fingerprint, so the matching finding of later scans carries it; "
    "deciding again replaces it. The stored result keeps the engine's verdict. Every decision "
    "is audited (GET /sites/{id}/decisions).")
def make_decision(scan_id: ScanId, finding_id: FindingId, body: DecisionIn, request: Request,
                  credentials: Credentials) -> DecisionMade:
    actor = _actor(request, credentials)
    try:
        reason = clean_text(body.reason) if body.reason else None
    except PhrasedValueError as exc:
        raise ApiError(422, "invalid_request", details=[
            {"loc": ["body", "reason"], "msg": str(exc), "type": "value_error"}],
            key="api.bad-field", values={"field": "reason", "reason": exc}) from exc
    with session_scope(ctx(request).engine) as session:
        try:
            made = decide(session, scan_id, finding_id, body.kind, reason, actor)
        except NotFound as exc:
            raise not_found(exc) from exc
        except ReviewRefused as exc:
            raise _refused(exc, request) from exc
        return DecisionMade(decision=made, review=reviewed_score(session, scan_id))


@router.delete(
    "/scans/{scan_id}/findings/{finding_id}/decision", status_code=204,
    dependencies=[Depends(require_admin)], tags=["reviews"], response_class=Response,
    summary="Withdraw the decision a finding carries",
    responses=responses(401, 403, 404, 409, 422),
    description="The finding (and its matches in every scan of the site) awaits review "
    "again. The withdrawal is audited.")
def withdraw_decision(scan_id: ScanId, finding_id: FindingId, request: Request,
                      credentials: Credentials) -> Response:
    actor = _actor(request, credentials)
    with session_scope(ctx(request).engine) as session:
        try:
            withdraw(session, scan_id, finding_id, actor)
        except NotFound as exc:
            raise not_found(exc) from exc
        except ReviewRefused as exc:
            raise _refused(exc, request) from exc
    return Response(status_code=204)


@router.get("/sites/{site_id}/decisions", response_model=SiteDecisions,
            dependencies=[Depends(require_read)], tags=["reviews"],
            summary="A site's review decisions in force and their audit trail",
            responses=responses(401, 403, 404, 422))
def read_decisions(site_id: SiteId, request: Request) -> SiteDecisions:
    from elderscan.store import get_site

    with session_scope(ctx(request).engine) as session:
        if get_site(session, site_id) is None:
            raise ApiError(404, "not_found", key="api.no-site", values={"id": site_id})
        return site_decisions(session, site_id)


@router.get("/scans/{scan_id}/review", response_model=ReviewedScore,
            dependencies=[Depends(require_read)], tags=["reviews"],
            summary="A scan's counts and score after review, beside the engine's",
            responses=responses(401, 403, 404, 422))
def read_reviewed(scan_id: ScanId, request: Request) -> ReviewedScore:
    with session_scope(ctx(request).engine) as session:
        try:
            return reviewed_score(session, scan_id)
        except NotFound as exc:
            raise not_found(exc) from exc


def lay_over(session: Any, scan_id: int, result: dict[str, Any] | None
             ) -> tuple[dict[str, Any] | None, ReviewedScore]:
    """A copy of a scan's result whose `review` findings carry `finding_id` and `decision`
    (null when undecided), and the scan's score after review. The stored JSON is not
    touched: pages and findings are copied before anything is added."""
    laid = overlay(session, scan_id)
    if result is not None and laid.ids:
        pages = []
        for position, page in enumerate(result.get("pages") or []):
            findings = []
            for index, finding in enumerate(page.get("findings") or []):
                finding_id = laid.ids.get((position, index))
                if finding_id is not None:
                    decided = laid.by_position[(position, index)]
                    finding = {**finding, "finding_id": finding_id,
                               "decision": decided.model_dump(mode="json") if decided else None}
                findings.append(finding)
            pages.append({**page, "findings": findings})
        result = {**result, "pages": pages}
    return result, reviewed_score(session, scan_id)
