"""The database's own INSERT, for the few writes that must be one `INSERT … ON CONFLICT`
statement so that concurrent workers cannot both create the same row."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from elderscan.store.db import DatabaseError


def dialect_insert(session: Session, table: type[Any]) -> Any:
    """The dialect's INSERT, which knows `ON CONFLICT` (both SQLite and PostgreSQL do)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise DatabaseError(key="unsupported", name=repr(name))
