"""The compare pages: two scans picked from lists (`/compare`), and a round of a batch against
the round before (`/compare/rounds`).

Scans are chosen by site, then by date and round, never by typed ids (`?a=&b=` links from the
site and scan pages keep working). Every row of a problem in both scans shows both measured
values, and worsened ones come first, marked as regressions in words. Finding messages are
rendered again in the page's language from the rule's message key and data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from elderscan.api.compare import not_comparable, round_missing, status_name
from elderscan.api.dashboard.routes import Reader, _engine, _id
from elderscan.api.dashboard.view import View, render
from elderscan.dimensions import DIMENSIONS
from elderscan.i18n import Lang
from elderscan.reports.digest import meta_of, say_again, severity_name
from elderscan.store import get_site, site_history
from elderscan.store.compare import (
    NotComparable,
    RoundNotFound,
    compare_rounds,
    compare_scans,
    round_choices,
    rounds_named,
    site_choices,
    site_of_scan,
)
from elderscan.store.db import NotFound, session_scope
from elderscan.store.measures import number
from elderscan.store.views import Comparison, FindingChange, HistoryPoint

router = APIRouter(include_in_schema=False)

GROUPS = ("worsened", "new", "fixed", "improved", "unchanged", "unverified")
"""Regressions first: what got worse, then what is new."""
REGRESSIONS = ("worsened", "new")


# ------------------------------------------------------------------------------ the words


def message_in(change: FindingChange, side: str, lang: Lang) -> str:
    """A problem's message in `lang`, said again from its key and the side's data (as every
    report does, `digest.say_again`); the stored one when its rule no longer knows the key."""
    b = side == "b"
    stored = change.message_b if b and change.message_b else change.message
    return say_again(change.rule, stored, change.message_key,
                     change.data_b if b else change.data_a,
                     change.value_b if b else change.value_a,
                     change.threshold_b if b else change.threshold_a, lang)


def shown(value: Any) -> str:
    """A measured number as people read it: 2.85, 16, 96×24."""
    if isinstance(value, str):
        return value
    parsed = number(value)
    return "—" if parsed is None else f"{parsed:.4g}"


@dataclass(frozen=True)
class Row:
    """One problem as the page lists it."""

    change: FindingChange
    title: str
    severity: str
    values: list[str]
    messages: list[str]
    regression: bool


def _values(change: FindingChange, view: View) -> list[str]:
    """Both measurements with the threshold, then the rule's other measures that were taken
    (font.size: the main text size); nothing for rules whose value is a label."""
    meta = meta_of(change.rule)
    if meta is None or meta.better is None:
        return []
    a, b = number(change.value_a), number(change.value_b)
    threshold = change.threshold_b if change.threshold_b is not None else change.threshold_a
    limit = view.t("compare.threshold", threshold=shown(threshold)) if number(
        threshold) is not None else ""
    lines = []
    if a is not None and b is not None:
        lines.append(view.t("compare.value.ab", a=shown(change.value_a),
                            b=shown(change.value_b)) + limit)
    elif a is not None or b is not None:
        one = change.value_b if b is not None else change.value_a
        lines.append(view.t("compare.value.one", value=shown(one)) + limit)
    for name in meta.also_measured:
        before, after = change.data_a.get(name), change.data_b.get(name)
        label = view.t(f"compare.measure.{name}")
        if before is not None and after is not None:
            lines.append(view.t("compare.measure.ab", name=label, a=shown(before),
                                b=shown(after)))
        elif before is not None or after is not None:
            lines.append(view.t("compare.measure.one", name=label,
                                value=shown(after if after is not None else before)))
    return lines


def _row(change: FindingChange, group: str, view: View) -> Row:
    if change.outcome_a is not None and change.outcome_b is not None:
        before, after = message_in(change, "a", view.lang), message_in(change, "b", view.lang)
        messages = [after] if before == after else [
            view.t("compare.message.a", text=before), view.t("compare.message.b", text=after)]
    else:
        side = "b" if change.outcome_a is None else "a"
        messages = [message_in(change, side, view.lang)]
    return Row(change=change, title=view.rule(change.rule),
               severity=severity_name(change.severity, view.lang),
               values=_values(change, view), messages=messages,
               regression=group in REGRESSIONS)


def groups(comparison: Comparison, view: View) -> list[tuple[str, list[Row]]]:
    return [(group, [_row(c, group, view) for c in getattr(comparison, group)])
            for group in GROUPS]


def scan_label(point: HistoryPoint, view: View) -> str:
    score = view.score(point.score_total)
    when = view.when(point.finished_at)
    if point.batch_name:
        return view.t("compare.scan.round", when=when, batch=point.batch_name,
                      round=point.round, score=score)
    return view.t("compare.scan.single", when=when, score=score)


# ------------------------------------------------------------------------------- the pages


def _choices(session: Any, site: int | None, view: View) -> dict[str, Any]:
    """What the two forms list: sites, the chosen site's finished scans, batches, rounds."""
    scans: list[tuple[int, str]] = []
    if site is not None:
        try:
            points = site_history(session, site, include_failed=False)
        except NotFound:
            points = []
        scans = [(p.scan_id, scan_label(p, view)) for p in reversed(points)]
    rounds = round_choices(session)
    numbers = sorted({n for found in rounds.values() for n in found}, reverse=True)
    return {"site_list": site_choices(session), "scan_list": scans, "batches": list(rounds),
            "round_numbers": numbers}


def _page(request: Request, status: int, **context: Any) -> Response:
    context.setdefault("comparison", None)
    context.setdefault("rounds", None)
    context.setdefault("problem", None)
    context["chosen"] = {"site": None, "a": None, "b": None, "batch": "", "round": None,
                         **context.get("chosen", {})}
    return render(request, "compare.html", status, dimensions=DIMENSIONS, **context)


@router.get("/compare", dependencies=Reader)
def compare_page(request: Request, a: str | None = None, b: str | None = None,
                 site: str | None = None) -> Response:
    view = View.of(request)
    first, second = _id(a or ""), _id(b or "")
    site_id = _id(site or "")
    with session_scope(_engine(request)) as session:
        if site_id is None and first is not None:
            site_id = site_of_scan(session, first)
        choices = _choices(session, site_id, view)
        scans = [scan_id for scan_id, _ in choices["scan_list"]]
        chosen = {"site": site_id,
                  "a": first if first is not None else (scans[1] if len(scans) > 1 else None),
                  "b": second if second is not None else (scans[0] if scans else None)}
        if a is None and b is None:
            return _page(request, 200, v=view, chosen=chosen, **choices)
        if first is None or second is None:
            return _page(request, 400, v=view, chosen=chosen,
                         problem=view.t("compare.err.ids"), **choices)
        for number_ in (first, second):
            if site_of_scan(session, number_) is None:
                return _page(request, 404, v=view, chosen=chosen, problem=view.t(
                    "compare.err.missing", id=number_), **choices)
        try:
            comparison = compare_scans(session, first, second)
        except NotComparable as exc:
            return _page(request, 400, v=view, chosen=chosen,
                         problem=not_comparable(exc, view.lang), **choices)
        names = {}
        for brief in (comparison.a, comparison.b):
            found = get_site(session, brief.site_id)
            names[brief.scan_id] = found.name if found else str(brief.site_id)
    return _page(request, 200, v=view, chosen=chosen, comparison=comparison, names=names,
                 groups=groups(comparison, view), **choices)


@router.get("/compare/rounds", dependencies=Reader)
def rounds_page(request: Request, batch: str | None = None,
                round: str | None = None) -> Response:
    view = View.of(request)
    number_ = _id(round or "")
    with session_scope(_engine(request)) as session:
        choices = _choices(session, None, view)
        chosen = {"batch": batch or "", "round": number_}
        if not batch:
            return _page(request, 200, v=view, chosen=chosen, **choices)
        if round and number_ is None:
            return _page(request, 400, v=view, chosen=chosen,
                         problem=view.t("compare.err.rounds"), **choices)
        try:
            before, after = rounds_named(session, batch, number_)
        except RoundNotFound as exc:
            return _page(request, 404, v=view, chosen=chosen,
                         problem=round_missing(exc, view.lang), **choices)
        result = compare_rounds(session, before.id, after.id)
    return _page(request, 200, v=view, chosen=chosen, rounds=result,
                 status_name=lambda s: status_name(s, view.lang), **choices)
