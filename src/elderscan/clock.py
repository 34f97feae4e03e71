"""Times as a person reads them: in the configured zone (`ELDERSCAN_TIMEZONE`, default
Asia/Shanghai), in Chinese or English.

Everything stored and every JSON timestamp stays ISO 8601 UTC; only what a person reads
(dashboard, HTML/Markdown reports, ranking files, the terminal) passes through `show`. The zone
data comes from the `tzdata` package when the system has none, so a bare container works.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from elderscan.errors import UsageError
from elderscan.terminal_lang import say

DEFAULT_ZONE = "Asia/Shanghai"
ENV = "ELDERSCAN_TIMEZONE"

Lang = Literal["zh", "en"]


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(say("err.time_zone", env=ENV, value=repr(name),
                             example=DEFAULT_ZONE)) from None


def zone_name() -> str:
    return os.environ.get(ENV, "").strip() or DEFAULT_ZONE


def configured_zone() -> ZoneInfo:
    """The zone of `ELDERSCAN_TIMEZONE`; UsageError with the bad name when it is not one
    (called at start-up by the CLI and `create_app`, so a typo stops the service at once)."""
    return _zone(zone_name())


def parse(moment: datetime | str | None) -> datetime | None:
    """A stored time (aware datetime, naive UTC datetime or ISO text with Z) as aware UTC."""
    if moment is None:
        return None
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local(moment: datetime | str | None, zone: tzinfo | None = None) -> datetime | None:
    """The moment in the configured zone (None when there is none or it cannot be read)."""
    parsed = parse(moment)
    return None if parsed is None else parsed.astimezone(zone or configured_zone())


def _label(moment: datetime) -> str:
    """`UTC+8` style: unambiguous in both languages, unlike CST."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def show(moment: datetime | str | None, lang: Lang = "zh", *, seconds: bool = False,
         zone: tzinfo | None = None) -> str:
    """`2026-11-24 16:10 (UTC+8)`; a value that is no time is returned as it was given, and
    None as an empty string (callers put their own "unknown")."""
    when = local(moment, zone)
    if when is None:
        return "" if moment is None else str(moment)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{stamp}（{_label(when)}）" if lang == "zh" else f"{stamp} ({_label(when)})"


def show_naive(moment: datetime | str | None, zone: tzinfo | None = None) -> datetime | None:
    """The local wall-clock time without a zone, for spreadsheet cells (Excel has no zones);
    the column header names the zone (`zone_label`)."""
    when = local(moment, zone)
    return None if when is None else when.replace(tzinfo=None)


def zone_label(zone: tzinfo | None = None) -> str:
    """The zone of the present moment as `UTC+8`, for column headers."""
    return _label(datetime.now(zone or configured_zone()))


def short_date(moment: datetime | str | None, zone: tzinfo | None = None) -> str:
    """`11-24`: a chart's axis label, in the configured zone."""
    when = local(moment, zone)
    return "" if when is None else when.strftime("%m-%d")
