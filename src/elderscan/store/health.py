"""Is the store usable? A cheap probe for every health check, and SQLite's own check of the
whole file for when damage is suspected (`elderscan db check`, the API after a corrupt read)."""

from __future__ import annotations

from sqlalchemy import Engine, literal, select, text

from elderscan.store.db import DatabaseError
from elderscan.store.migrate import current
from elderscan.store.models import Base


def probe(engine: Engine, want: str) -> None:
    """Connect, require the schema revision `want`, and read one row of every table: cheap at
    any size, and it meets a file garbled over its header or its tables' first pages. Raises
    DatabaseError or SQLAlchemy's error."""
    revision = current(engine)
    if revision != want:
        if revision is None:
            raise DatabaseError(key="no_revision", want=want)
        raise DatabaseError(key="not_at", revision=revision, want=want)
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            connection.execute(select(literal(1)).select_from(table).limit(1)).all()


def damage(engine: Engine) -> str | None:
    """SQLite's `PRAGMA quick_check` over the whole file (time grows with its size): None when
    it passes, else its first complaint. Other databases check their own pages: None."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as connection:
        verdict = connection.execute(text("PRAGMA quick_check(1)")).scalar()
    return None if verdict == "ok" else " ".join(str(verdict).split())
