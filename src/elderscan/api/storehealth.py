"""The service over a store it cannot use: 503 with a catalogue message, and `/healthz` failing
for as long as the store is unreachable, corrupt or at the wrong schema.

A probe alone misses a store that is damaged where the probe does not read, so `StoreWatch`
also listens to the engine: any request (or runner) that meets a corrupt or unreachable store
marks it, and `/healthz` fails until the store has answered cleanly for `WINDOW` seconds. A
corrupt SQLite file stays marked until `PRAGMA quick_check` passes again (a restored backup),
checked at most once per `WINDOW`. A store that only refuses writes (full, read-only) serves
reads, so it does not fail `/healthz`; its write requests still get 503.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError

from elderscan.api.errors import error_response
from elderscan.api.lang import scope_lang
from elderscan.i18n import Lang
from elderscan.i18n import text as phrase
from elderscan.store.db import (
    DatabaseError,
    StoreProblem,
    describe_db_error,
    store_problem,
    store_unusable,
)
from elderscan.store.health import damage, probe
from elderscan.store.migrate import head

log = logging.getLogger("elderscan.api")

WINDOW = 30.0
"""Seconds /healthz keeps failing after a request met an unusable store."""
RETRY_AFTER = "30"
FAILS_HEALTH: frozenset[StoreProblem] = frozenset({"corrupt", "schema", "unreachable"})


def request_lang(request: Request) -> Lang:
    return scope_lang(request.scope)


def unusable_message(problem: StoreProblem, lang: Lang) -> str:
    return phrase("store.unusable", lang, problem=phrase(f"store.{problem}", lang))


class StoreWatch:
    """The last corrupt/unreachable/schema error met on the engine, and the health probe."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._problem: StoreProblem | None = None
        self._seen = 0.0
        self._checked = 0.0
        self.window = WINDOW
        self.head = head()
        event.listen(engine, "handle_error", self._on_error)

    def _on_error(self, context: Any) -> None:
        error = context.sqlalchemy_exception or context.original_exception
        if error is None or not store_unusable(error):
            return
        problem = store_problem(error)
        if problem == "corrupt":
            # A SQLite connection that read a damaged file keeps failing after the file is
            # restored: drop it (and the pool) like a connection to a server that went away.
            context.is_disconnect = True
        self.saw(problem)

    def saw(self, problem: StoreProblem) -> None:
        if problem not in FAILS_HEALTH:
            return
        with self._lock:
            self._problem, self._seen = problem, time.monotonic()

    def check(self) -> StoreProblem | None:
        """None when the store is usable, else what is wrong with it."""
        try:
            self._probe()
        except Exception as exc:
            if not store_unusable(exc):
                raise
            problem = store_problem(exc)
            self.saw(problem)
            log.warning("health: %s", describe_db_error(exc, self.engine.url))
            return problem
        with self._lock:
            marked, seen = self._problem, self._seen
        if marked is None:
            return None
        if marked == "corrupt" and self.engine.dialect.name == "sqlite":
            return self._still_corrupt()
        if time.monotonic() - seen < self.window:
            return marked
        with self._lock:
            self._problem = None
        return None

    def _probe(self) -> None:
        probe(self.engine, self.head)

    def _still_corrupt(self) -> StoreProblem | None:
        now = time.monotonic()
        if now - self._checked < self.window:
            return "corrupt"
        self._checked = now
        try:
            if damage(self.engine) is not None:
                return "corrupt"
        except SQLAlchemyError:
            return "corrupt"
        with self._lock:
            self._problem = None
        return None


def unusable_response(request: Request, problem: StoreProblem) -> Response:
    """The 503 of a request that met an unusable store: a dashboard page for the dashboard,
    the API's JSON error elsewhere; either way in the reader's language."""
    headers = {"Retry-After": RETRY_AFTER}
    if not request.url.path.startswith("/api/"):
        from elderscan.api.dashboard.view import View, render

        view = View.of(request)
        response = render(request, "error.html", 503, v=view, title_key="store.title",
                          message_key="store.unusable",
                          values={"problem": phrase(f"store.{problem}", view.lang)})
        response.headers.update(headers)
        return response
    return error_response(503, "unavailable", unusable_message(problem, request_lang(request)),
                          headers=headers)


def install(app: Any, watch: StoreWatch) -> None:
    """503 for every store error that says the store cannot be used (the detail is logged,
    never sent: it names hosts and files); other database errors stay 500s."""

    async def unusable(request: Request, exc: Exception) -> Response:
        if not store_unusable(exc):
            log.exception("database error in %s %s", request.method, request.url.path)
            return error_response(500, "internal", "internal error (the server log has details)")
        problem = store_problem(exc)
        watch.saw(problem)
        log.warning("%s %s: %s", request.method, request.url.path,
                    describe_db_error(exc, watch.engine.url))
        return unusable_response(request, problem)

    app.add_exception_handler(SQLAlchemyError, unusable)
    app.add_exception_handler(DatabaseError, unusable)


def health_failure(request: Request, problem: StoreProblem) -> JSONResponse:
    return error_response(503, "unavailable", unusable_message(problem, request_lang(request)),
                          headers={"Retry-After": RETRY_AFTER})
