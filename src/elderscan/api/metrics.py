"""Prometheus metrics of one app: request counts and latency, and the store's scans by status.

Each app has its own registry (not prometheus_client's global one), so several apps in one
process (tests) do not collide. The scan and batch gauges are read from the database at scrape
time, so they are right even when Celery workers on other machines do the scanning.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from elderscan.store.counts import store_counts
from elderscan.store.db import session_scope
from elderscan.store.models import BATCH_STATUSES, SCAN_STATUSES

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
log = logging.getLogger("elderscan.api")


class _StoreCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def describe(self) -> Iterable[Metric]:
        return []  # no database query when the collector is registered

    def collect(self) -> Iterable[Metric]:
        try:
            with session_scope(self._engine) as session:
                counts = store_counts(session)
        except SQLAlchemyError as exc:
            log.warning("metrics: cannot read the store: %s", exc)
            return
        scan_family = GaugeMetricFamily("elderscan_scans", "Scans in the store, by status",
                                        labels=["status"])
        for status in SCAN_STATUSES:
            scan_family.add_metric([status], float(counts.scans.get(status, 0)))
        yield scan_family
        batch_family = GaugeMetricFamily("elderscan_batches", "Batch rounds, by status",
                                         labels=["status"])
        for status in BATCH_STATUSES:
            batch_family.add_metric([status], float(counts.batches.get(status, 0)))
        yield batch_family
        yield GaugeMetricFamily("elderscan_sites", "Sites in the store", value=float(counts.sites))


class Metrics:
    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("elderscan_http_requests", "HTTP requests served",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("elderscan_http_request_duration_seconds",
                                 "Time to answer an HTTP request", ["method", "route"],
                                 registry=self.registry)
        self.submitted = Counter("elderscan_scans_submitted", "Scans this API queued",
                                 ["source"], registry=self.registry)
        self.registry.register(_StoreCollector(engine))

    def render(self) -> bytes:
        data: bytes = generate_latest(self.registry)
        return data


class MetricsMiddleware:
    """Counts every request by method, route template (not raw path: ids would explode the
    label set) and status, and observes its latency."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route: Any = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "GET")
            method = method if method in _METHODS else "other"
            self.metrics.requests.labels(method, path, str(status)).inc()
            self.metrics.latency.labels(method, path).observe(time.perf_counter() - started)
