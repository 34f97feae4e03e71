"""The `elderscan` command: every command of this package under one name, each run under the
one error policy (`exits.py`).

Exit codes, for CI: 0 success, 1 a gate failed (`elderscan ci`), 2 usage or run error, 130
interrupted. Every error a user can cause ends as one line on stderr, never a traceback
(`--debug` shows it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from elderscan.cli import batch, ci, db, report, scan, scheduler, serve, token, worker
from elderscan.cli.console import out
from elderscan.cli.exits import exits, guarded, report_exit
from elderscan.clock import configured_zone
from elderscan.terminal_lang import forget
from elderscan.version import __version__

Command = Callable[..., None]


def _typer(name: str, help_text: str) -> typer.Typer:
    return typer.Typer(name=name, help=help_text, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False)


def _group(name: str, help_text: str, commands: dict[str, Command]) -> typer.Typer:
    group = _typer(name, help_text)
    for command_name, command in commands.items():
        group.command(command_name)(guarded(command))
    return group


app = _typer("elderscan", "Scores how well websites serve older people (适老化): font size, "
             "contrast, voice, elder mode, ads and accessibility.")
app.command("serve")(guarded(serve.serve))
app.command("report")(guarded(report.report))
app.command("ci")(guarded(ci.ci))
app.command("scheduler")(guarded(scheduler.scheduler))
app.command("scan")(guarded(scan.scan))
app.add_typer(_group("db", db.HELP, db.COMMANDS), name="db")
runs = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
"""`batch` and `worker`, added as a group without a name so `--help` lists them between `db`
and `token`, where users have always found them."""
runs.command("batch")(guarded(batch.batch_command, interrupted="batch.interrupted"))
runs.command("worker")(guarded(worker.worker_command, interrupted="worker.stopped"))
app.add_typer(runs)
app.add_typer(_group("token", token.HELP, token.COMMANDS), name="token")


def _version(value: bool) -> None:
    if value:
        out.print(f"elderscan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """elderscan command line."""
    forget()
    with exits():
        configured_zone()  # a bad ELDERSCAN_TIMEZONE is one line before anything runs


def main() -> None:
    try:
        app()
    except KeyboardInterrupt as exc:  # outside any command: while Typer reads the options
        raise SystemExit(report_exit(exc)) from None


if __name__ == "__main__":
    main()
