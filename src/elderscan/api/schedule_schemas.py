"""Request and response bodies of /api/v1/schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from elderscan.api.schemas import MAX_ID, BatchName, ScanOptions

Kind = Literal["daily", "weekly", "monthly", "cron"]
At = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$"),
               Field(description="time of day, HH:MM (24-hour), in `time_zone`",
                     examples=["08:00"])]
SiteIds = Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]], Field(
    min_length=1, max_length=10_000,
    description="ids of the sites each round scans; omitted or null: the sites of the batch's "
    "latest round at run time")]
Cron = Annotated[str, StringConstraints(strip_whitespace=True, min_length=9, max_length=100),
                 Field(description="five-field cron expression (minute hour day month weekday)"
                       ", read in `time_zone`; used when kind is cron")]
Zone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
                 Field(description="IANA time zone [ELDERSCAN_TIMEZONE, else Asia/Shanghai]",
                       examples=["Asia/Shanghai"])]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScheduleCreate(_In):
    name: BatchName = Field(description="the batch whose rounds this starts")
    site_ids: SiteIds | None = None
    kind: Kind
    at: At = "08:00"
    weekday: int | None = Field(None, ge=0, le=6, description="0 Monday … 6 Sunday (weekly)")
    day: int | None = Field(None, ge=1, le=31, description="day of the month (monthly); past "
                            "a month's end means its last day")
    cron: Cron | None = None
    time_zone: Zone | None = None
    enabled: bool = True
    options: ScanOptions = Field(default_factory=ScanOptions)

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "2026 省级政府网站", "kind": "weekly", "weekday": 0, "at": "08:00"}]})


class ScheduleChange(_In):
    """Only the fields sent are changed; `site_ids: null` goes back to the latest round's
    sites. A changed recurrence, or `enabled: true`, counts the next run from now."""

    name: BatchName | None = None
    site_ids: SiteIds | None = None
    kind: Kind | None = None
    at: At | None = None
    weekday: int | None = Field(None, ge=0, le=6)
    day: int | None = Field(None, ge=1, le=31)
    cron: Cron | None = None
    time_zone: Zone | None = None
    enabled: bool | None = None
    options: ScanOptions | None = None


class LastRun(BaseModel):
    at: datetime
    outcome: Literal["started", "failed"]
    batch_id: int | None
    round: int | None
    error: str | None = Field(None, description="why no round started (a message key)")
    message: str | None = Field(None, description="that reason in words")


class ScheduleOut(BaseModel):
    id: int
    name: str
    site_ids: list[int] | None
    kind: Kind
    at: str
    weekday: int | None
    day: int | None
    cron: str | None
    time_zone: str
    enabled: bool
    options: dict[str, Any]
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    next_run_at: datetime | None = Field(description="UTC; null when off")
    next_run_local: str | None = Field(description="the same moment in `time_zone`, ISO 8601")
    last_run: LastRun | None


class ScheduleList(BaseModel):
    items: list[ScheduleOut]


class RunStarted(BaseModel):
    schedule_id: int
    outcome: Literal["started", "failed"]
    batch_id: int | None
    error: str | None = None
    message: str | None = None
