"""When a schedule runs next: wall-clock times in its zone, month ends, missed periods, cron."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from elderscan.recurrence import Recurrence, RecurrenceError


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_daily_at_eight_beijing_is_midnight_utc_all_year() -> None:
    """Asia/Shanghai has no daylight saving: 08:00 there is 00:00 UTC in January and July."""
    rule = Recurrence("daily", at="08:00")
    assert rule.next_after(utc(2026, 1, 15, 3, 0)) == utc(2026, 1, 16, 0, 0)
    assert rule.next_after(utc(2026, 7, 15, 3, 0)) == utc(2026, 7, 16, 0, 0)
    # just before and exactly at a run: the run itself is not "after"
    assert rule.next_after(utc(2026, 1, 15, 23, 59)) == utc(2026, 1, 16, 0, 0)
    assert rule.next_after(utc(2026, 1, 16, 0, 0)) == utc(2026, 1, 17, 0, 0)


def test_a_time_after_utc_midnight_is_the_previous_utc_day() -> None:
    """02:30 in Beijing on the 10th is 18:30 UTC on the 9th."""
    rule = Recurrence("daily", at="02:30")
    assert rule.next_after(utc(2026, 3, 9, 12, 0)) == utc(2026, 3, 9, 18, 30)


def test_weekly_on_a_weekday() -> None:
    rule = Recurrence("weekly", at="09:15", weekday=0)  # Monday
    # Friday 2026-12-04 → Monday 2026-12-07 09:15 Beijing = 01:15 UTC
    assert rule.next_after(utc(2026, 12, 4, 12, 0)) == utc(2026, 12, 7, 1, 15)
    # on the Monday, after the time: a week later
    assert rule.next_after(utc(2026, 12, 7, 2, 0)) == utc(2026, 12, 14, 1, 15)


def test_monthly_past_a_month_end_runs_on_its_last_day() -> None:
    rule = Recurrence("monthly", at="10:00", day=31)
    jan = rule.next_after(utc(2026, 1, 1))
    feb = rule.next_after(jan)  # type: ignore[arg-type]
    mar = rule.next_after(feb)  # type: ignore[arg-type]
    apr = rule.next_after(mar)  # type: ignore[arg-type]
    assert [jan, feb, mar, apr] == [utc(2026, 1, 31, 2), utc(2026, 2, 28, 2),
                                    utc(2026, 3, 31, 2), utc(2026, 4, 30, 2)]
    leap = Recurrence("monthly", at="10:00", day=30)
    assert leap.next_after(utc(2028, 2, 1)) == utc(2028, 2, 29, 2)


def test_missed_periods_collapse_into_the_next_one_after_now() -> None:
    """A scheduler down for ten days asks with `now`: one run, the next period from now,
    not ten catch-up runs."""
    rule = Recurrence("daily", at="08:00")
    now = utc(2026, 12, 14, 5, 0)  # 13:00 Beijing, ten days after the stored run
    assert rule.next_after(now) == utc(2026, 12, 15, 0, 0)


def test_a_zone_with_daylight_saving_keeps_the_wall_clock_time() -> None:
    rule = Recurrence("daily", at="09:00", zone="Europe/Berlin")
    assert rule.next_after(utc(2026, 3, 28, 12)) == utc(2026, 3, 29, 7)  # CEST, UTC+2
    assert rule.next_after(utc(2026, 3, 27, 12)) == utc(2026, 3, 28, 8)  # CET, UTC+1


def test_cron_in_the_zone() -> None:
    rule = Recurrence("cron", cron="30 8 * * 1-5")  # weekdays 08:30 Beijing
    assert rule.next_after(utc(2026, 12, 4, 1, 0)) == utc(2026, 12, 7, 0, 30)  # Fri → Mon
    every = Recurrence("cron", cron="*/15 * * * *")
    assert every.next_after(utc(2026, 12, 4, 1, 7)) == utc(2026, 12, 4, 1, 15)
    first_or_monday = Recurrence("cron", cron="0 8 1 * 1")  # cron: either day field
    assert first_or_monday.next_after(utc(2026, 12, 2)) == utc(2026, 12, 7, 0)
    assert Recurrence("cron", cron="0 0 30 2 *").next_after(utc(2026, 1, 1)) is None


@pytest.mark.parametrize(("rule", "key"), [
    (Recurrence("daily", at="25:00"), "schedules.error.time"),
    (Recurrence("daily", at="8"), "schedules.error.time"),
    (Recurrence("weekly", at="08:00"), "schedules.error.weekday"),
    (Recurrence("monthly", at="08:00", day=0), "schedules.error.day"),
    (Recurrence("cron", cron="0 8 * *"), "schedules.error.cron"),
    (Recurrence("cron", cron="61 8 * * *"), "schedules.error.cron"),
    (Recurrence("daily", zone="Mars/Olympus"), "schedules.error.zone"),
])
def test_a_recurrence_that_cannot_run_names_why(rule: Recurrence, key: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        rule.next_after(utc(2026, 1, 1))
    assert caught.value.key == key
