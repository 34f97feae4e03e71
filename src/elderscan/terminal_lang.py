"""The language of the terminal: `--lang` where a command has it, else ELDERSCAN_LANG, else
the locale (LC_ALL, LC_MESSAGES, LANG): `zh…` is Chinese, any other named locale English, and
no locale (or C/POSIX) Chinese, the project's default.

It sits below the runner, not in `cli/`, because a batch run prints its progress and ranking
lines in the same language as the command that started it."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Mapping
from typing import Any

from elderscan.errors import PhrasedValueError
from elderscan.i18n import Lang, has, text

_chosen: list[Lang] = []
"""The language `--lang` chose in this process, once a command has read it."""


def choose(lang: Lang) -> Lang:
    """Remember `--lang`, so the command's later lines and errors speak it too."""
    _chosen[:] = [lang]
    return lang


def forget() -> None:
    """A new command starts from ELDERSCAN_LANG and the locale again (tests run many in one
    process)."""
    _chosen.clear()


def terminal_lang() -> Lang:
    if _chosen:
        return _chosen[0]
    chosen = os.environ.get("ELDERSCAN_LANG", "").strip().lower()
    if chosen in ("zh", "en"):
        return "zh" if chosen == "zh" else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip().lower()
        if not value:
            continue
        if value.startswith("zh"):
            return "zh"
        if value in ("c", "posix") or value.startswith(("c.", "posix.")):
            return "zh"
        return "en"
    return "zh"


def say(key: str, lang: Lang | None = None, **values: object) -> str:
    """A terminal phrase (`terminal.` + key) in `lang`, else the terminal's language."""
    return text(f"terminal.{key}", lang or terminal_lang(), **values)


OS_REASONS = {errno.ENOENT: "no_such", errno.EACCES: "denied", errno.EPERM: "denied",
              errno.EISDIR: "is_folder", errno.ENOTDIR: "not_folder", errno.ENOSPC: "disk_full",
              errno.EROFS: "read_only", errno.EADDRINUSE: "port_busy",
              errno.EADDRNOTAVAIL: "no_address"}
"""The system's reasons a person meets most, said in the terminal's language; any other is
said as the system words it."""


def os_reason(exc: BaseException, lang: Lang | None = None) -> str:
    """Why the system refused (a file, a folder, a port), for an error that names what."""
    code = getattr(exc, "errno", None)
    if code in OS_REASONS:
        return say(f"os.{OS_REASONS[code]}", lang)
    return str(getattr(exc, "strerror", None) or exc)


def json_place(exc: ValueError) -> str:
    """Where a file stopped being JSON (or UTF-8), for an error that names the file."""
    place = json_place_phrase(exc)
    return text(place[0], terminal_lang(), **place[1]) if place else str(exc)


def json_place_phrase(exc: BaseException) -> tuple[str, dict[str, object]] | None:
    """The catalogue phrase (key, values) of where text stopped being JSON or UTF-8; none for
    an error that does not say where."""
    if isinstance(exc, UnicodeDecodeError):
        return "terminal.err.not_utf8", {"offset": exc.start}
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    return ("terminal.err.json_at", {"line": line, "column": column}) if line is not None \
        else None


def field_reason(error: Mapping[str, Any], lang: Lang | None = None) -> str:
    """Why a field failed validation, from the error's type (pydantic's `errors()` entry);
    a type the catalogue lacks says pydantic's English message."""
    kind, ctx = str(error.get("type", "")), dict(error.get("ctx") or {})
    lang = lang or terminal_lang()
    if kind == "value_error" and "error" in ctx:
        raised = ctx["error"]
        if isinstance(raised, PhrasedValueError):
            return raised.said(lang)
        return str(raised)  # a validator's own message, as it raised it
    if kind in ("literal_error", "enum") and "expected" in ctx:
        expected = str(ctx["expected"])
        ctx["expected"] = expected.replace(" or ", " 或 ") if lang == "zh" else expected
    key = f"field.{kind}"
    if has(f"terminal.{key}"):
        values = {k: v for k, v in ctx.items() if isinstance(v, str | int | float)}
        with contextlib.suppress(KeyError):  # a value pydantic left out (a length it did not count)
            return say(key, lang, **values)
    return str(error.get("msg", kind))


def phase_text(phase: str | None, probe: str | None, lang: Lang, detail: str = "") -> str:
    """`loading pages https://…`, `trying elder mode`, `checks and scoring`."""
    if phase == "probes" and probe in ("elder", "voice"):
        return say(f"phase.{probe}", lang)
    if phase in ("probes", "scoring"):
        return say(f"phase.{phase}", lang)
    return say("phase.loading", lang) + (f" {detail}" if detail else "")


def reason_text(code: str | None, message: str | None, lang: Lang) -> str:
    """Why a scan failed, for people: in Chinese the catalogue's reason for the scanner's error
    code (its sentence is English); in English the scanner's sentence, which has the detail."""
    if lang == "zh" and code and has(f"terminal.reason.{code}"):
        return say("reason.with_code", lang, reason=say(f"reason.{code}", lang), code=code)
    if code and message:
        return f"{code}: {message}"
    return message or code or say("failed", lang)
