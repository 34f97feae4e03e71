"""The one error policy of the command line, and the scan options `scan` and `ci` share."""

from __future__ import annotations

import inspect

import pytest
import typer
from click.testing import Result
from typer.testing import CliRunner

from elderscan.cli import ci, scan
from elderscan.cli.exits import code_of, exits, guarded
from elderscan.cli.options import ScanArgs
from elderscan.cli.root import app
from elderscan.errors import BrowserNotFound, TargetError, UsageError
from elderscan.terminal_lang import forget


def _ended(exc: BaseException, capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch, interrupted: str = "interrupted") -> tuple[int, str]:
    monkeypatch.setenv("ELDERSCAN_LANG", "en")
    forget()  # no `--lang` chosen by an earlier test
    with pytest.raises(typer.Exit) as ended, exits(interrupted=interrupted):
        raise exc
    return ended.value.exit_code, capsys.readouterr().err


@pytest.mark.parametrize(("exc", "code"), [
    (TargetError("dns", "no such host"), "dns"),
    (BrowserNotFound("no Chromium"), "browser-missing"),
    (UsageError("bad"), "bad-target"),
    (ValueError("bad"), "bad-target"),
    (KeyError("x"), "error"),
    (OSError("disk"), "error"),
    (KeyboardInterrupt(), "interrupted"),
    (RuntimeError("boom"), "internal"),
])
def test_each_kind_has_the_runners_failure_code(exc: BaseException, code: str) -> None:
    assert code_of(exc) == code


def test_a_users_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    status, said = _ended(ValueError("bad value\n  detail"), capsys, monkeypatch)
    assert (status, said) == (2, "elderscan: error: bad value\n")


def test_an_unforeseen_error_names_its_type(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    status, said = _ended(RuntimeError("boom"), capsys, monkeypatch)
    assert status == 2
    assert said == "elderscan: internal error: RuntimeError: boom (run with --debug for details)\n"


def test_ctrl_c_is_130_with_its_phrase(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert _ended(KeyboardInterrupt(), capsys, monkeypatch) == (130, "elderscan: interrupted\n")
    status, said = _ended(KeyboardInterrupt(), capsys, monkeypatch, "batch.interrupted")
    assert status == 130 and said.startswith("elderscan: interrupted: the round is kept")


def test_debug_shows_the_traceback_and_exits_pass_through() -> None:
    def fails(debug: bool = False) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        guarded(fails)(debug=True)
    with pytest.raises(typer.Exit), exits():
        raise typer.Exit(1)  # ci's failed gate is not an error


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"ELDERSCAN_LANG": "en"})


def test_every_command_says_a_ctrl_c_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("elderscan.cli.db._resolve", interrupt)
    done = _invoke("db", "current")
    assert done.exit_code == 130 and done.stderr == "elderscan: interrupted\n"


def _options(command: object) -> dict[str, tuple[object, object]]:
    params = inspect.signature(command).parameters  # type: ignore[arg-type]
    return {name: (p.default, p.annotation) for name, p in params.items()}


def test_scan_and_ci_take_every_scan_option_alike() -> None:
    scan_options, ci_options = _options(scan.scan), _options(ci.ci)
    shared = [name for name in ScanArgs.__dataclass_fields__ if name != "extra"]
    for name in shared:
        assert scan_options[name] == ci_options[name], name
    assert list(scan_options) == [*shared, "debug"]
    names = list(ci_options)
    assert names[0] == "url" and names[-1] == "debug"
