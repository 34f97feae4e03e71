"""`elderscan db …`: create and upgrade the schema, show its revision, check the store, prune
old artifacts.

SQLAlchemy and Alembic are imported inside the commands, so `elderscan scan` does not pay for
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from elderscan.cli.console import out
from elderscan.cli.options import DatabaseUrl, Debug
from elderscan.terminal_lang import say

HELP = "The result database: create or upgrade its schema, show its revision, prune artifacts."


def _resolve(url: str | None) -> str:
    from elderscan.store.db import database_url, normalise_url

    return normalise_url(url) if url else database_url()


def _print(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def upgrade_command(
    url: DatabaseUrl = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
    debug: Debug = False,
) -> None:
    """Create the schema, or bring it up to date (safe to run again)."""
    from elderscan.store.db import safe_url
    from elderscan.store.migrate import current, upgrade

    target = _resolve(url)
    before = current(target)
    after = upgrade(target, revision)
    if before == after:
        _print(say("db.already", url=safe_url(target), revision=after))
    else:
        _print(say("db.upgraded", url=safe_url(target),
                   before=before or say("db.empty_schema"), after=after))


def current_command(url: DatabaseUrl = None, debug: Debug = False) -> None:
    """Show the schema revision of the database (and whether it is the newest)."""
    from elderscan.store.db import safe_url
    from elderscan.store.migrate import current, head

    target = _resolve(url)
    at, newest = current(target), head()
    where = safe_url(target)
    if at is None:
        _print(say("db.current.empty", url=where))
    elif at == newest:
        _print(say("db.current.head", url=where, revision=at))
    else:
        _print(say("db.current.behind", url=where, revision=at, head=newest))


def check_command(url: DatabaseUrl = None, debug: Debug = False) -> None:
    """Check the store can be used: it answers, is at this version's schema, every table reads,
    and (SQLite) the whole file passes `PRAGMA quick_check`. Exit 2 with one line if not."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    from elderscan.store.db import DatabaseError, make_engine, safe_url, unusable
    from elderscan.store.health import damage, probe
    from elderscan.store.migrate import head

    target = _resolve(url)
    engine = make_engine(target, poolclass=NullPool)
    try:
        probe(engine, head())
        problem = damage(engine)
    except SQLAlchemyError as exc:
        raise unusable(exc, engine.url) from exc
    except DatabaseError as exc:
        if exc.key == "unusable":
            raise
        raise DatabaseError(key="unusable", url=safe_url(target), detail=exc) from exc
    finally:
        engine.dispose()
    if problem is not None:
        raise DatabaseError(key="unusable", url=safe_url(target),
                            detail=DatabaseError(key="damaged", problem=problem))
    checked = say("db.check.sqlite" if target.startswith("sqlite") else "db.check.tables")
    _print(say("db.check.ok", url=safe_url(target), revision=head(), checked=checked))


def prune_command(
    older_than: Annotated[float | None, typer.Option(
        "--older-than", min=0, help="Days [ELDERSCAN_RETENTION_DAYS].")] = None,
    url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """Delete screenshots of scans older than N days; scores and findings are kept."""
    _prune(older_than, url)


def _prune(older_than: float | None, url: str | None) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from elderscan.store.db import make_engine, session_scope, unusable
    from elderscan.store.migrate import require_head
    from elderscan.store.retention import prune_artifacts
    from elderscan.store.settings import StoreSettings

    days = older_than if older_than is not None else StoreSettings().RETENTION_DAYS
    if days is None:
        raise ValueError(say("err.prune_days"))
    engine = make_engine(_resolve(url))
    try:
        require_head(engine)
        with session_scope(engine) as session:
            stats = prune_artifacts(session, days)
    except SQLAlchemyError as exc:
        raise unusable(exc, engine.url) from exc
    finally:
        engine.dispose()
    _print(say("db.pruned", files=stats.files, mb=f"{stats.bytes / 1e6:.1f}", scans=stats.scans,
               days=f"{days:g}"))


COMMANDS: dict[str, Callable[..., None]] = {
    "upgrade": upgrade_command, "current": current_command, "check": check_command,
    "prune": prune_command,
}
