"""A round's ranking in words, and its files: one writer for the CLI, the dashboard and the API.

The store gives rows with codes (status, error code, vetoes); here they become what a person
reads in zh or en — why a site is unranked, its change against the previous round, what a veto
found — and `ranking_file` writes the CSV or XLSX that `elderscan report --batch`, the
dashboard's download links and `GET /api/v1/batches/{id}/ranking` all serve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from elderscan.finding import Finding
from elderscan.i18n import Lang, has, text
from elderscan.reports.digest import message, rule_title
from elderscan.reports.error_words import error_reason
from elderscan.store.views import GroupSummary, RankingRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

FileFormat = Literal["csv", "xlsx"]
RANKING_FILES: dict[str, str] = {"csv": "ranking.csv", "xlsx": "ranking.xlsx"}
"""The files a ranking is written as, by format (the CLI's names, the downloads' too)."""
FILE_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def reason(row: RankingRow, lang: Lang) -> str | None:
    """Why the site has no rank, in words; None for a ranked site. The error code picks the
    phrase; the raw message stays a detail (`row.error_message`), never the reason."""
    return reason_for(row.status, row.error_code, row.score_total, lang)


def reason_for(status: str, error_code: str | None, score_total: float | None,
               lang: Lang) -> str | None:
    """`reason` for any scan: by status and error code."""
    if status == "failed":
        return error_reason(error_code, lang)
    if status in ("queued", "running"):
        return text(f"rankings.reason.{status}", lang)
    if score_total is None:
        return text("rankings.reason.unscored", lang)
    return None


def status_text(status: str, lang: Lang, error_code: str | None = None) -> str:
    """The scan's state in words; a scan a cancel stopped is "cancelled", not "failed"."""
    if status == "failed" and error_code == "cancelled":
        return text("hardening.status.cancelled", lang)
    key = f"rankings.status.{status}"
    return text(key, lang) if has(key) else status


def direction(row: RankingRow, previous: int | None) -> str:
    """up, down or same against the previous round; `first` when there is no previous round,
    `new` when the site was not in it, `unscored` when either total is missing."""
    if previous is None:
        return "first"
    if row.previous_round is None:
        return "new"
    if row.change is None:
        return "unscored"
    return "up" if row.change > 0 else "down" if row.change < 0 else "same"


def change_text(row: RankingRow, lang: Lang, previous: int | None) -> str:
    """The change in words: ↑/↓ and the points, → unchanged; `previous` is the round compared
    with (None: this is a first round)."""
    if previous is None:
        return text("rankings.change.first", lang)
    if row.previous_round is None:
        return text("rankings.change.new", lang)
    if row.change is None:
        return text("rankings.change.unscored", lang)
    if row.change == 0:
        return text("rankings.change.same", lang)
    key = "rankings.change.up" if row.change > 0 else "rankings.change.down"
    return text(key, lang, delta=f"{abs(row.change):.1f}")


def veto_texts(row: RankingRow, found: dict[int, list[dict[str, Any]]],
               lang: Lang) -> list[str]:
    """What each veto found: the rule's title and the finding's message in `lang` (rendered
    again from its key and data), e.g. "适老模式中没有广告和弹窗：适老模式页面仍弹出…"."""
    texts: list[str] = []
    hits = found.get(row.scan_id, [])
    for veto in row.vetoes:
        rule = str(veto.get("rule") or "")
        said = [_message(hit, lang) for hit in hits if hit.get("rule") == rule]
        said = [s for s in dict.fromkeys(said) if s] or ([str(veto["message"])]
                                                          if veto.get("message") else [])
        title = rule_title(rule, lang)
        texts.append(text("rankings.veto", lang, rule=title,
                          found=text("rankings.join", lang).join(said[:3]))
                     if said else title)
    return texts


def _message(hit: dict[str, Any], lang: Lang) -> str:
    try:
        return message(Finding.model_validate(hit), lang)
    except ValueError:
        return str(hit.get("message") or "")


def summary_label(group: GroupSummary, lang: Lang) -> str:
    if group.value is None:
        return text("rankings.summary.noregion", lang)
    if group.by == "category":
        return text(f"cat.{group.value}", lang) if has(f"cat.{group.value}") else group.value
    return group.value


@dataclass(frozen=True)
class RankingData:
    """Everything a ranking file or page shows about one round, read in one session."""

    name: str
    round: int
    previous_round: int | None
    rows: list[RankingRow]
    vetoes: dict[int, list[dict[str, Any]]]
    by_region: list[GroupSummary]
    by_category: list[GroupSummary]


def load_ranking(session: Session, batch_id: int, *, category: str | None = None,
                 region: str | None = None, failing_only: bool = False) -> RankingData:
    """The round's rows (filtered), the veto findings they need, and the group summaries
    (over the whole filtered round, failing or not). Raises NotFound for an unknown batch."""
    from elderscan.store.batches import get_batch
    from elderscan.store.rankings import (
        batch_ranking,
        failing,
        previous_round,
        summarise,
        veto_findings,
    )

    every = batch_ranking(session, batch_id, category, region)
    batch = get_batch(session, batch_id)
    assert batch is not None
    before = previous_round(session, batch)
    rows = [r for r in every if failing(r)] if failing_only else every
    return RankingData(
        name=batch.name, round=batch.round, previous_round=before.round if before else None,
        rows=rows, vetoes=veto_findings(session, [r.scan_id for r in rows if r.vetoes]),
        by_region=summarise(every, "region"), by_category=summarise(every, "category"))


def ranking_file(data: RankingData, fmt: FileFormat, lang: Lang) -> bytes:
    """The ranking as CSV (UTF-8 with BOM) or XLSX: the same bytes wherever it is asked for."""
    from elderscan.reports.tabular import ranking_csv, ranking_xlsx

    title = text("rankings.file.title", lang, name=data.name, round=data.round)
    if fmt == "csv":
        return ranking_csv(data.rows, lang, data=data)
    return ranking_xlsx(data.rows, lang, title, data=data)


def localise(rows: Sequence[RankingRow], lang: Lang) -> list[RankingRow]:
    """Rows with `reason` filled in, for a JSON reader."""
    return [r.model_copy(update={"reason": reason(r, lang)}) for r in rows]
