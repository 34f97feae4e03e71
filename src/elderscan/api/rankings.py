"""Read endpoints for rounds and scans: `GET /batches`, `GET /scans` (lists, newest first,
filtered and paginated) and `GET /batches/{id}/ranking` (JSON, CSV or XLSX — the same files
`elderscan report --batch` writes). Reads take a bearer token or a signed-in dashboard
session (`require_reader`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from elderscan.api.auth import Credentials, require_read
from elderscan.api.context import ctx
from elderscan.api.dashboard import access
from elderscan.api.errors import ApiError, responses
from elderscan.api.lang import scope_lang
from elderscan.api.schemas import MAX_ID, clean_text
from elderscan.errors import PhrasedValueError
from elderscan.i18n import Lang
from elderscan.reports.rankings import (
    FILE_TYPES,
    RANKING_FILES,
    load_ranking,
    localise,
    ranking_file,
    reason_for,
)
from elderscan.store.db import NotFound, session_scope
from elderscan.store.listings import BatchPage, ScanPage, list_batches, list_scans
from elderscan.store.views import GroupSummary, RankingRow

router = APIRouter(prefix="/api/v1")

BatchId = Annotated[int, Path(ge=1, le=MAX_ID, description="a batch id")]
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="items to skip")]
LangQuery = Annotated[Literal["zh", "en"] | None, Query(
    description="language of `reason` and of the files (default: Accept-Language, else en)")]


def require_reader(request: Request, credentials: Credentials) -> None:
    """The API's read rule, also met by a signed-in dashboard session (its cookie), so a
    download link on a dashboard page works for the person who opened it. A bearer token,
    when sent, is checked as usual."""
    sent = isinstance(credentials, HTTPAuthorizationCredentials) and \
        credentials.credentials.strip()
    if not sent and access.signed_in(request):
        return
    require_read(request, credentials)


Reader = [Depends(require_reader)]


def _lang(request: Request, lang: Lang | None) -> Lang:
    return lang or scope_lang(request.scope)


def _text(value: str | None) -> str | None:
    return None if value is None else clean_text(value.strip()) or None


class RankingOut(BaseModel):
    """A round's ranking: every site, scored ones ranked, the rest last with their reason."""

    batch_id: int
    name: str
    round: int
    previous_round: int | None = Field(description="the round changes are measured against")
    total: int = Field(description="sites listed (after the filters)")
    items: list[RankingRow]
    by_region: list[GroupSummary] = Field(description="pass rate and average per region")
    by_category: list[GroupSummary] = Field(description="pass rate and average per category")


@router.get("/batches", response_model=BatchPage, dependencies=Reader, tags=["batches"],
            summary="Batch rounds, newest first, filtered and paginated",
            responses=responses(401, 403, 422))
def read_batches(
    request: Request,
    name: Annotated[str | None, Query(max_length=200, description="the batch's exact name")
                    ] = None,
    status: Annotated[Literal["queued", "running", "done"] | None, Query()] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> BatchPage:
    with session_scope(ctx(request).engine) as session:
        return list_batches(session, name=_checked(name, "name"), status=status, limit=limit,
                            offset=offset)


def _checked(value: str | None, field: str) -> str | None:
    try:
        return _text(value)
    except PhrasedValueError as exc:
        raise ApiError(422, "invalid_request", details=[
            {"loc": ["query", field], "msg": str(exc), "type": "value_error"}],
            key="api.bad-field", values={"field": field, "reason": exc}) from exc


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.get("/scans", response_model=ScanPage, dependencies=Reader, tags=["scans"],
            summary="Scans, newest first, filtered and paginated",
            responses=responses(401, 403, 422),
            description="`since`/`until` (ISO 8601; UTC when no offset is given) bound when "
            "the scan finished, or was created if it has not finished. `reason` says in words "
            "why a scan failed or has no score (`lang`).")
def read_scans(
    request: Request,
    site: Annotated[int | None, Query(ge=1, le=MAX_ID, description="a site id")] = None,
    batch: Annotated[int | None, Query(ge=1, le=MAX_ID, description="a batch id")] = None,
    status: Annotated[Literal["queued", "running", "done", "failed"] | None, Query()] = None,
    since: Annotated[datetime | None, Query(description="from this time (inclusive)")] = None,
    until: Annotated[datetime | None, Query(description="before this time")] = None,
    limit: Limit = 50, offset: Offset = 0, lang: LangQuery = None,
) -> ScanPage:
    chosen = _lang(request, lang)
    with session_scope(ctx(request).engine) as session:
        found = list_scans(session, site_id=site, batch_id=batch, status=status,
                           since=_utc(since), until=_utc(until), limit=limit, offset=offset)
    items = [s.model_copy(update={"reason": reason_for(s.status, s.error_code, s.score_total,
                                                       chosen)}) for s in found.items]
    return found.model_copy(update={"items": items})


@router.get("/batches/{batch_id}/ranking", dependencies=Reader, tags=["batches"],
            summary="A round's ranking: every site, as JSON, CSV or XLSX",
            response_model=RankingOut,
            responses={**responses(401, 403, 404, 422), 200: {
                "description": "JSON, or the file `elderscan report --batch` writes",
                "content": {"application/json": {}, "text/csv": {},
                            FILE_TYPES["xlsx"]: {}}}},
            description="Scored sites best first (ties share a rank), then those whose scan "
            "failed or has not finished, unranked, with `reason` in words. `change` is the "
            "total against the previous round of the same batch name. Filters as on the "
            "dashboard: category, region, failing (not passing, or failed).")
def read_ranking(
    batch_id: BatchId, request: Request,
    format: Annotated[Literal["json", "csv", "xlsx"], Query(description="json, csv or xlsx")
                      ] = "json",
    category: Annotated[Literal["gov", "bank", "other"] | None, Query()] = None,
    region: Annotated[str | None, Query(max_length=100)] = None,
    failing: Annotated[bool, Query(description="only sites that do not pass")] = False,
    lang: LangQuery = None,
) -> Response | RankingOut:
    chosen = _lang(request, lang)
    with session_scope(ctx(request).engine) as session:
        try:
            data = load_ranking(session, batch_id, category=category,
                                region=_checked(region, "region"), failing_only=failing)
        except NotFound as exc:
            raise ApiError(404, "not_found", key="rankings.api.nobatch",
                           values={"id": batch_id}) from exc
    if format == "json":
        return RankingOut(batch_id=batch_id, name=data.name, round=data.round,
                          previous_round=data.previous_round, total=len(data.rows),
                          items=localise(data.rows, chosen), by_region=data.by_region,
                          by_category=data.by_category)
    body = ranking_file(data, format, chosen)
    name = f"elderscan-batch-{batch_id}-{RANKING_FILES[format]}"
    return Response(body, media_type=FILE_TYPES[format], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-cache"})
