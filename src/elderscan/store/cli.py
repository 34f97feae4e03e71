"""`elderscan db …`: create and upgrade the schema, show its revision, check the store, prune
old artifacts.

SQLAlchemy and Alembic are imported inside the commands, so `elderscan scan` does not pay for
them. Errors end as one line on stderr and exit code 2, as everywhere in the CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from elderscan.cli_lang import say
from elderscan.errors import ElderscanError, first_line

db_app = typer.Typer(
    name="db",
    help="The result database: create or upgrade its schema, show its revision, prune artifacts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_err = Console(stderr=True)
_out = Console()

UrlOption = Annotated[str | None, typer.Option(
    "--url", help="Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR].")]
DebugOption = Annotated[bool, typer.Option(help="Show tracebacks.")]


@contextmanager
def _errors(debug: bool) -> Iterator[None]:
    """One line on stderr and exit code 2 for any failure (the traceback only with --debug)."""
    try:
        yield
    except typer.Exit:
        raise
    except (ElderscanError, ValueError) as exc:
        if debug:
            raise
        from pydantic import ValidationError

        from elderscan.settings import describe_error

        text = describe_error(exc) if isinstance(exc, ValidationError) else first_line(exc)
        _fail(say("error", message=text))
    except Exception as exc:
        if debug:
            raise
        _fail(say("internal", message=first_line(exc)))


def _fail(line: str) -> NoReturn:
    _err.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2) from None


def _resolve(url: str | None) -> str:
    from elderscan.store.db import database_url, normalise_url

    return normalise_url(url) if url else database_url()


def _print(text: str) -> None:
    _out.print(text, markup=False, highlight=False, soft_wrap=True)


@db_app.command("upgrade")
def upgrade_command(
    url: UrlOption = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
    debug: DebugOption = False,
) -> None:
    """Create the schema, or bring it up to date (safe to run again)."""
    with _errors(debug):
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


@db_app.command("current")
def current_command(url: UrlOption = None, debug: DebugOption = False) -> None:
    """Show the schema revision of the database (and whether it is the newest)."""
    with _errors(debug):
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


@db_app.command("check")
def check_command(url: UrlOption = None, debug: DebugOption = False) -> None:
    """Check the store can be used: it answers, is at this version's schema, every table reads,
    and (SQLite) the whole file passes `PRAGMA quick_check`. Exit 2 with one line if not."""
    with _errors(debug):
        from sqlalchemy.exc import SQLAlchemyError
        from sqlalchemy.pool import NullPool

        from elderscan.store.db import DatabaseError, describe_db_error, make_engine, safe_url
        from elderscan.store.health import damage, probe
        from elderscan.store.migrate import head

        target = _resolve(url)
        engine = make_engine(target, poolclass=NullPool)
        try:
            probe(engine, head())
            problem = damage(engine)
        except SQLAlchemyError as exc:
            raise DatabaseError(describe_db_error(exc, engine.url)) from exc
        except DatabaseError as exc:
            text = str(exc)
            if not text.startswith("cannot use the database"):
                text = f"cannot use the database {safe_url(target)}: {text}"
            raise DatabaseError(text) from exc
        finally:
            engine.dispose()
        if problem is not None:
            raise DatabaseError(f"cannot use the database {safe_url(target)}: the file is "
                                f"damaged (quick_check: {problem})")
        checked = say("db.check.sqlite" if target.startswith("sqlite") else "db.check.tables")
        _print(say("db.check.ok", url=safe_url(target), revision=head(), checked=checked))


@db_app.command("prune")
def prune_command(
    older_than: Annotated[float | None, typer.Option(
        "--older-than", min=0, help="Days [ELDERSCAN_RETENTION_DAYS].")] = None,
    url: UrlOption = None,
    debug: DebugOption = False,
) -> None:
    """Delete screenshots of scans older than N days; scores and findings are kept."""
    with _errors(debug):
        _prune(older_than, url)


def _prune(older_than: float | None, url: str | None) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from elderscan.store.db import DatabaseError, describe_db_error, make_engine, session_scope
    from elderscan.store.migrate import require_head
    from elderscan.store.retention import prune_artifacts
    from elderscan.store.settings import StoreSettings

    days = older_than if older_than is not None else StoreSettings().RETENTION_DAYS
    if days is None:
        raise ValueError("give --older-than DAYS or set ELDERSCAN_RETENTION_DAYS")
    engine = make_engine(_resolve(url))
    try:
        require_head(engine)
        with session_scope(engine) as session:
            stats = prune_artifacts(session, days)
    except SQLAlchemyError as exc:
        raise DatabaseError(describe_db_error(exc, engine.url)) from exc
    finally:
        engine.dispose()
    _print(say("db.pruned", files=stats.files, mb=f"{stats.bytes / 1e6:.1f}", scans=stats.scans,
               days=f"{days:g}"))

