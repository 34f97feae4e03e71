"""Rendered reports kept in memory, so a report is rendered once, not once a request.

An HTML report of a portal scan costs ~0.75 s of CPU (every screenshot crop is cut, marked and
encoded), which made `GET /scans/{id}/report` a cheap way to load the server. A finished scan's
result does not change, so a rendering is kept per (scan, format, language, version), where the
version (`store.results.report_version`) changes when what the report shows can: a re-run, the
site renamed or relabelled, screenshots pruned. Entries are evicted least recently used first
once their bytes pass the budget; a body larger than a quarter of the budget is not kept.

The ETag is a hash of the body, so it is strong (the same tag is the same bytes) even for
formats whose renderings differ by a timestamp (xlsx). Two requests for the same missing entry
render it once: the second waits for the first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (or is `*`); weak tags compare equal to
    their strong form, as RFC 9110 asks for this header."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


class ReportCache:
    """An LRU of rendered reports bounded by bytes; thread-safe (routes run in a pool)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._rendering: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0

    @property
    def size(self) -> int:
        return self._size

    def get(self, key: Hashable) -> Rendered | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return entry

    def get_or_render(self, key: Hashable, render: Callable[[], bytes]) -> Rendered:
        """The cached rendering of `key`, else `render()`'s, kept for the next request."""
        entry = self.get(key)
        if entry is not None:
            return entry
        with self._lock:
            gate = self._rendering.setdefault(key, threading.Lock())
        with gate:
            entry = self.get(key)
            if entry is not None:
                return entry
            try:
                body = render()
            finally:
                with self._lock:
                    self._rendering.pop(key, None)
            entry = Rendered(body, etag_of(body))
            self._put(key, entry)
            return entry

    def _put(self, key: Hashable, entry: Rendered) -> None:
        with self._lock:
            self.misses += 1
            if len(entry.body) > self.max_bytes // 4:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = entry
            self._size += len(entry.body)
            while self._size > self.max_bytes and self._entries:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.body)
