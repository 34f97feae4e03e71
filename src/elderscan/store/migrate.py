"""Schema migrations (Alembic, shipped inside the package): upgrade, current, head.

`elderscan db upgrade` is the only way the schema is created or changed; the API and the workers
call `require_head()` at start-up and refuse to run on an out-of-date database.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from elderscan.store.db import (
    DatabaseError,
    database_url,
    describe_db_error,
    make_engine,
    normalise_url,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest revision this version of elderscan ships."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if revision is None:  # pragma: no cover - the package always ships one
        raise DatabaseError("no migrations found in the package")
    return revision


def _engine(url: str | Engine | None) -> tuple[Engine, bool]:
    if isinstance(url, Engine):
        return url, False
    return make_engine(url, poolclass=NullPool), True


def upgrade(url: str | Engine | None = None, revision: str = "head") -> str | None:
    """Bring the database at `url` (default: `database_url()`) to `revision`; returns the
    revision it is at afterwards. Raises DatabaseError when the database cannot be reached."""
    engine, owned = _engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current(engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(describe_db_error(exc, engine.url)) from exc
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
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise DatabaseError(describe_db_error(exc, engine.url)) from exc
    finally:
        if owned:
            engine.dispose()


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
        state = "empty" if at is None else f"at revision {at}"
        raise DatabaseError(f"the database is {state}, this elderscan needs {want}: "
                            "run `elderscan db upgrade`")
