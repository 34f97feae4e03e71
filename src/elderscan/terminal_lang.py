"""The language of the terminal: `--lang` where a command has it, else ELDERSCAN_LANG, else
the locale (LC_ALL, LC_MESSAGES, LANG): `zh…` is Chinese, any other named locale English, and
no locale (or C/POSIX) Chinese, the project's default.

It sits below the runner, not in `cli/`, because a batch run prints its progress and ranking
lines in the same language as the command that started it."""

from __future__ import annotations

import os

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
