"""The ranking page (`/rankings`) and its downloads (`/rankings/ranking.csv`, `.xlsx`).

The page opens on the newest round (by creation time) and lists every site of it: scored ones
ranked, the rest last with why in words. Beside each score is its change against the previous
round; under the table, pass rate and average by region and by category. The downloads are the
very files `elderscan report --batch NAME --format csv,xlsx` writes (`ranking_file`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from elderscan.api.dashboard.routes import MAX_ID, reader
from elderscan.api.dashboard.view import View, render
from elderscan.dimensions import DIMENSIONS
from elderscan.reports import rankings as words
from elderscan.reports.rankings import FILE_TYPES, RANKING_FILES, RankingData, load_ranking
from elderscan.reports.versions import TEXT as VERSION_TEXT
from elderscan.reports.versions import version_choices, version_keys, version_summary
from elderscan.store import find_batch, lookups
from elderscan.store.db import session_scope
from elderscan.store.models import SITE_CATEGORIES, Batch
from elderscan.store.rankings import batch_names, newest_batch

router = APIRouter(include_in_schema=False)
Reader = [Depends(reader)]


def _number(raw: str | None) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _bad_round(raw: str | None) -> bool:
    """A round asked for that is not a round number (`?round=abc`): a 404, not the latest
    round quietly served in its place."""
    return bool((raw or "").strip()) and _number((raw or "").strip()) is None


def _no_round(request: Request) -> Response:
    return render(request, "error.html", 404, title_key="err.404", message_key="rank.nobatch",
                  values={})


def _choice(value: str | None, allowed: tuple[str, ...] | list[str]) -> str | None:
    return value if value in allowed else None


def _round(session: Any, names: list[tuple[str, int]], batch: str | None,
           round_: int | None) -> tuple[str | None, Batch | None]:
    """(batch name shown, round found): the asked one, else the newest round of all."""
    if batch in {n for n, _ in names}:
        return batch, find_batch(session, batch, round_)
    if batch or round_:
        name = names[0][0] if names else None
        return name, find_batch(session, name, round_) if name else None
    newest = newest_batch(session)
    return (newest.name, newest) if newest else (None, None)


def _filters(session: Any, category: str | None, region: str | None,
             failing: str | None) -> dict[str, Any]:
    return {"category": _choice(category, SITE_CATEGORIES),
            "region": _choice(region, lookups.regions(session)),
            "failing": failing == "1"}


@router.get("/rankings", dependencies=Reader)
def rankings_page(request: Request, batch: str | None = None, round: str | None = None,
                  category: str | None = None, region: str | None = None,
                  version: str | None = None, failing: str | None = None) -> Response:
    view = View.of(request)
    if _bad_round(round):
        return _no_round(request)
    number = _number((round or "").strip())
    with session_scope(request.app.state.elderscan.engine) as session:
        names = batch_names(session)
        known_regions = lookups.regions(session)
        name, found = _round(session, names, batch, number)
        chosen = _filters(session, category, region, failing)
        data = (load_ranking(session, found.id, category=chosen["category"],
                             region=chosen["region"], failing_only=chosen["failing"])
                if found else None)
        rows = data.rows if data else []
        versions = lookups.scan_versions(session, [r.scan_id for r in rows])
    offered = version_choices(versions.values(), view.lang)
    chosen["version"] = _choice(version, [key for key, _ in offered])
    if chosen["version"]:
        rows = [r for r in rows if chosen["version"] in version_keys(versions.get(r.scan_id))]
    lines = [_line(view, data, r) for r in rows] if data else []
    downloads = {fmt: view.link(f"/rankings/{RANKING_FILES[fmt]}", **_query(data, chosen))
                 for fmt in RANKING_FILES} if data else {}
    return render(request, "rankings.html", v=view, names=names, name=name,
                  round=number or "", data=data, lines=lines, counts=_counts(data),
                  categories=SITE_CATEGORIES, regions=known_regions, chosen=chosen,
                  dimensions=DIMENSIONS, downloads=downloads,
                  versions={k: version_summary(v, view.lang) for k, v in versions.items()},
                  offered=offered, tv=VERSION_TEXT[view.lang],
                  groups=[] if data is None else [("region", data.by_region),
                                                  ("category", data.by_category)],
                  label=lambda g: words.summary_label(g, view.lang))


def _line(view: View, data: RankingData, row: Any) -> dict[str, Any]:
    """One table row's words: reason, change, what the vetoes found."""
    return {"row": row, "reason": words.reason(row, view.lang),
            "direction": words.direction(row, data.previous_round),
            "change": words.change_text(row, view.lang, data.previous_round),
            "vetoes": words.veto_texts(row, data.vetoes, view.lang)}


def _counts(data: RankingData | None) -> dict[str, int]:
    if data is None:
        return {}
    every = data.by_category
    total = sum(g.sites for g in every)
    scored = sum(g.scored for g in every)
    failed = sum(g.failed for g in every)
    return {"total": total, "scored": scored, "failed": failed,
            "pending": max(0, total - scored - failed - _unscored(data))}


def _unscored(data: RankingData) -> int:
    return sum(1 for r in data.rows if r.status == "done" and r.score_total is None)


def _query(data: RankingData | None, chosen: dict[str, Any]) -> dict[str, Any]:
    if data is None:
        return {}
    return {"batch": data.name, "round": data.round, "category": chosen["category"],
            "region": chosen["region"], "failing": "1" if chosen["failing"] else None}


@router.get("/rankings/ranking.{fmt}", dependencies=Reader)
def ranking_download(request: Request, fmt: str, batch: str | None = None,
                     round: str | None = None, category: str | None = None,
                     region: str | None = None, failing: str | None = None) -> Response:
    """The ranking file of a round: the bytes `elderscan report --batch` writes."""
    if fmt not in RANKING_FILES:
        return Response(status_code=404)
    if _bad_round(round):
        return _no_round(request)
    view = View.of(request)
    with session_scope(request.app.state.elderscan.engine) as session:
        found = find_batch(session, batch, _number((round or "").strip())) if batch else None
        if found is None:
            return _no_round(request)
        chosen = _filters(session, category, region, failing)
        data = load_ranking(session, found.id, category=chosen["category"],
                            region=chosen["region"], failing_only=chosen["failing"])
    body = words.ranking_file(data, "csv" if fmt == "csv" else "xlsx", view.lang)
    name = f"elderscan-batch-{found.id}-{RANKING_FILES[fmt]}"
    return Response(body, media_type=FILE_TYPES[fmt], headers={
        "content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store",
        "x-content-type-options": "nosniff"})
