"""The `elderscan` command: every command of this package under one name, each run under the
one error policy (`exits.py`).

Exit codes, for CI: 0 success, 1 a gate failed (`elderscan ci`), 2 usage or run error, 130
interrupted. Every error a user can cause ends as one line on stderr, never a traceback
(`--debug` shows it).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Annotated

import typer
import typer.main

from elderscan.cli.console import out
from elderscan.cli.exits import exits, guarded, report_exit
from elderscan.cli.helptext import localize
from elderscan.cli.usage import localize_errors
from elderscan.clock import configured_zone
from elderscan.i18n import Lang
from elderscan.terminal_lang import forget, terminal_lang
from elderscan.version import __version__

Command = Callable[..., None]

ORDER = ("serve", "report", "ci", "scheduler", "scan", "db", "batch", "worker", "token")
"""The commands in the order `--help` lists them (where users have always found them)."""


def _typer(name: str, help_text: str) -> typer.Typer:
    return typer.Typer(name=name, help=help_text, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False)


def _group(name: str, help_text: str, commands: dict[str, Command]) -> typer.Typer:
    group = _typer(name, help_text)
    for command_name, command in commands.items():
        group.command(command_name)(guarded(command))
    return group


def _add(app: typer.Typer, runs: typer.Typer, name: str) -> None:
    """Import one command's module and add the command: a run of `elderscan scan` imports the
    scan command's modules and not the API server's, the store's or the workers' (half the
    start-up of a one-page scan, before this)."""
    module = importlib.import_module(f"elderscan.cli.{name}")
    if name in ("db", "token"):
        app.add_typer(_group(name, module.HELP, module.COMMANDS), name=name)
    elif name == "batch":
        runs.command("batch")(guarded(module.batch_command, interrupted="batch.interrupted"))
    elif name == "worker":
        runs.command("worker")(guarded(module.worker_command, interrupted="worker.stopped"))
    else:
        app.command(name)(guarded(getattr(module, name)))
    if name == "db":
        # `batch` and `worker`, added as a group without a name so `--help` lists them between
        # `db` and `token`
        app.add_typer(runs)


def build(only: str | None = None) -> typer.Typer:
    """The `elderscan` command with every command, or with `only` that one."""
    app = _typer("elderscan", "Scores how well websites serve older people (适老化): font size, "
                 "contrast, voice, elder mode, ads and accessibility.")
    runs = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    for name in ORDER:
        if only is None or name == only:
            _add(app, runs, name)
    if only in ("batch", "worker"):
        app.add_typer(runs)
    app.callback()(_root)
    return app


def _command_named(argv: list[str]) -> str | None:
    """The command a command line runs, if it names one (the first word that is no option);
    none when help is asked for before it (`elderscan --help scan` lists every command)."""
    for word in argv:
        if word in ("--help", "-h"):
            return None
        if not word.startswith("-"):
            return word if word in ORDER else None
    return None


def _lang_asked(argv: list[str]) -> Lang | None:
    """The language `--lang` asks for on a command line that may not parse (its errors are
    reported before the option is read)."""
    for i, word in enumerate(argv):
        value = word.partition("=")[2] if word.startswith("--lang=") else (
            argv[i + 1] if word == "--lang" and i + 1 < len(argv) else None)
        if value in ("zh", "en"):
            return "zh" if value == "zh" else "en"
    return None


def _version(value: bool) -> None:
    if value:
        out.print(f"elderscan {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """elderscan command line."""
    forget()
    with exits():
        configured_zone()  # a bad ELDERSCAN_TIMEZONE is one line before anything runs


def __getattr__(name: str) -> typer.Typer:
    """`app`, the whole command (what the tests drive), built on first use."""
    if name != "app":
        raise AttributeError(name)
    globals()["app"] = whole = build()
    return whole


def main(argv: Sequence[str] | None = None, prog_name: str | None = None) -> None:
    """Run the command line `argv` (the process's own without it); ends in `SystemExit`."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        command = typer.main.get_command(build(_command_named(args)))
        forget()  # ELDERSCAN_LANG and the locale, not an earlier command's --lang
        lang = _lang_asked(args) or terminal_lang()
        localize(command, lang)  # --help in the terminal's language
        localize_errors(command, lang)  # and a mistyped command line
        command(args=args, prog_name=prog_name)
    except KeyboardInterrupt as exc:  # outside any command: while Typer reads the options
        raise SystemExit(report_exit(exc)) from None


if __name__ == "__main__":
    main()
