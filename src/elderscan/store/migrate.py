"""Schema migrations (Alembic, shipped inside the package): upgrade, current, head.

`elderscan db upgrade` is the only way the schema is created or changed; the API and the workers
call `require_head()` at start-up and refuse to run on an out-of-date database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from elderscan.store.db import (
    DatabaseError,
    database_url,
    make_engine,
    normalise_url,
    unusable,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0006"
"""The newest revision this version of elderscan ships: the last of `migrations/versions/`
(`tests/store/test_store_migrations.py` holds the two equal). Written down so that asking whether
a database is current imports no Alembic, ~0.2 s of the start of every command, server and
worker that opens the store; only `upgrade` needs it."""
VERSION_TABLE = "alembic_version"
"""where Alembic keeps the revision a database is at (its default; `migrations/env.py` keeps it)"""


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest revision this version of elderscan ships."""
    return HEAD


def scripts_head() -> str | None:
    """The newest revision as Alembic reads it from the migration scripts (what `HEAD` says)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _engine(url: str | Engine | None) -> tuple[Engine, bool]:
    if isinstance(url, Engine):
        return url, False
    return make_engine(url, poolclass=NullPool), True


def upgrade(url: str | Engine | None = None, revision: str = "head") -> str | None:
    """Bring the database at `url` (default: `database_url()`) to `revision`; returns the
    revision it is at afterwards. Raises DatabaseError when the database cannot be reached."""
    from alembic import command

    engine, owned = _engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current(engine)
    except SQLAlchemyError as exc:
        raise unusable(exc, engine.url) from exc
    finally:
        if owned:
            engine.dispose()


def current(url: str | Engine | None = None) -> str | None:
    """The revision the database is at, or None for a database never upgraded (a SQLite file
    that does not exist yet is not created by asking)."""
    if not isinstance(url, Engine) and _missing_sqlite_file(url):
        return None
    engine, owned = _engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            at = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
            revisions = list(at)
    except SQLAlchemyError as exc:
        raise unusable(exc, engine.url) from exc
    finally:
        if owned:
            engine.dispose()
    if len(revisions) > 1:  # elderscan's migrations are one line: this is someone else's table
        raise DatabaseError(key="foreign", table=VERSION_TABLE, count=len(revisions),
                            revisions=", ".join(sorted(revisions)))
    return revisions[0] if revisions else None


def _missing_sqlite_file(url: str | None) -> bool:
    try:
        parsed = make_url(normalise_url(url) if url else database_url())
    except ArgumentError:
        return False
    database = parsed.database or ""
    return (parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
            and not database.startswith("file:") and not Path(database).exists())


def require_head(url: str | Engine | None = None) -> None:
    """Raise DatabaseError unless the database is at this code's head revision."""
    at, want = current(url), head()
    if at != want:
        if at is None:
            raise DatabaseError(key="empty", want=want)
        raise DatabaseError(key="behind", revision=at, want=want)
