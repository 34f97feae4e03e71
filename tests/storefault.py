"""Real stores that refuse writes the way a full disk or a read-only store does, and that can
be made to accept them again — for the tests of what the runner and the API do meanwhile.

SQLite: every connection the shared engine hands out gets `PRAGMA query_only` (writes fail
with "attempt to write a readonly database") or `PRAGMA max_page_count` at the file's present
size (a write that needs a new page fails with SQLITE_FULL, "database or disk is full").
PostgreSQL: the database's `default_transaction_read_only` is switched and the pool emptied,
so every new transaction is read-only ("cannot execute UPDATE in a read-only transaction").
"""

from __future__ import annotations

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
