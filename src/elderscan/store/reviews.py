"""Human review of `review` findings: decisions kept per site, rule and fingerprint, an audit
trail of every change, and the score "after review".

A finding the engine could not decide (outcome `review`) can be confirmed (it counts as a
failure) or waived with a reason (it counts as passed). The decision is stored against the
site, the rule and the finding's fingerprint (`fingerprints.py`), not the finding row,
so the matching finding of every later scan carries it; the stored result keeps the engine's
verdict, and the decision is an overlay applied when a scan is read. Like the repository's
functions, these take a `Session` first and never commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elderscan.store.db import NotFound
from elderscan.store.models import (
    ApiToken,
    DashboardSession,
    FindingRow,
    Page,
    ReviewDecision,
    ReviewEvent,
    Scan,
    utcnow,
)

if TYPE_CHECKING:
    from elderscan.contract import ScanReport

Kind = Literal["confirm", "waive"]
MAX_REASON = 2000
"""Characters kept of a reason; a longer one is refused, not cut."""


class ReviewRefused(ValueError):
    """A decision that cannot be made; `code` names why (`not_review`, `reason_required`,
    `reason_too_long`, `no_decision`), for the API's error and the dashboard's message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class DecisionOut(BaseModel):
    """A decision as it is laid over a finding."""

    kind: Kind = Field(description="confirm: counted as a failure; waive: counted as passed")
    reason: str | None = Field(description="why (required to waive)")
    by: str = Field(description="the name of the token the decision was made with")
    at: datetime = Field(description="when, UTC")
    from_scan: int | None = Field(description="the scan the decision was made on (null if "
                                  "that scan was deleted)")


class ReviewEventOut(BaseModel):
    """One line of the audit trail."""

    id: int
    rule: str
    fingerprint: str
    action: Literal["confirm", "waive", "withdraw"]
    previous: Kind | None = Field(description="the decision in force before, if any")
    reason: str | None
    by: str
    at: datetime
    scan_id: int | None = Field(description="the scan the action was taken on")
    finding_id: int | None


class CurrentDecision(DecisionOut):
    rule: str
    fingerprint: str


class SiteDecisions(BaseModel):
    site_id: int
    decisions: list[CurrentDecision] = Field(description="decisions in force, newest first")
    audit: list[ReviewEventOut] = Field(description="every action, newest first")


class ReviewedScore(BaseModel):
    """A scan's counts and score after review, beside the engine's."""

    scan_id: int
    review: int = Field(description="findings the engine left for a person to decide")
    confirmed: int = Field(description="of those, confirmed as failures")
    waived: int = Field(description="of those, waived")
    open: int = Field(description="of those, not decided yet")
    fail: int = Field(description="failures after review (engine failures + confirmed)")
    passed: int = Field(description="passes after review (engine passes + waived)")
    engine_total: float | None = Field(description="the engine's score, as stored")
    reviewed_total: float | None = Field(
        description="the score recomputed with the scan's scoring model, confirmed findings "
        "counted as failures and waived ones as passes; null when the scan was scored by "
        "another model than this version's")
    reviewed_grade: str | None
    reviewed_passed: bool | None
    reviewed_dimensions: dict[str, float | None] | None
    scoring_model: str | None


@cache
def site_rules() -> frozenset[str]:
    """Rules judged once per site (elder mode, voice, language versions)."""
    from elderscan.checks import REGISTRY

    return frozenset(rule for rule, entry in REGISTRY.items() if entry.meta.scope == "site")


# ------------------------------------------------------------------------------ who


def token_actor(session: Session, plaintext: str) -> str | None:
    """The name of a valid token (the audit's "who"), or None."""
    digest = hashlib.sha256(plaintext.strip().encode("utf-8")).hexdigest()
    return session.execute(select(ApiToken.name).where(
        ApiToken.token_hash == digest, ApiToken.revoked.is_(False))).scalar_one_or_none()


def session_actor(session: Session, session_id: str) -> str | None:
    """The token name behind an open dashboard session, or None."""
    if not session_id or len(session_id) > 100:
        return None
    digest = hashlib.sha256(session_id.encode("utf-8")).hexdigest()
    return session.execute(
        select(ApiToken.name).join(DashboardSession, DashboardSession.token_id == ApiToken.id)
        .where(DashboardSession.session_hash == digest, DashboardSession.revoked_at.is_(None),
               DashboardSession.expires_at > utcnow(), ApiToken.revoked.is_(False))
    ).scalar_one_or_none()


# ------------------------------------------------------------------------- decisions


def _finding(session: Session, scan_id: int, finding_id: int) -> tuple[FindingRow, int]:
    """The finding and its scan's site; NotFound if the finding is not one of the scan's."""
    row = session.execute(select(FindingRow, Scan.site_id).join(Scan, Scan.id == FindingRow.scan_id)
                          .where(FindingRow.id == finding_id, FindingRow.scan_id == scan_id)
                          ).one_or_none()
    if row is None:
        raise NotFound("api.no-finding", scan=scan_id, finding=finding_id)
    return row[0], int(row[1])


def _current(session: Session, site_id: int, rule: str, fingerprint: str
             ) -> ReviewDecision | None:
    return session.execute(select(ReviewDecision).where(
        ReviewDecision.site_id == site_id, ReviewDecision.rule == rule,
        ReviewDecision.fingerprint == fingerprint)).scalar_one_or_none()


def _clean_reason(reason: str | None) -> str | None:
    text = " ".join((reason or "").split())
    if len(text) > MAX_REASON:
        raise ReviewRefused("reason_too_long", f"the reason is longer than {MAX_REASON} "
                            "characters")
    return text or None


def decide(session: Session, scan_id: int, finding_id: int, kind: Kind, reason: str | None,
           actor: str) -> DecisionOut:
    """Confirm or waive a `review` finding of a scan, for this site's findings with the same
    rule and fingerprint from now on. Raises NotFound (no such finding in the scan) or
    ReviewRefused (not a `review` finding; a waiver without a reason)."""
    if kind not in ("confirm", "waive"):
        raise ReviewRefused("bad_kind", "the decision must be confirm or waive")
    finding, site_id = _finding(session, scan_id, finding_id)
    if finding.outcome != "review":
        raise ReviewRefused("not_review", "only a finding left for review can be decided; "
                            f"the engine judged this one: {finding.outcome}")
    text = _clean_reason(reason)
    if kind == "waive" and not text:
        raise ReviewRefused("reason_required", "a waiver needs a reason")
    now = utcnow()
    row = _current(session, site_id, finding.rule, finding.fingerprint)
    previous = row.kind if row is not None else None
    if row is None:
        try:
            with session.begin_nested():  # two first decisions at once: the later updates
                session.add(ReviewDecision(site_id=site_id, rule=finding.rule,
                                           fingerprint=finding.fingerprint, kind=kind,
                                           decided_by=actor, decided_at=now, scan_id=scan_id))
        except IntegrityError:
            row = _current(session, site_id, finding.rule, finding.fingerprint)
            previous = row.kind if row is not None else None
        else:
            row = _current(session, site_id, finding.rule, finding.fingerprint)
        if row is None:
            raise NotFound("api.no-finding", scan=scan_id, finding=finding_id)
    row.kind, row.reason, row.decided_by, row.decided_at, row.scan_id = (
        kind, text, actor, now, scan_id)
    session.add(ReviewEvent(site_id=site_id, rule=finding.rule,
                            fingerprint=finding.fingerprint, action=kind, previous=previous,
                            reason=text, actor=actor, at=now, scan_id=scan_id,
                            finding_id=finding_id))
    session.flush()
    return _out(row)


def withdraw(session: Session, scan_id: int, finding_id: int, actor: str,
             reason: str | None = None) -> None:
    """Withdraw the decision a scan's finding carries: the finding is `review` again, here
    and in every scan. Raises NotFound, or ReviewRefused when there is no decision."""
    finding, site_id = _finding(session, scan_id, finding_id)
    row = _current(session, site_id, finding.rule, finding.fingerprint)
    if row is None or finding.outcome != "review":
        raise ReviewRefused("no_decision", "this finding carries no decision to withdraw")
    session.add(ReviewEvent(site_id=site_id, rule=finding.rule,
                            fingerprint=finding.fingerprint, action="withdraw",
                            previous=row.kind, reason=_clean_reason(reason), actor=actor,
                            at=utcnow(), scan_id=scan_id, finding_id=finding_id))
    session.execute(delete(ReviewDecision).where(ReviewDecision.id == row.id)
                    .execution_options(synchronize_session=False))
    session.expunge(row)
    session.flush()


def _out(row: ReviewDecision) -> DecisionOut:
    return DecisionOut(kind=row.kind,  # type: ignore[arg-type]
                       reason=row.reason, by=row.decided_by, at=row.decided_at,
                       from_scan=row.scan_id)


def _event(row: ReviewEvent) -> ReviewEventOut:
    return ReviewEventOut(id=row.id, rule=row.rule, fingerprint=row.fingerprint,
                          action=row.action,  # type: ignore[arg-type]
                          previous=row.previous,  # type: ignore[arg-type]
                          reason=row.reason, by=row.actor, at=row.at, scan_id=row.scan_id,
                          finding_id=row.finding_id)


# ------------------------------------------------------------------------------ reads


def _review_findings(session: Session, scan_id: int) -> list[Any]:
    """(id, page position, index in the page's findings, rule, fingerprint) of each `review`
    finding of a scan, in result order."""
    rows = session.execute(
        select(FindingRow.id, Page.position, FindingRow.position, FindingRow.rule,
               FindingRow.fingerprint)
        .join(Page, Page.id == FindingRow.page_id)
        .where(FindingRow.scan_id == scan_id, FindingRow.outcome == "review")
        .order_by(Page.position, FindingRow.position)).all()
    return [(int(finding_id), int(page), int(index), rule, fingerprint)
            for finding_id, page, index, rule, fingerprint in rows]


def _site_of(session: Session, scan_id: int) -> int:
    site_id = session.execute(select(Scan.site_id).where(Scan.id == scan_id)).scalar()
    if site_id is None:
        raise NotFound("api.no-scan", id=scan_id)
    return int(site_id)


def _decisions(session: Session, site_id: int) -> dict[tuple[str, str], ReviewDecision]:
    rows = session.execute(select(ReviewDecision).where(ReviewDecision.site_id == site_id))
    return {(r.rule, r.fingerprint): r for r in rows.scalars()}


class Overlay(BaseModel):
    """What a scan's reader needs: its review findings, by id and by result position, with
    the decision each carries (None: undecided)."""

    by_id: dict[int, DecisionOut | None]
    by_position: dict[tuple[int, int], DecisionOut | None]
    ids: dict[tuple[int, int], int]
    """(page position, index) → finding id, for review findings."""


def overlay(session: Session, scan_id: int) -> Overlay:
    """The decisions a scan's review findings carry. Raises NotFound for no such scan."""
    site_id = _site_of(session, scan_id)
    decisions = _decisions(session, site_id)
    by_id: dict[int, DecisionOut | None] = {}
    by_position: dict[tuple[int, int], DecisionOut | None] = {}
    ids: dict[tuple[int, int], int] = {}
    for finding_id, position, index, rule, fingerprint in _review_findings(session, scan_id):
        row = decisions.get((rule, fingerprint))
        decided = _out(row) if row is not None else None
        by_id[finding_id] = decided
        by_position[(position, index)] = decided
        ids[(position, index)] = finding_id
    return Overlay(by_id=by_id, by_position=by_position, ids=ids)


def finding_history(session: Session, scan_id: int) -> dict[int, list[ReviewEventOut]]:
    """The audit trail of each review finding of a scan (by finding id), oldest first."""
    site_id = _site_of(session, scan_id)
    keys: dict[tuple[str, str], list[int]] = {}
    for finding_id, _, _, rule, fingerprint in _review_findings(session, scan_id):
        keys.setdefault((rule, fingerprint), []).append(finding_id)
    if not keys:
        return {}
    rows = session.execute(select(ReviewEvent).where(
        ReviewEvent.site_id == site_id,
        ReviewEvent.fingerprint.in_([f for _, f in keys]))
        .order_by(ReviewEvent.at, ReviewEvent.id)).scalars()
    history: dict[int, list[ReviewEventOut]] = {}
    for row in rows:
        for finding_id in keys.get((row.rule, row.fingerprint), []):
            history.setdefault(finding_id, []).append(_event(row))
    return history


def site_decisions(session: Session, site_id: int, limit: int = 500) -> SiteDecisions:
    """A site's decisions in force and its audit trail (newest first, at most `limit`)."""
    current = session.execute(select(ReviewDecision).where(ReviewDecision.site_id == site_id)
                              .order_by(ReviewDecision.decided_at.desc(),
                                        ReviewDecision.id.desc())).scalars()
    audit = session.execute(select(ReviewEvent).where(ReviewEvent.site_id == site_id)
                            .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc())
                            .limit(limit)).scalars()
    return SiteDecisions(
        site_id=site_id,
        decisions=[CurrentDecision(rule=r.rule, fingerprint=r.fingerprint,
                                   **_out(r).model_dump()) for r in current],
        audit=[_event(r) for r in audit])


def stamp(session: Session, scan_id: int) -> str:
    """Changes whenever the decisions a scan's site carries change (for report caches)."""
    site_id = session.execute(select(Scan.site_id).where(Scan.id == scan_id)).scalar()
    count, last = session.execute(select(func.count(ReviewEvent.id), func.max(ReviewEvent.id))
                                  .where(ReviewEvent.site_id == site_id)).one()
    return f"review:{count}:{last}"


def reviewed_score(session: Session, scan_id: int,
                   report: ScanReport | None = None) -> ReviewedScore:
    """A scan's counts and score after review (`report`: its result, if already parsed).
    Raises NotFound for no such scan. The score is None for a scan without a result, or
    scored by another model than this version's."""
    from elderscan.contract import ScanReport
    from elderscan.scoring.rescore import rescore

    scan = session.get(Scan, scan_id)
    if scan is None:
        raise NotFound("api.no-scan", id=scan_id)
    laid = overlay(session, scan_id)
    decided = [d for d in laid.by_id.values() if d is not None]
    confirmed = sum(d.kind == "confirm" for d in decided)
    waived = len(decided) - confirmed
    score = None
    if scan.result is not None:
        outcomes = {position: "fail" if d.kind == "confirm" else "pass"
                    for position, d in laid.by_position.items() if d is not None}
        score = rescore(report or ScanReport.model_validate(scan.result), outcomes,
                        site_rules())
    return ReviewedScore(
        scan_id=scan_id, review=len(laid.by_id), confirmed=confirmed, waived=waived,
        open=len(laid.by_id) - len(decided), fail=scan.fail_count + confirmed,
        passed=scan.pass_count + waived, engine_total=scan.score_total,
        reviewed_total=score["total"] if score else None,
        reviewed_grade=score["grade"] if score else None,
        reviewed_passed=score["passed"] if score else None,
        reviewed_dimensions=score["dimensions"] if score else None,
        scoring_model=scan.scoring_model)


def reviewed_totals(session: Session, scan_ids: Iterable[int]) -> dict[int, float | None]:
    """The reviewed score of each scan, for a ranking column."""
    return {scan_id: reviewed_score(session, scan_id).reviewed_total for scan_id in scan_ids}
