"""`--help` in the terminal's language: every command's and option's description from the
catalogue (`i18n/clihelp.py`), and Typer's words around them (panel titles, `[default: …]`,
`Usage:`, the help option's own line).

The commands declare their help in English where they are defined (so the code reads as it
always did); `localize` replaces it on the built command tree with the catalogue's text in
the chosen language, English included, and `tests/test_cli_help.py` holds the two English
texts equal and every description in the catalogue.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from elderscan.i18n import Lang, has, text

WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": "clihelp.word.arguments",
    "OPTIONS_PANEL_TITLE": "clihelp.word.options",
    "COMMANDS_PANEL_TITLE": "clihelp.word.commands",
    "DEFAULT_STRING": "clihelp.word.default",
    "ENVVAR_STRING": "clihelp.word.envvar",
    "REQUIRED_LONG_STRING": "clihelp.word.required",
    "DEPRECATED_STRING": "clihelp.word.deprecated",
}
"""Typer's words (`typer.rich_utils` names) and their catalogue keys."""


def command_key(path: str) -> str:
    return f"clihelp.cmd.{path or 'elderscan'}"


def option_keys(path: str, name: str) -> tuple[str, str]:
    """Where an option's description is: under its command, else under its name alone."""
    return f"clihelp.{path}.{name}", f"clihelp.opt.{name}"


def option_text(path: str, name: str, lang: Lang) -> str | None:
    for key in option_keys(path, name):
        if has(key):
            return text(key, lang)
    return None


def commands(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """`command` (a built Click command) and every command below it, each with its path
    (`""` for the whole command line, `db.upgrade`)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, f"{path}.{name}" if path else name)


def localize(command: Any, lang: Lang) -> None:
    """Put `lang`'s help on `command` (a built Click command) and every command below it."""
    usage = text("clihelp.word.usage", lang)
    for path, each in commands(command):
        if each.help and has(command_key(path)):
            each.help = text(command_key(path), lang)
            each.short_help = None  # made from the help again, in its language
        for param in each.params:
            if getattr(param, "help", None):
                param.help = option_text(path, param.name, lang) or param.help
        _help_option_in(each, lang)
        _usage_in(each, usage)
        _words_in(each, lang)


def _words(lang: Lang) -> None:
    """Typer's words in `lang`: set on its help module just before help is shown (importing
    that module costs every command ~70 ms that only `--help` needs)."""
    rich_utils = importlib.import_module("typer.rich_utils")
    for name, key in WORDS.items():
        setattr(rich_utils, name, text(key, lang))
    made = vars(rich_utils)["_make_rich_text"]
    if not getattr(made, "folds", False):
        setattr(rich_utils, "_make_rich_text", _folding(made))  # noqa: B010


def _folding(make: Any) -> Any:
    """Typer's help text, folded where a line is full: Chinese has no spaces to wrap at, and
    a table cell cuts a line it cannot wrap with "…" (half of `scan --help` was cut)."""

    def make_rich_text(**kwargs: Any) -> Any:
        made = make(**kwargs)
        if hasattr(made, "overflow"):
            made.overflow = "fold"
        return made

    make_rich_text.folds = True  # type: ignore[attr-defined]
    return make_rich_text


def _help_option_in(command: Any, lang: Lang) -> None:
    made = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = made(ctx)
        if option is not None:
            option.help = text("clihelp.opt.help", lang)
        return option

    command.get_help_option = get_help_option


def _words_in(command: Any, lang: Lang) -> None:
    made = command.format_help

    def format_help(ctx: Any, formatter: Any) -> None:
        _words(lang)
        made(ctx, formatter)

    command.format_help = format_help


def _usage_in(command: Any, prefix: str) -> None:
    def format_usage(ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)),
                              prefix=prefix)

    command.format_usage = format_usage
