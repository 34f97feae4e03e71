"""Where the store lives, and how to talk to it: URL, data directory, engines and sessions.

SQLite (the default) gets WAL journaling, foreign keys and a generous busy timeout, so the API
can read while a runner writes. `postgresql://` URLs are routed to psycopg 3, the driver
elderscan ships with.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    InternalError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.exc import DatabaseError as DriverDatabaseError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from elderscan.errors import ElderscanError, Phrased, one_line
from elderscan.i18n import Lang, english
from elderscan.i18n import text as phrase
from elderscan.store.settings import StoreSettings

SQLITE_FILE = "elderscan.db"
SQLITE_BUSY_TIMEOUT = 30.0
"""Seconds a SQLite writer waits for another writer before giving up."""


class DatabaseError(ElderscanError):
    """The database cannot be reached, or is not at the schema this code expects.

    Raised with a catalogue key (`store.err.<key>`) and its values, so a command says it in
    the terminal's language (`said`); `str()` is the English, for logs. A value that is itself
    a DatabaseError is said in the same language. Without a key, the message is as given."""

    def __init__(self, message: str = "", /, *, key: str | None = None,
                 **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.said("en") if key else message)

    def said(self, lang: Lang) -> str:
        if self.key is None:
            return str(self)
        shown = {name: value.said(lang) if isinstance(value, DatabaseError) else value
                 for name, value in self.values.items()}
        if lang == "en":  # as it is: the values are paths and a driver's words
            return english(f"store.err.{self.key}", **shown)
        return phrase(f"store.err.{self.key}", lang, **shown)


class NotFound(Phrased, LookupError):
    """A scan, site or batch the caller named does not exist: its phrase is said in the
    request's language by the API's 404 and in the terminal's by a command's last line."""


def data_dir() -> Path:
    """Absolute data directory: `ELDERSCAN_DATA_DIR`, else `./.elderscan` of the current
    directory. Screenshots and other artifacts are stored under it, by relative path."""
    return StoreSettings().DATA_DIR.expanduser().resolve()


def database_url() -> str:
    """`ELDERSCAN_DATABASE_URL`, else the SQLite file `elderscan.db` in the data directory."""
    url = StoreSettings().DATABASE_URL
    if url:
        return normalise_url(url)
    return f"sqlite:///{data_dir() / SQLITE_FILE}"


def normalise_url(url: str) -> str:
    """Route `postgres://` and `postgresql://` to psycopg 3 (SQLAlchemy's default is psycopg2,
    which elderscan does not depend on)."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def safe_url(url: str | URL) -> str:
    """The URL with its password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return str(url).split("@")[-1]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """A new engine for `url` (default: `database_url()`). Raises DatabaseError for a URL
    SQLAlchemy cannot use. Nothing is connected until the first query."""
    text = normalise_url(url) if url else database_url()
    try:
        parsed = make_url(text)
    except ArgumentError as exc:
        raise DatabaseError(key="bad_url", url=repr(safe_url(text))) from exc
    options: dict[str, Any] = {"pool_pre_ping": True, **kwargs}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(key="folder", database=database,
                                    reason=one_line(exc, 300)) from exc
        options.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT)
        options.pop("pool_pre_ping")
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise DatabaseError(key="unsupported_url", url=safe_url(parsed),
                            reason=one_line(exc, 300)) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    """One shared engine per URL for this process (a pool of connections).

    After `fork()` (Celery's prefork pool) call `engine.dispose(close=False)` in the child, or
    use `reset_engines()`, so parent and child never share a connection.
    """
    key = normalise_url(url) if url else database_url()
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = make_engine(key)
        return engine


def reset_engines(close: bool = True) -> None:
    """Forget the shared engines (after a fork pass close=False: the parent owns the sockets)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose(close=close)
        _engines.clear()


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (handy for returning them from the API)."""
    return sessionmaker(engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception.

    The repository functions never commit: they flush, and the caller decides where the
    transaction ends — normally with this context manager.
    """
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def unusable(exc: BaseException, url: str | URL) -> DatabaseError:
    """A failure to reach or use the database as a DatabaseError naming it (one that is
    already a DatabaseError says so itself). The driver's own words are quoted as they are."""
    if isinstance(exc, DatabaseError):
        return exc
    orig = getattr(exc, "orig", None) or exc
    detail = " ".join(str(orig).split()) or type(orig).__name__
    if len(detail) > 300:
        detail = detail[:297] + "..."
    return DatabaseError(key="unusable", url=safe_url(url), detail=detail)


def describe_db_error(exc: BaseException, url: str | URL) -> str:
    """One line, in English, for a failure to reach or use the database (logs)."""
    return str(unusable(exc, url))


def store_unusable(exc: BaseException) -> bool:
    """Whether `exc` says the store itself cannot be used now — unreachable, full, read-only,
    corrupt, out of connections — rather than that a statement was wrong.

    Such errors may pass (space freed, the server back, a backup restored), so a runner retries
    its writes and the API answers 503. Integrity, data and programming errors are not: they
    are bugs or bad input, and retrying would not help. A corrupt SQLite file ("database disk
    image is malformed", "file is not a database") arrives as the driver's plain DatabaseError.
    """
    if isinstance(exc, DatabaseError | PoolTimeout):
        return True
    if isinstance(exc, OperationalError | InterfaceError | InternalError):
        return True
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or type(exc) is DriverDatabaseError
    return False


StoreProblem = Literal["corrupt", "full", "read-only", "schema", "unreachable"]


def store_problem(exc: BaseException) -> StoreProblem:
    """What kind of unusable an error says the store is (for `store_unusable` errors), so a
    message can name it in words: the driver's own text is neither translated nor safe to show
    to anyone who asks the service."""
    if isinstance(exc, DatabaseError) and "elderscan db upgrade" in str(exc):
        return "schema"
    text = " ".join(str(getattr(exc, "orig", None) or exc).split()).lower()
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "corrupt"
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return "full"
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "read-only"
    return "unreachable"
