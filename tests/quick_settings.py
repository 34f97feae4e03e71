"""The scan settings the tests start from, in one place for conftest's `settings()` and for the
recordings the tests replay (`recorded.RECORD_SETTINGS`): a short settle and timeouts, so a
hostile page costs seconds; the interaction probes and axe-core off unless asked for. Its own
module, because the recorder command (`python -m tests.recorded`) must not import conftest."""

from __future__ import annotations

from typing import Any

SETTLE_MS = 200
TEST_SETTINGS: dict[str, Any] = {"settle_ms": SETTLE_MS, "page_timeout": 20, "load_timeout": 6,
                                 "probes": False, "axe": False}
