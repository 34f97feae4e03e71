"""The one error policy of every command: what an exception that ends a command says, and the
exit code it leaves.

An exception is first named by a failure code: the codes a failed scan stores
(`errors.failure_code`, which the runner reads too), else one of the few only a command meets
(a bad setting, a bad site list, the store, the broker). `EXITS` then gives the code's exit
status and catalogue phrase: Ctrl-C is 130 and "interrupted" in every command (`batch` adds
that its round is kept), an unforeseen error 2 and "internal error", anything else 2 and
"error". Every message is one line (a site list names each bad row on its own), and a
traceback shows only with `--debug`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
import typer

from elderscan.cli.console import line
from elderscan.errors import STORE_CODE, failure_code, first_line, one_line
from elderscan.i18n import COLON, SEMICOLON
from elderscan.terminal_lang import field_reason, say, terminal_lang

PASS_THROUGH = (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort,
                click.ClickException)
"""How a command ends on purpose (an exit status, a usage message from Click): not errors."""

INTERRUPTED, INTERNAL = "interrupted", "internal"
BAD_SETTING, BAD_SITE_LIST, BROKER = "bad-setting", "bad-site-list", "broker-unavailable"
STORE = STORE_CODE  # the runner's code for a store that refused a scan's outcome

EXITS: dict[str, tuple[int, str]] = {
    INTERRUPTED: (130, "interrupted"),
    INTERNAL: (2, "internal"),
}
"""Exit status and `terminal.*` phrase by failure code; any other code is the user's to fix:
2 and `terminal.error`. (Exit 1 is `ci`'s failed gate, which is not an error.)"""
USER_ERROR = (2, "error")

COMMAND_ERRORS: tuple[tuple[str, str, str], ...] = (
    ("pydantic", "ValidationError", BAD_SETTING),
    ("elderscan.sitelist", "SiteListError", BAD_SITE_LIST),
    ("sqlalchemy.exc", "SQLAlchemyError", STORE),
    ("elderscan.store.db", "DatabaseError", STORE),
    ("kombu.exceptions", "OperationalError", BROKER),
)
"""(module, class, code) of errors from libraries a command may have loaded, checked before
`errors.failure_code` (a bad setting is also a ValueError). A module not yet imported cannot
have raised, so none is imported here."""


def _loaded(module: str, name: str) -> type[BaseException] | None:
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def code_of(exc: BaseException) -> str:
    """The failure code of an exception that ended a command."""
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    for module, name, code in COMMAND_ERRORS:
        kind = _loaded(module, name)
        if kind is not None and isinstance(exc, kind):
            return code
    if isinstance(exc, ConnectionError) and "kombu" in sys.modules:
        return BROKER  # a broker client that raised before kombu could wrap it
    known = failure_code(exc)
    if known is not None:
        return known
    return "error" if isinstance(exc, LookupError | OSError) else INTERNAL


def _bad_setting(exc: BaseException) -> str:
    from pydantic import ValidationError

    from elderscan.settings import describe_error

    if not isinstance(exc, ValidationError):
        return first_line(exc)
    if exc.title == "ApiSettings":  # its variables are ELDERSCAN_API_*
        lang = terminal_lang()
        parts = [f"ELDERSCAN_API_{'.'.join(map(str, e['loc'])).upper()}{COLON[lang]}"
                 f"{field_reason(e, lang)}" for e in exc.errors()]
        return SEMICOLON[lang].join(parts)
    return describe_error(exc, terminal_lang())


def _bad_site_list(exc: BaseException) -> str:
    head, *rows = str(exc).splitlines()
    return "\n".join([head, *(f"  {row}" for row in rows)])


def _store(exc: BaseException) -> str:
    """One line: a DatabaseError says itself (asking for the configured URL could fail on
    another bad setting, inside this handler); a driver's error names the configured store."""
    from elderscan.store.db import DatabaseError, database_url, unusable

    said = exc if isinstance(exc, DatabaseError) else unusable(exc, database_url())
    return " ".join(said.said(terminal_lang()).split())


def _broker(exc: BaseException) -> str:
    """The whole cause on one line: a broker client's later lines say why it could not connect."""
    return say("err.broker", broker=broker_name(), detail=one_line(exc, 400))


def broker_name() -> str:
    """The configured broker's URL, its password hidden."""
    from kombu.utils.url import maybe_sanitize_url

    from elderscan.runner.config import runner_settings

    return str(maybe_sanitize_url(runner_settings().BROKER_URL or ""))


WORDING: dict[str, Callable[[BaseException], str]] = {
    BAD_SETTING: _bad_setting,
    BAD_SITE_LIST: _bad_site_list,
    STORE: _store,
    BROKER: _broker,
    INTERNAL: lambda exc: f"{type(exc).__name__}: {first_line(exc)}",
}
"""How a code's message is worded; any other code says the exception's first line (`_said`)."""


def _said(exc: BaseException) -> str:
    """An error that carries its catalogue phrase (a store's NotFound, a phrased validator's
    refusal, the address guard's) in the terminal's language; any other its first line."""
    said = getattr(exc, "said", None)
    return first_line(exc) if not callable(said) else said(terminal_lang()).splitlines()[0]


def report_exit(exc: BaseException, interrupted: str = "interrupted") -> int:
    """Say why the command ended (on stderr, in the terminal's language) and return its exit
    status. `interrupted` is the phrase for Ctrl-C, for a command that has more to tell."""
    code = code_of(exc)
    status, phrase = EXITS.get(code, USER_ERROR)
    if code == INTERRUPTED:
        line(say(interrupted))
        return status
    message = WORDING.get(code, _said)(exc)
    head, *rest = message.splitlines() or [""]
    line("\n".join([say(phrase, message=head), *rest]))
    return status


@contextmanager
def exits(debug: bool = False, interrupted: str = "interrupted") -> Iterator[None]:
    """Apply the policy to the block: the exception's line on stderr, then exit with its
    status (`debug`: the traceback instead, Ctrl-C excepted)."""
    try:
        yield
    except PASS_THROUGH:
        raise
    except (Exception, KeyboardInterrupt) as exc:
        if debug and not isinstance(exc, KeyboardInterrupt):
            raise
        raise typer.Exit(report_exit(exc, interrupted)) from None


def guarded(command: Callable[..., None], interrupted: str = "interrupted") -> Callable[..., None]:
    """`command` under the policy, its `--debug` deciding whether a traceback shows."""
    @functools.wraps(command)
    def run(*args: Any, **values: Any) -> None:
        with exits(bool(values.get("debug")), interrupted):
            command(*args, **values)
    return run
