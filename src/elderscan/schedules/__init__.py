"""Recurring rounds: starting a round (`rounds`) and the scheduler that starts the due ones
from the store (`scheduler`). When a schedule runs next is `elderscan.recurrence`, below the
store that keeps schedules. See docs/batch.md."""
