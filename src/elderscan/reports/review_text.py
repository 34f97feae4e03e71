"""Review decisions in words, for the HTML report and the dashboard: who decided what, when
(in the configured time zone), why, and the score after review beside the engine's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from elderscan import clock
from elderscan.i18n import Lang, has, text
from elderscan.store.reviews import DecisionOut, ReviewedScore, ReviewEventOut


def when(moment: datetime, lang: Lang) -> str:
    """A stored UTC time as a person reads it: in the configured zone (`elderscan.clock`),
    named (北京时间) where the catalogue has the zone's name."""
    local = clock.local(moment) or moment
    key = f"review.zone.{local.tzinfo}"
    name = text(key, lang) if has(key) else str(local.tzinfo)
    return text("review.time", lang, time=local.strftime("%Y-%m-%d %H:%M"), zone=name)


@dataclass(frozen=True)
class DecisionText:
    """A decision laid out for a page: `kind` is the word that says it (never colour alone)."""

    kind: str
    headline: str
    """"Human review: waived", the words a reader sees first."""
    code: str
    by: str
    reason: str | None
    origin: str


def decision_text(decision: DecisionOut, scan_id: int | None, lang: Lang) -> DecisionText:
    """`scan_id` is the scan being shown: a decision made on another one says it was carried
    over from it."""
    if decision.from_scan is None:
        origin = text("review.from.gone", lang)
    elif decision.from_scan == scan_id:
        origin = text("review.from", lang, scan=decision.from_scan)
    else:
        origin = text("review.carried", lang, scan=decision.from_scan)
    kind = text(f"review.kind.{decision.kind}", lang)
    return DecisionText(
        kind=kind, headline=text("review.labelled", lang, kind=kind), code=decision.kind,
        by=text("review.by", lang, by=decision.by, at=when(decision.at, lang)),
        reason=text("review.reason", lang, reason=decision.reason) if decision.reason else None,
        origin=origin)


def event_text(event: ReviewEventOut, lang: Lang) -> str:
    line = text("review.event", lang, at=when(event.at, lang), by=event.by,
                action=text(f"review.action.{event.action}", lang))
    if event.previous:
        line += text("review.event.previous", lang,
                     previous=text(f"review.kind.{event.previous}", lang))
    if event.scan_id is not None:
        line += text("review.event.scan", lang, scan=event.scan_id)
    if event.reason:
        line += (" " if lang == "en" else "") + text("review.reason", lang, reason=event.reason)
    return line


@dataclass(frozen=True)
class SummaryText:
    counts: str
    engine: str
    reviewed: str
    note: str
    engine_line: str = ""
    reviewed_line: str = ""


def _score(value: float | None, lang: Lang) -> str:
    return text("review.score.none", lang) if value is None else f"{value:.1f}"


def summary_text(score: ReviewedScore, lang: Lang) -> SummaryText:
    counts = (text("review.summary.counts", lang, review=score.review,
                   confirmed=score.confirmed, waived=score.waived, open=score.open)
              if score.review else text("review.summary.none", lang))
    if score.reviewed_total is None and score.engine_total is not None:
        note = text("review.score.unavailable", lang,
                    model=score.scoring_model or text("review.score.none", lang))
        reviewed = text("review.score.none", lang)
    else:
        note = text("review.score.note", lang)
        reviewed = _score(score.reviewed_total, lang)
    engine = _score(score.engine_total, lang)
    return SummaryText(
        counts=counts, engine=engine, reviewed=reviewed, note=note,
        engine_line=text("review.pair", lang, label=text("review.score.engine", lang),
                         value=engine),
        reviewed_line=text("review.pair", lang, label=text("review.score.reviewed", lang),
                           value=reviewed))


def open_headline(lang: Lang) -> str:
    return text("review.labelled", lang, kind=text("review.open", lang))
