"""`--help` in Chinese and English: every description of every command comes from the
catalogue (`i18n/clihelp.py`), whose English is the text the code declares."""

from __future__ import annotations

import os

import pytest
import typer.main

from elderscan.cli.helptext import command_key, commands, option_keys
from elderscan.cli.root import build
from elderscan.i18n import CATALOGUE
from incli import elderscan


def _described() -> list[tuple[str, str | None, str]]:
    """(command path, parameter name or None, English help) of the whole command tree, as the
    code declares it."""
    found: list[tuple[str, str | None, str]] = []
    for path, command in commands(typer.main.get_command(build())):
        if command.help:
            found.append((path, None, command.help))
        found += [(path, p.name, p.help) for p in command.params if getattr(p, "help", None)]
    return found


def test_every_description_is_in_the_catalogue_as_the_code_says_it() -> None:
    described = _described()
    assert len(described) > 80  # the whole tree, not a part of it
    for path, name, english in described:
        keys = (command_key(path),) if name is None else option_keys(path, name)
        pair = next((CATALOGUE[k] for k in keys if k in CATALOGUE), None)
        where = f"{path or 'elderscan'} {name or ''}".strip()
        assert pair is not None, f"{where}: no Chinese for {english!r} (i18n/clihelp.py)"
        assert pair[1] == english.strip(), f"{where}: the catalogue's English differs"
        assert pair[0].strip() and pair[0] != pair[1], where


def _help(args: list[str], lang: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELDERSCAN_")}
    proc = elderscan(args, env | {"ELDERSCAN_LANG": lang, "COLUMNS": "100"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("args", [["scan", "--help"], ["--help"], ["db", "--help"],
                                  ["token", "list", "--help"]])
def test_help_speaks_the_terminals_language(args: list[str]) -> None:
    chinese, english = _help(args, "zh"), _help(args, "en")
    assert "用法：" in chinese and "Usage:" not in chinese
    assert "显示本帮助后退出。" in chinese and "Show this message" not in chinese
    assert "Usage:" in english and "Show this message and exit." in english
    assert not any(word in english for word in ("用法", "选项", "显示", "检测"))


def test_scan_help_in_chinese_is_whole() -> None:
    shown = _help(["scan", "--help"], "zh")
    for phrase in ("每次检测的页面数", "选项", "参数", "不读取 sitemap.xml", "[默认："):
        assert phrase in shown.replace("│", "").replace("\n", "").replace(" ", "") or \
            phrase in shown, phrase
    assert "…" not in shown.replace("……", "")  # a line too long for its cell is folded, not cut
    for english in ("Pages per scan", "Options", "Arguments", "[default:"):
        assert english not in shown, english
