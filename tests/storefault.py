"""Real stores that refuse writes the way a full disk or a read-only store does, and that can
be made to accept them again — for the tests of what the runner and the API do meanwhile.

SQLite: every connection the shared engine hands out gets `PRAGMA query_only` (writes fail
with "attempt to write a readonly database") or `PRAGMA max_page_count` at the file's present
size (a write that needs a new page fails with SQLITE_FULL, "database or disk is full").
PostgreSQL: the database's `default_transaction_read_only` is switched and the pool emptied,
so every new transaction is read-only ("cannot execute UPDATE in a read-only transaction").
`PostgresDoor` makes a PostgreSQL server unreachable and reachable again; `corrupt` overwrites
a SQLite file with garbage.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import threading
from pathlib import Path
from typing import Any, Literal

import psycopg
from psycopg import sql
from sqlalchemy import event
from sqlalchemy.engine import make_url

from elderscan.store import get_engine

Mode = Literal["read-only", "full"]
PG_USERS = ("postgres", "root")
UNLIMITED_PAGES = 1_073_741_823


class RefusingStore:
    """Switches the store at `url` between refusing and accepting writes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.mode: Mode | None = None
        self.engine = get_engine(url)
        self.postgres = self.engine.dialect.name == "postgresql"
        if not self.postgres:
            event.listen(self.engine, "checkout", self._on_checkout)

    def _on_checkout(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA query_only={int(self.mode == 'read-only')}")
            if self.mode == "full":
                pages = cursor.execute("PRAGMA page_count").fetchone()[0]
                cursor.execute(f"PRAGMA max_page_count={pages}")
            else:
                cursor.execute(f"PRAGMA max_page_count={UNLIMITED_PAGES}")
        finally:
            cursor.close()

    def refuse(self, mode: Mode = "read-only") -> None:
        if self.postgres and mode != "read-only":
            raise ValueError("a full disk cannot be imitated on PostgreSQL")
        self.mode = mode
        self._apply()

    def accept(self) -> None:
        self.mode = None
        self._apply()

    def _apply(self) -> None:
        if self.postgres:
            name = make_url(self.url).database
            value = "on" if self.mode else "off"
            with psycopg.connect(host="127.0.0.1", port=5432, dbname="test",
                                 user=make_url(self.url).username or PG_USERS[0],
                                 autocommit=True) as admin:
                admin.execute(sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = "
                                      + value).format(sql.Identifier(name)))
        self.engine.dispose()  # pooled connections keep their old settings

    def close(self) -> None:
        self.accept()
        if not self.postgres:
            event.remove(self.engine, "checkout", self._on_checkout)


class PostgresDoor:
    """A TCP relay in front of PostgreSQL on a fixed loopback port: `close()` refuses new
    connections and cuts the open ones (the server is unreachable), `open()` lets them
    through again — a database server going away and coming back."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._server: socket.socket | None = None
        self._links: list[socket.socket] = []
        self._lock = threading.Lock()

    def url(self, database_url: str) -> str:
        """`database_url` (a PostgreSQL URL) through this door."""
        return make_url(database_url).set(host="127.0.0.1", port=self.port) \
            .render_as_string(hide_password=False)

    def open(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen()
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        with self._lock:
            links, self._links = self._links, []
        for link in links:
            with contextlib.suppress(OSError):
                link.shutdown(socket.SHUT_RDWR)
            link.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._links += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


def corrupt(path: Path, keep: int = 0) -> bytes:
    """Overwrite the SQLite file at `path` with random bytes after its first `keep` bytes (0:
    all of it, "file is not a database"; 100: a valid header over garbage pages, "database disk
    image is malformed"); returns the original bytes, to restore it. Its WAL is folded in first
    and removed, so the garbage is all there is."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    original = path.read_bytes()
    path.write_bytes(original[:keep] + os.urandom(len(original) - keep))
    return original
