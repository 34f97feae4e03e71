"""When a schedule runs next: pure arithmetic on a recurrence, no store and no clock.

A recurrence is daily, weekly on a weekday, or monthly on a day, at a time of day in a time
zone (default Asia/Shanghai), or a five-field cron expression read in the same zone. Times are
worked out as wall-clock times in that zone and returned in UTC, so "08:00 Beijing time" stays
08:00 whatever the server's own zone. A monthly day past a month's end (31 in April) runs on
that month's last day, so a schedule never skips a month.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Kind = Literal["daily", "weekly", "monthly", "cron"]
KINDS: tuple[Kind, ...] = ("daily", "weekly", "monthly", "cron")
DEFAULT_ZONE = "Asia/Shanghai"
_CRON_LIMITS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_SEARCH_DAYS = 366 * 5
"""A cron expression that matches no day in five years (`0 0 30 2 *`) has no next run."""


class RecurrenceError(ValueError):
    """A recurrence that cannot be run; `key` names the catalogue phrase that says why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RecurrenceError("schedules.error.zone", zone=name[:64]) from exc


def parse_time(text: str) -> time:
    """`HH:MM` (24-hour) as a time; anything else is a RecurrenceError."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
            and int(hours) < 24 and int(minutes) < 60):
        raise RecurrenceError("schedules.error.time")
    return time(int(hours), int(minutes))


def _cron_field(text: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ValueError(part)
        if body == "*":
            start, end = low, high
        elif "-" in body:
            first, _, last = body.partition("-")
            start, end = int(first), int(last)
        else:
            start = int(body)
            end = high if step else start
        if not (low <= start <= end <= high):
            raise ValueError(part)
        values.update(range(start, end + 1, step or 1))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """A five-field cron expression: minute hour day-of-month month day-of-week (0 or 7 is
    Sunday). As in cron, when both day fields are restricted a day matching either runs."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, text: str) -> Cron:
        fields = text.split()
        if len(fields) != 5:
            raise RecurrenceError("schedules.error.cron")
        try:
            parsed = [_cron_field(f, lo, hi) for f, (lo, hi) in
                      zip(fields, _CRON_LIMITS, strict=True)]
        except ValueError as exc:
            raise RecurrenceError("schedules.error.cron") from exc
        weekdays = frozenset(d % 7 for d in parsed[4])
        return cls(parsed[0], parsed[1], parsed[2], parsed[3], weekdays,
                   fields[2] == "*", fields[4] == "*")

    def day_matches(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        by_day = day.day in self.days
        by_weekday = (day.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return by_day and by_weekday
        return by_day or by_weekday


@dataclass(frozen=True)
class Recurrence:
    """What a schedule's row says about when it runs (see the module docstring)."""

    kind: Kind
    at: str = "08:00"
    """Time of day, `HH:MM`, in `zone` (daily, weekly, monthly)."""
    weekday: int | None = None
    """0 Monday … 6 Sunday (weekly)."""
    day: int | None = None
    """1…31 (monthly); past the month's end means its last day."""
    cron: str | None = None
    zone: str = DEFAULT_ZONE

    def check(self) -> None:
        """Raise RecurrenceError if this cannot be run."""
        zone(self.zone)
        if self.kind not in KINDS:
            raise RecurrenceError("schedules.error.kind")
        if self.kind == "cron":
            Cron.parse(self.cron or "")
            return
        parse_time(self.at)
        if self.kind == "weekly" and (self.weekday is None or not 0 <= self.weekday <= 6):
            raise RecurrenceError("schedules.error.weekday")
        if self.kind == "monthly" and (self.day is None or not 1 <= self.day <= 31):
            raise RecurrenceError("schedules.error.day")

    def next_after(self, moment: datetime) -> datetime | None:
        """The first run strictly after `moment` (aware), in UTC; None if there is none (a
        cron expression matching no date). A schedule that missed several periods asks this
        with `now`, so it runs once, not once per missed period."""
        self.check()
        tz = zone(self.zone)
        local = moment.astimezone(tz)
        if self.kind == "cron":
            return _next_cron(Cron.parse(self.cron or ""), local, tz)
        at = parse_time(self.at)
        day = local.date()
        for _ in range(_SEARCH_DAYS):
            if self._runs_on(day):
                candidate = _wall(day, at, tz)
                if candidate > moment:
                    return candidate
            day += timedelta(days=1)
        return None

    def _runs_on(self, day: date) -> bool:
        if self.kind == "daily":
            return True
        if self.kind == "weekly":
            return day.weekday() == self.weekday
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(self.day or 1, last)


def _wall(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz` as UTC (a time skipped by a DST change is taken with the
    offset before it, which lands just after the gap)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _next_cron(cron: Cron, local: datetime, tz: ZoneInfo) -> datetime | None:
    moment = local.astimezone(UTC)
    day = local.date()
    for _ in range(_SEARCH_DAYS):
        if cron.day_matches(day):
            for hour in sorted(cron.hours):
                for minute in sorted(cron.minutes):
                    candidate = _wall(day, time(hour, minute), tz)
                    if candidate > moment:
                        return candidate
        day += timedelta(days=1)
    return None


def configured_zone() -> str:
    """`ELDERSCAN_TIMEZONE` (an IANA name; `elderscan.clock`, the one zone every time a person
    reads is shown in), default Asia/Shanghai: the zone new schedules run in."""
    from elderscan.clock import zone_name

    name = zone_name()
    zone(name)
    return name
