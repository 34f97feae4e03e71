"""Recurring rounds: when a schedule runs (`recurrence`), starting a round (`rounds`), and the
scheduler that starts the due ones from the store (`scheduler`). See docs/batch.md."""

from elderscan.schedules.recurrence import Recurrence, RecurrenceError, configured_zone

__all__ = ["Recurrence", "RecurrenceError", "configured_zone"]
