"""`elderscan serve` and `elderscan token create|list|revoke`.

Cheap to import: FastAPI, uvicorn and the store load inside the commands. Every failure ends as
one line on stderr with exit code 2 (`--debug` shows the traceback).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from elderscan import clock
from elderscan.cli_lang import say, terminal_lang
from elderscan.errors import ElderscanError, first_line

token_app = typer.Typer(
    name="token",
    help="API tokens: create (printed once), list, revoke.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_err = Console(stderr=True)

DebugOption = Annotated[bool, typer.Option(help="Show tracebacks.")]
UrlOption = Annotated[str | None, typer.Option(
    "--url", help="Database URL [ELDERSCAN_DATABASE_URL, else SQLite in ELDERSCAN_DATA_DIR].")]


def register(app: typer.Typer) -> None:
    """Add `serve` and the `token` group to the `elderscan` command."""
    app.command("serve")(serve)
    app.add_typer(token_app, name="token")


def _print(text: str) -> None:
    """Plain stdout (no Rich: tabs and long tokens stay exactly as they are)."""
    typer.echo(text)


def _fail(line: str) -> NoReturn:
    _err.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2) from None


@contextmanager
def _errors(debug: bool) -> Iterator[None]:
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except (ElderscanError, ValueError, OSError) as exc:
        if debug:
            raise
        from pydantic import ValidationError

        from elderscan.settings import describe_error

        if isinstance(exc, ValidationError) and exc.title == "ApiSettings":
            line = "; ".join(
                f"ELDERSCAN_API_{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                for e in exc.errors())
        elif isinstance(exc, ValidationError):
            line = describe_error(exc)
        else:
            line = first_line(exc)
        _fail(say("error", message=line))
    except Exception as exc:
        if debug:
            raise
        _fail(say("internal", message=first_line(exc)))


def load_config(path: Path) -> list[str]:
    """Read `ELDERSCAN_NAME=value` lines (comments with #, blank lines, optional quotes) into
    the environment; variables already set win. Returns the names it set."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise OSError(f"cannot read the config file {path}: {exc.strerror or exc}") from exc
    found: dict[str, str] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        name, sep, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.startswith("ELDERSCAN_") or not name.replace("_", "").isalnum():
            raise ValueError(f"{path}:{number}: expected ELDERSCAN_NAME=value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        found[name] = value
    set_now = [name for name in found if name not in os.environ]
    for name in set_now:
        os.environ[name] = found[name]
    return set_now


def _listen(host: str, port: int) -> socket.socket:
    """Bind now, so a busy port or a bad host is one clear error before anything starts."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port.")] = 8000,
    upgrade: Annotated[bool, typer.Option(
        "--upgrade", help="Migrate the database first (`elderscan db upgrade`); without it a "
        "database that is not at the newest schema is refused.")] = False,
    config: Annotated[Path | None, typer.Option(
        "--config", help="A file of ELDERSCAN_NAME=value lines; the environment wins.")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    proxy_headers: Annotated[bool, typer.Option(
        "--proxy-headers", help="Behind a reverse proxy: believe its X-Forwarded-Proto and "
        "X-Forwarded-For (from ELDERSCAN_API_TRUSTED_PROXIES, default this machine) "
        "[ELDERSCAN_API_PROXY_HEADERS].")] = False,
    scheduler: Annotated[bool, typer.Option(
        "--scheduler/--no-scheduler", help="Start scheduled rounds from this process (safe "
        "beside other schedulers on the same database; see docs/batch.md).")] = True,
    debug: DebugOption = False,
) -> None:
    """Run the HTTP API (docs at /docs, schema at /openapi.json).

    Scans run in a background pool in this process, or on Celery workers when
    ELDERSCAN_BROKER_URL is set. The database must be at the newest schema (--upgrade).
    """
    with _errors(debug):
        if config is not None:
            load_config(config)
        if log_level not in ("critical", "error", "warning", "info", "debug", "trace"):
            raise ValueError(f"--log-level must be critical, error, warning, info, debug or "
                             f"trace, not {log_level!r}")
        import uvicorn

        from elderscan.api.app import create_app
        from elderscan.api.settings import ApiSettings
        from elderscan.store.db import database_url, safe_url
        from elderscan.store.migrate import upgrade as migrate

        if upgrade:
            migrate()
        settings = ApiSettings()
        if proxy_headers:
            settings = settings.model_copy(update={"PROXY_HEADERS": True})
        app = create_app(settings)
        sock = _listen(host, port)
        bound = sock.getsockname()
        from elderscan.runner.dispatch import shutdown, uses_broker

        runner = "Celery workers" if uses_broker() else "the in-process pool"
        proxies = settings.trusted_proxies
        trusted = f" · proxy headers from {', '.join(proxies)}" if proxies else ""
        _err.print(f"elderscan API on http://{host}:{bound[1]}/api/v1 (docs /docs) · "
                   f"database {safe_url(database_url())} · scans run on {runner}{trusted}",
                   markup=False, highlight=False, soft_wrap=True)
        server = uvicorn.Server(uvicorn.Config(
            app, log_level=log_level, server_header=False, proxy_headers=bool(proxies),
            forwarded_allow_ips=proxies or None))
        from elderscan.schedules.scheduler import start_beside_serve

        loop = start_beside_serve(app.state.elderscan.engine) if scheduler else None
        try:
            server.run(sockets=[sock])
        finally:
            if loop is not None:
                loop.stop()
            sock.close()
            shutdown()  # scans still running stay `running`; the next runner takes them over


# ------------------------------------------------------------------------------- tokens


@contextmanager
def _store(url: str | None) -> Iterator[Any]:
    from sqlalchemy.exc import SQLAlchemyError

    from elderscan.store.db import (
        DatabaseError,
        describe_db_error,
        make_engine,
        normalise_url,
        session_scope,
    )
    from elderscan.store.migrate import require_head

    engine = make_engine(normalise_url(url) if url else None)
    try:
        require_head(engine)
        with session_scope(engine) as session:
            yield session
    except SQLAlchemyError as exc:
        raise DatabaseError(describe_db_error(exc, engine.url)) from exc
    finally:
        engine.dispose()


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="admin (may start scans and batches) or read.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "token",
    url: UrlOption = None,
    debug: DebugOption = False,
) -> None:
    """Create a token. It is printed once, alone on the last line; only its hash is kept."""
    with _errors(debug):
        from elderscan.store import create_token, list_tokens

        if role not in ("admin", "read"):
            raise ValueError(f"--role must be admin or read, not {role!r}")
        if len(name.strip()) > 200:
            raise ValueError("--name must be at most 200 characters")
        with _store(url) as session:
            plaintext = create_token(session, name, role)
            token_id = max(t.id for t in list_tokens(session))
        _err.print(say("token.created", role=say(f"token.{role}"), id=token_id,
                       name=name.strip() or "token"),
                   markup=False, highlight=False, soft_wrap=True)
        _print(plaintext)


@token_app.command("list")
def token_list(url: UrlOption = None, debug: DebugOption = False) -> None:
    """List tokens (never their values)."""
    with _errors(debug):
        from elderscan.store import list_tokens

        lang = terminal_lang()
        never = say("never", lang)
        with _store(url) as session:
            rows = [(t.id, say(f"token.{t.role}", lang),
                     say("token.revoked" if t.revoked else "token.active", lang),
                     clock.show(t.created_at, lang),
                     clock.show(t.last_used_at, lang) if t.last_used_at else never,
                     t.name) for t in list_tokens(session)]
        if not rows:
            _print(say("token.none", lang))
            return
        _print(say("token.head", lang))
        for row in rows:
            _print("\t".join(str(c) for c in row))


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="Token id (see token list).")],
    url: UrlOption = None,
    debug: DebugOption = False,
) -> None:
    """Revoke a token: requests with it get 401 from now on, and the dashboard sessions
    opened with it end."""
    with _errors(debug):
        from elderscan.store import revoke_token

        with _store(url) as session:
            found = revoke_token(session, token_id) if 0 < token_id < 2**63 else False
        if not found:
            raise ValueError(f"no token {token_id} (see elderscan token list)")
        _print(say("token.revoked_one", id=token_id))
