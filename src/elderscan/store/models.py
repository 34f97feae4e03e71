"""The store's tables, as SQLAlchemy 2 typed declarative models.

Portable between SQLite and PostgreSQL: JSON columns are `JSON` (JSONB on PostgreSQL), times are
stored in UTC and always come back timezone-aware, ids are BIGINT on PostgreSQL (INTEGER
on SQLite, where only INTEGER PRIMARY KEY auto-increments). The schema itself is created by the
Alembic migrations in `store/migrations/`, never by `create_all` (tests aside).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from elderscan.dimensions import DIMENSIONS

SITE_CATEGORIES = ("gov", "bank", "other")
BATCH_STATUSES = ("queued", "running", "done")
SCAN_STATUSES = ("queued", "running", "done", "failed")
TOKEN_ROLES = ("admin", "read")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in, timezone-aware UTC out, on SQLite (no time zones) as on PG."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
Id = BigInteger().with_variant(Integer(), "sqlite")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class Site(Base):
    """A website under audit. `url_key` (scheme and `www.` dropped) makes http/https and
    www/no-www spellings of one site the same row, so history survives a list's typos."""

    __tablename__ = "sites"
    __table_args__ = (
        CheckConstraint(_in("category", SITE_CATEGORIES), name="category"),
        Index(None, "category", "region"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    url_key: Mapped[str] = mapped_column(String(2000), unique=True)
    category: Mapped[str] = mapped_column(String(16), default="other")
    region: Mapped[str | None] = mapped_column(String(100))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    scans: Mapped[list[Scan]] = relationship(back_populates="site", passive_deletes=True)


class Batch(Base):
    """One round of a named audit. Re-running the batch `name` creates round + 1."""

    __tablename__ = "batches"
    __table_args__ = (
        UniqueConstraint("name", "round"),
        CheckConstraint(_in("status", BATCH_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    round: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)

    scans: Mapped[list[Scan]] = relationship(back_populates="batch")


class Scan(Base):
    """One scan of one site: its lifecycle, engine versions, score columns for ranking and
    history, and the whole result contract as JSON (`result`)."""

    __tablename__ = "scans"
    __table_args__ = (
        CheckConstraint(_in("status", SCAN_STATUSES), name="status"),
        UniqueConstraint("batch_id", "site_id"),
        Index(None, "site_id", "finished_at"),
        Index(None, "batch_id", "score_total"),
        Index(None, "batch_id", "status"),
        Index(None, "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    target: Mapped[str] = mapped_column(String(2000))
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """Live progress of a running scan, as the runner reports it (`set_progress`)."""

    elderscan_version: Mapped[str | None] = mapped_column(String(50))
    chromium_version: Mapped[str | None] = mapped_column(String(50))
    axe_core_version: Mapped[str | None] = mapped_column(String(50))
    ruleset_version: Mapped[str | None] = mapped_column(String(100))
    scoring_model: Mapped[str | None] = mapped_column(String(100))

    result_status: Mapped[str | None] = mapped_column(String(16))
    """The contract's status: ok | partial | failed."""
    score_total: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(4))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    score_elder_mode: Mapped[float | None] = mapped_column(Float)
    score_font: Mapped[float | None] = mapped_column(Float)
    score_contrast: Mapped[float | None] = mapped_column(Float)
    score_voice: Mapped[float | None] = mapped_column(Float)
    score_ads: Mapped[float | None] = mapped_column(Float)
    score_accessibility: Mapped[float | None] = mapped_column(Float)
    vetoes: Mapped[list[Any]] = mapped_column(default=list)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    error_code: Mapped[str | None] = mapped_column(String(100))
    error_message: Mapped[str | None] = mapped_column(Text)

    pages_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_pages: Mapped[int] = mapped_column(Integer, default=0)
    fail_count: Mapped[int] = mapped_column(Integer, default=0)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    pass_count: Mapped[int] = mapped_column(Integer, default=0)

    site: Mapped[Site] = relationship(back_populates="scans")
    batch: Mapped[Batch | None] = relationship(back_populates="scans")
    pages: Mapped[list[Page]] = relationship(
        back_populates="scan", order_by="Page.position", passive_deletes=True)

    def dimensions(self) -> dict[str, float | None]:
        """Dimension scores by name, in contract order."""
        return {d: getattr(self, f"score_{d}") for d in DIMENSIONS}


class Page(Base):
    """One captured page of a scan (a URL in one mode and viewport)."""

    __tablename__ = "pages"
    __table_args__ = (Index(None, "scan_id", "position"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    """Index of the page in the result's `pages` list."""
    url: Mapped[str] = mapped_column(String(2000))
    final_url: Mapped[str | None] = mapped_column(String(2000))
    url_template: Mapped[str] = mapped_column(String(2000))
    viewport: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    http_status: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    screenshot: Mapped[str | None] = mapped_column(String(1000))
    """Path relative to the data directory (absolute only if it was stored outside it)."""

    scan: Mapped[Scan] = relationship(back_populates="pages")


class FindingRow(Base):
    """One finding of a page, with the fingerprint that identifies it across scans."""

    __tablename__ = "findings"
    __table_args__ = (
        Index(None, "scan_id", "rule"),
        Index(None, "fingerprint"),
        Index(None, "page_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    """Index among the page's findings, as in the result."""
    rule: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    clause: Mapped[str] = mapped_column(Text)
    selector: Mapped[str | None] = mapped_column(Text)
    box: Mapped[list[Any] | None] = mapped_column(JSONType)
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    """Number or text, as measured (a JSON scalar keeps which)."""
    threshold: Mapped[Any] = mapped_column(JSONType, nullable=True)
    message: Mapped[str] = mapped_column(Text)
    message_key: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(40))


class ApiToken(Base):
    """A bearer token for the API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(_in("role", TOKEN_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class DashboardSession(Base):
    """A dashboard sign-in: the browser's cookie holds a random id, this row only its SHA-256
    and the token it was opened with, so the bearer token never travels in a cookie and the
    server decides when the session ends (expiry, sign-out, its token revoked)."""

    __tablename__ = "dashboard_sessions"
    __table_args__ = (Index(None, "token_id"), Index(None, "expires_at"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    token: Mapped[ApiToken] = relationship()


SCHEDULE_KINDS = ("daily", "weekly", "monthly", "cron")
SCHEDULE_OUTCOMES = ("started", "failed")


class Schedule(Base):
    """A recurring round of a named batch. `next_run_at` (UTC) is stored, so whichever
    scheduler process looks next finds what is due, after a restart too; claiming a run is a
    compare-and-set on it, so two schedulers never start the same run twice."""

    __tablename__ = "schedules"
    __table_args__ = (
        CheckConstraint(_in("kind", SCHEDULE_KINDS), name="kind"),
        Index(None, "enabled", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    """The batch whose rounds this starts."""
    site_ids: Mapped[list[Any] | None] = mapped_column(JSONType)
    """Sites of each round; None means the sites of the batch's latest round at run time."""
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[str] = mapped_column(String(5), default="08:00")
    weekday: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    cron: Mapped[str | None] = mapped_column(String(100))
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    next_run_at: Mapped[datetime | None]
    last_run_at: Mapped[datetime | None]
    last_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batches.id", ondelete="SET NULL"))
    last_outcome: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(String(100))
    """Why the last run did not start, as a catalogue key (`schedules.error.*`)."""
    last_detail: Mapped[str | None] = mapped_column(Text)
    """The technical detail of that failure (for the API and the log)."""


REVIEW_KINDS = ("confirm", "waive")
"""What a person decided about a `review` finding: it is a failure, or it is waived."""
REVIEW_ACTIONS = (*REVIEW_KINDS, "withdraw")


class ReviewDecision(Base):
    """A person's standing decision on a `review` finding, kept per site, rule and finding
    fingerprint, so every later scan's matching finding carries it. The stored result is never
    changed: the decision is laid over it when read. Withdrawing deletes the row; the audit
    trail (`ReviewEvent`) keeps what it was."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        UniqueConstraint("site_id", "rule", "fingerprint"),
        CheckConstraint(_in("kind", REVIEW_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    """The name of the token the decision was made with."""
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id", ondelete="SET NULL"))
    """The scan the decision was made on."""


class ReviewEvent(Base):
    """One line of the review audit trail: a decision made, changed or withdrawn, by whom,
    when, why and on which scan. Rows are only ever added; scan and finding ids are kept as
    plain numbers so that pruning old scans does not rewrite history."""

    __tablename__ = "review_events"
    __table_args__ = (
        CheckConstraint(_in("action", REVIEW_ACTIONS), name="action"),
        Index(None, "site_id", "rule", "fingerprint"),
        Index(None, "site_id", "at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(16))
    previous: Mapped[str | None] = mapped_column(String(16))
    """The decision in force before this event (None: there was none)."""
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    scan_id: Mapped[int | None] = mapped_column(Id)
    finding_id: Mapped[int | None] = mapped_column(Id)


class RoundCancel(Base):
    """A round (batch) an admin cancelled: its queued scans were marked failed with code
    `cancelled` so no runner starts them; scans already running were left to finish."""

    __tablename__ = "round_cancels"

    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"),
                                          primary_key=True)
    cancelled_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_by: Mapped[str | None] = mapped_column(String(200))
    """The name of the admin token that cancelled it."""
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    """Queued scans that were not started."""
