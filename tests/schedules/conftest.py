"""Schedule fixtures: the store's (a real SQLite file per test, a real PostgreSQL database per
session), and a recorder standing in for the runner where a test is about starting rounds,
not running them (the browser test uses the real runner)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from tests.store.conftest import backend, data_root, db_url, engine, pg_url  # noqa: F401


@dataclass
class Recorder:
    """Takes scan ids as the dispatcher would and remembers them."""

    calls: list[list[int]] = field(default_factory=list)
    fail: Exception | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, scan_ids: list[int]) -> None:
        if self.fail is not None:
            raise self.fail
        with self.lock:
            self.calls.append(list(scan_ids))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()
