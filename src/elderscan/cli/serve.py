"""`elderscan serve`: the HTTP API and the dashboard, with the scheduler beside them.

Cheap to import: FastAPI, uvicorn and the store load inside the command.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from elderscan.cli.console import line
from elderscan.cli.options import Debug
from elderscan.terminal_lang import os_reason, say


def load_config(path: Path) -> list[str]:
    """Read `ELDERSCAN_NAME=value` lines (comments with #, blank lines, optional quotes) into
    the environment; variables already set win. Returns the names it set."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise OSError(say("err.config_read", path=path, reason=os_reason(exc))) from exc
    found: dict[str, str] = {}
    for number, raw in enumerate(lines, start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        entry = entry.removeprefix("export ").strip()
        name, sep, value = entry.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.startswith("ELDERSCAN_") or not name.replace("_", "").isalnum():
            raise ValueError(say("err.config_line", path=path, number=number))
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
        raise OSError(say("err.listen", address=f"{host}:{port}",
                          reason=os_reason(exc))) from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise OSError(say("err.listen", address=f"{host}:{port}",
                          reason=os_reason(exc))) from exc
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
    debug: Debug = False,
) -> None:
    """Run the HTTP API (docs at /docs, schema at /openapi.json).

    Scans run in a background pool in this process, or on Celery workers when
    ELDERSCAN_BROKER_URL is set. The database must be at the newest schema (--upgrade).
    """
    if config is not None:
        load_config(config)
    if log_level not in ("critical", "error", "warning", "info", "debug", "trace"):
        raise ValueError(say("err.serve_loglevel", value=repr(log_level)))
    from elderscan.api.settings import ApiSettings
    from elderscan.clock import configured_zone
    from elderscan.store.db import database_url, get_engine, safe_url
    from elderscan.store.migrate import require_head
    from elderscan.store.migrate import upgrade as migrate

    # What can refuse to start is asked before FastAPI, uvicorn and the app load: a bad
    # setting, an old schema or a busy port is said in 0.45 s of CPU, not 1.0 s.
    settings = ApiSettings()
    if proxy_headers:
        settings = settings.model_copy(update={"PROXY_HEADERS": True})
    configured_zone()
    if upgrade:
        migrate()
    require_head(get_engine())
    sock = _listen(host, port)
    try:
        import uvicorn

        from elderscan.api.app import create_app

        app = create_app(settings, check_schema=False)  # asked above
    except BaseException:
        sock.close()
        raise
    bound = sock.getsockname()
    from elderscan.runner.dispatch import shutdown, uses_broker

    runner = say("serve.on_celery" if uses_broker() else "serve.in_process")
    proxies = settings.trusted_proxies
    trusted = say("serve.proxies", proxies=", ".join(proxies)) if proxies else ""
    line(say("serve.listening", address=f"http://{host}:{bound[1]}/api/v1",
             database=safe_url(database_url()), runner=runner, trusted=trusted))
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
