"""A mistyped command line is told in the terminal's language: Typer's own words (the panel's
title, the hint) and the message of each kind of usage error, with the names and values it
carries."""

from __future__ import annotations

import os

import pytest

from incli import elderscan

ENGLISH = ("Error", "Try ", "No such", "Invalid value", "Missing", "Got unexpected", "requires",
           "Did you mean", "Value error", "Input should")

CASES = [
    (["scna"], "没有 'scna' 这个命令。是不是要用 'scan'？",
     "No such command 'scna'. Did you mean 'scan'?"),
    (["scan", "--maxpages", "3"], "没有 --maxpages 这个选项。是不是要用 '--max-pages'？",
     "No such option: --maxpages. Did you mean '--max-pages'?"),
    (["scan", "--max-pages", "abc"], "'--max-pages' 的值 'abc' 无效：应为整数。",
     "Invalid value for '--max-pages': 'abc': a whole number is expected."),
    (["scheduler", "--lang", "fr"], "'--lang' 的值 'fr' 无效：应为 zh、en 之一。",
     "Invalid value for '--lang': 'fr': one of zh, en is expected."),
    (["scan", "--out"], "选项 '--out' 后面要有一个值。", "Option '--out' requires a value."),
    (["scan", "a", "b", "c"], "多出了参数：b c。", "Unexpected extra arguments: b c."),
    (["token", "create"], "缺少选项 '--role'。", "Missing option '--role'."),
]


def _run(args: list[str], lang: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELDERSCAN_")}
    proc = elderscan(args, env | {"ELDERSCAN_LANG": lang, "COLUMNS": "200"})
    return proc.returncode, " ".join(proc.stderr.replace("│", " ").split())


@pytest.mark.parametrize(("args", "chinese", "english"), CASES,
                         ids=[" ".join(c[0]) for c in CASES])
def test_a_usage_error_speaks_the_terminals_language(args: list[str], chinese: str,
                                                     english: str) -> None:
    code, said = _run(args, "zh")
    assert code == 2, said
    assert chinese in said, said
    assert not any(word in said for word in ENGLISH), said
    assert "Traceback" not in said
    code, said = _run(args, "en")
    assert code == 2, said
    assert english in said, said
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in said), said


def test_the_hint_and_the_title_are_in_the_language_too() -> None:
    _, said = _run(["scan", "--maxpages", "3"], "zh")
    assert "运行 'python -m elderscan scan --help' 查看帮助。" in said, said
    assert "错误" in said and "用法：" in said
    _, said = _run(["scan", "--maxpages", "3"], "en")
    assert "Try 'python -m elderscan scan --help' for help." in said and "Error" in said


def test_lang_on_the_command_line_chooses_before_the_line_is_read() -> None:
    """`--lang en` is honoured even though the error comes before the option is read."""
    code, said = _run(["scan", "--lang", "en", "--maxpages", "3"], "zh")
    assert code == 2 and "No such option: --maxpages." in said and "用法" not in said, said
