"""A mistyped command line in the terminal's language: an unknown command or option, a
missing value, a value of the wrong type.

Typer prints such errors itself: the usage line, a "Try … for help." line and a panel titled
"Error" holding Click's English message. The panel's title and the hint are Typer's words,
set to the catalogue's; the message is rebuilt from what the error carries (the option, the
suggestions, the value Pydantic refused). An error this module does not know keeps Click's
English after a translated lead, so nothing is lost; `tests/test_cli_usage.py` meets each kind
in both languages, so a Typer that words them differently fails there, not in a user's
terminal.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from elderscan.i18n import Lang, text

_NO_COMMAND = re.compile(r"No such command '(?P<name>.*)'\.(?: Did you mean (?P<near>.*)\?)?$",
                         re.S)
_EXTRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.S)
_NEEDS = re.compile(r"Option '(?P<name>.*)' requires (?:an argument|(?P<n>\d+) arguments)\.$")
_NO_VALUE = re.compile(r"Option '(?P<name>.*)' does not take a value\.$")

_REASONS = {
    "int_parsing": "int", "int_type": "int", "int_from_float": "int",
    "float_parsing": "float", "float_type": "float",
    "bool_parsing": "bool", "bool_type": "bool",
    "literal_error": "choice", "enum": "choice",
}
"""Pydantic's error types (Typer converts option values with it) and the reason to say."""


def usage_error_class() -> type[Exception]:
    """Click's usage error as Typer raises it: its own copy of Click since 0.24, Click's before."""
    try:
        module = importlib.import_module("typer._click.exceptions")
    except ImportError:
        module = importlib.import_module("click.exceptions")
    cls: type[Exception] = module.UsageError
    return cls


def localize_errors(command: Any, lang: Lang) -> None:
    """Usage errors met while `command` (the built top command) reads its command line, or a
    sub-command reads its own, come out in `lang`."""
    usage_error = usage_error_class()
    for name in ("make_context", "invoke"):
        made = getattr(command, name)

        def wrapped(*args: Any, _made: Any = made, **kwargs: Any) -> Any:
            try:
                return _made(*args, **kwargs)
            except usage_error as exc:
                reword(exc, lang)
                raise

        setattr(command, name, wrapped)


def reword(exc: Exception, lang: Lang) -> None:
    """Put `lang`'s words on `exc` and on Typer's error panel; `exc` is then shown as Typer
    shows any usage error."""
    if getattr(exc, "reworded", False):  # a sub-command's error passes the top command too
        return
    message = said(exc, lang)
    exc.format_message = lambda: message  # type: ignore[attr-defined]
    exc.reworded = True  # type: ignore[attr-defined]
    rich_utils = importlib.import_module("typer.rich_utils")  # only when there is an error
    for name, key in (("ERRORS_PANEL_TITLE", "clihelp.error.title"),
                      ("RICH_HELP", "clihelp.error.help")):
        setattr(rich_utils, name, text(key, lang))


def said(exc: Exception, lang: Lang) -> str:
    """The message of a usage error, in `lang`."""
    kind = {cls.__name__ for cls in type(exc).__mro__}
    message = str(getattr(exc, "message", "") or "")
    if "NoSuchOption" in kind:
        name = str(getattr(exc, "option_name", ""))
        near = sorted(getattr(exc, "possibilities", None) or ())
        return _with_near(text("clihelp.error.no_option", lang, name=name), near, lang)
    if "MissingParameter" in kind:
        param = getattr(exc, "param", None)
        what = "argument" if getattr(param, "param_type_name", "") == "argument" else "option"
        return text(f"clihelp.error.missing_{what}", lang, name=_hint(exc))
    if "BadParameter" in kind:
        return _bad_value(exc, lang)
    if match := _NO_COMMAND.match(message):
        near = [n.strip().strip("'") for n in (match["near"] or "").split(",") if n.strip()]
        return _with_near(text("clihelp.error.no_command", lang, name=match["name"]), near, lang)
    if match := _EXTRA.match(message):
        return text("clihelp.error.extra", lang, args=match["args"])
    if match := _NEEDS.match(message):
        return text("clihelp.error.needs_value", lang, name=match["name"])
    if match := _NO_VALUE.match(message):
        return text("clihelp.error.no_value", lang, name=match["name"])
    if message == "Missing command.":
        return text("clihelp.error.no_command_given", lang)
    return text("clihelp.error.other", lang, detail=message)


def _bad_value(exc: Exception, lang: Lang) -> str:
    """An option's value its type refused: the value and what was expected, where Pydantic
    said which (Typer converts with it); else the option and Click's own reason."""
    cause: Any = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    choices = getattr(getattr(getattr(exc, "param", None), "type_descriptor", None), "choices",
                      None)
    if errors:
        first = errors[0]
        reason = "choice" if choices else _REASONS.get(str(first.get("type")))
        names = [str(c) for c in choices or ()] or re.findall(
            r"'([^']*)'", str((first.get("ctx") or {}).get("expected", "")))
        if reason and (names or reason != "choice"):
            return text("clihelp.error.bad_value", lang, name=_hint(exc),
                        value=repr(first.get("input")),
                        reason=text(f"clihelp.error.expected_{reason}", lang,
                                    choices=_listed(names, lang)))
    return text("clihelp.error.bad_value_other", lang, name=_hint(exc),
                detail=str(getattr(exc, "message", "")))


def _hint(exc: Exception) -> str:
    """How the error names its parameter: `'--max-pages'`, `'URL'`."""
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        try:
            hint = param.get_error_hint()  # Typer's own Click
        except TypeError:
            hint = param.get_error_hint(getattr(exc, "ctx", None))  # Click's takes the context
        return str(hint)
    if isinstance(hint, (list, tuple)):
        return " / ".join(f"'{h}'" for h in hint)
    return str(hint or "")


def _with_near(message: str, near: list[str], lang: Lang) -> str:
    """`message`, then the names Click found close to the mistyped one, if any."""
    if not near:
        return message
    return message + ("" if lang == "zh" else " ") + text(
        "clihelp.error.did_you_mean", lang, names=_listed([f"'{n}'" for n in near], lang))


def _listed(names: list[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(names)
