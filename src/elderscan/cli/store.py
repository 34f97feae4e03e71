"""The store as the commands open it: at this version's schema or refused with one line
naming it (`elderscan db upgrade`), its errors worded with the database's address.

SQLAlchemy and Alembic load inside these functions, so commands that never open the store do
not pay for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@contextmanager
def open_store(url: str | None = None) -> Iterator[Session]:
    """A session on the store at `url` (else the configured one), which must be at head."""
    from sqlalchemy.exc import SQLAlchemyError

    from elderscan.store.db import make_engine, normalise_url, session_scope, unusable
    from elderscan.store.migrate import require_head

    engine = make_engine(normalise_url(url) if url else None)
    try:
        require_head(engine)
        with session_scope(engine) as session:
            yield session
    except SQLAlchemyError as exc:
        raise unusable(exc, engine.url) from exc
    finally:
        engine.dispose()


def ensure_schema() -> str:
    """The configured database, migrated, by its safe address: a SQLite store never set up is
    created (the embedded default needs no setup step); any other database must be at head."""
    from elderscan.store.db import database_url, safe_url
    from elderscan.store.migrate import current, require_head, upgrade

    url = database_url()
    if url.startswith("sqlite") and current(url) is None:
        upgrade(url)
    require_head(url)
    return safe_url(url)
