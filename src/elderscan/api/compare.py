"""The API's comparisons: two scans (`GET /compare`) and a round with the one before
(`GET /compare/rounds`). Reads only; errors in the language the request asks for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from elderscan.api.auth import require_read
from elderscan.api.context import ctx
from elderscan.api.errors import ApiError, responses
from elderscan.api.lang import scope_lang
from elderscan.api.schemas import MAX_ID
from elderscan.i18n import Lang, text
from elderscan.store.batches import get_batch
from elderscan.store.compare import (
    NotComparable,
    RoundNotFound,
    compare_rounds,
    compare_scans,
    rounds_named,
    site_of_scan,
)
from elderscan.store.db import session_scope
from elderscan.store.views import Comparison, RoundComparison

PREFIX = "/api/v1"
router = APIRouter(prefix=PREFIX, dependencies=[Depends(require_read)])

BatchRef = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def status_name(status: str, lang: Lang) -> str:
    return text(f"compare.status.{status}", lang)


def not_comparable(exc: NotComparable, lang: Lang) -> str:
    return text("compare.err.notdone", lang, id=exc.scan_id, status=status_name(exc.status, lang))


def round_missing(exc: RoundNotFound, lang: Lang) -> str:
    key = "compare.err.first" if exc.first else "compare.err.batch"
    return text(key, lang, name=exc.name, round=exc.round if exc.round is not None else "—")


@router.get("/compare", response_model=Comparison, tags=["scans"],
            summary="What got better or worse from scan a to scan b",
            responses=responses(401, 403, 404, 409, 422),
            description="Findings are matched by fingerprint: fixed (in a, gone from b), new "
            "(in b only), worsened (in both, its measured value further from passing, or "
            "review → fail: a regression), improved (in both, closer to passing but still "
            "failing), unchanged (in both, measured the same), unverified (in a, on a page b "
            "could not load). Rows in both scans carry value_a and value_b with their "
            "thresholds. Both scans must be done (409 otherwise).")
def compare(
    request: Request,
    a: Annotated[int, Query(ge=1, le=MAX_ID, description="the earlier scan")],
    b: Annotated[int, Query(ge=1, le=MAX_ID, description="the later scan")],
) -> Comparison:
    lang = scope_lang(request.scope)
    with session_scope(ctx(request).engine) as session:
        for number in (a, b):
            if site_of_scan(session, number) is None:
                raise ApiError(404, "not_found", text("compare.err.missing", lang, id=number))
        try:
            return compare_scans(session, a, b)
        except NotComparable as exc:
            raise ApiError(409, "conflict", not_comparable(exc, lang)) from exc


@router.get("/compare/rounds", response_model=RoundComparison, tags=["batches"],
            summary="A round of a batch against the round before, site by site",
            responses=responses(401, 403, 404, 422),
            description="`batch=NAME` with `round=N` (default: the latest round) compares round "
            "N with the batch's round before it; or give two batch ids, `a` (before) and `b` "
            "(after). Per site: the scores, their change and the problem counts of GET "
            "/compare (fixed, new, worsened, improved, unchanged, unverified, regressions = new "
            "+ worsened); sites in one round only have presence only_a or only_b, and counts "
            "are null unless both scans are done. Sites with regressions come first.")
def compare_round(
    request: Request,
    batch: Annotated[str | None, Query(min_length=1, max_length=200,
                                       description="the batch's name")] = None,
    round_: Annotated[int | None, Query(alias="round", ge=1, le=MAX_ID,
                                        description="its round (default: the latest)")] = None,
    a: BatchRef = None,
    b: BatchRef = None,
) -> RoundComparison:
    lang = scope_lang(request.scope)
    with session_scope(ctx(request).engine) as session:
        if a is not None and b is not None and batch is None:
            for number in (a, b):
                if get_batch(session, number) is None:
                    raise ApiError(404, "not_found", text("compare.err.batchid", lang, id=number))
            return compare_rounds(session, a, b)
        if batch is None or a is not None or b is not None:
            raise ApiError(422, "invalid_request", text("compare.err.rounds", lang))
        try:
            before, after = rounds_named(session, batch, round_)
        except RoundNotFound as exc:
            raise ApiError(404, "not_found", round_missing(exc, lang)) from exc
        return compare_rounds(session, before.id, after.id)
