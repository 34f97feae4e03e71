"""A command's own error messages come from the catalogue: each is said in Chinese and in
English, with nothing of the other language in it but what the user typed (a path, a value,
an option's name). The system's common reasons (no such file, no permission, a busy port)
are in the catalogue too; a rarer one is said as the system words it."""

from __future__ import annotations

import ast
import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from elderscan import clock
from elderscan.api.settings import ApiSettings
from elderscan.cli.exits import report_exit
from elderscan.cli.serve import _listen, load_config
from elderscan.errors import UsageError
from elderscan.gate.baseline import load_baseline
from elderscan.gate.gate import parse_dimensions
from elderscan.reports.source import load_report_file
from elderscan.settings import ScanSettings
from langcheck import HAN, other_language

SRC = Path(__file__).resolve().parents[1] / "src" / "elderscan"

TYPED = ["--dimension", "NAME=SCORE", "contrast=70", "colour", "contrast", "high", "elder_mode",
         "font", "voice", "ads", "accessibility", "ELDERSCAN_TIMEZONE", "Asia/Beijing",
         "Asia/Shanghai", "ELDERSCAN_NAME", "ELDERSCAN_",
         "templates", "schema_version", "target"]
"""What a message may quote as the user typed it or as the system said it."""


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    return path


def _cases(tmp_path: Path, busy: int) -> dict[str, Callable[[], object]]:
    saved = sorted((Path(__file__).parent / "saved_results").rglob("result.json"))[0]
    failed = json.loads(saved.read_text("utf-8"))
    failed.update(status="failed", score=None)
    return {
        "dimension form": lambda: parse_dimensions(["contrast"]),
        "dimension name": lambda: parse_dimensions(["colour=70"]),
        "dimension number": lambda: parse_dimensions(["contrast=high"]),
        "dimension range": lambda: parse_dimensions(["contrast=170"]),
        "baseline missing": lambda: load_baseline(tmp_path / "none.json"),
        "baseline not json": lambda: load_baseline(_write(tmp_path, "a.json", "{not json")),
        "baseline not utf-8": lambda: load_baseline(_bytes(tmp_path)),
        "baseline kind": lambda: load_baseline(_write(tmp_path, "c.json", "[1, 2]")),
        "baseline invalid": lambda: load_baseline(
            _write(tmp_path, "d.json", '{"schema_version": "1", "target": 3}')),
        "baseline damaged": lambda: load_baseline(
            _write(tmp_path, "e.json", '{"format": "elderscan-baseline/1", "findings": []}')),
        "baseline failed": lambda: load_baseline(
            _write(tmp_path, "f.json", json.dumps(failed))),
        "result missing": lambda: load_report_file(tmp_path / "none.json"),
        "result not json": lambda: load_report_file(_write(tmp_path, "g.json", "{")),
        "time zone": lambda: clock._zone.__wrapped__("Asia/Beijing"),
        "config missing": lambda: load_config(tmp_path / "none.env"),
        "config line": lambda: load_config(_write(tmp_path, "bad.env", "DATABASE_URL=x\n")),
        "port busy": lambda: _listen("127.0.0.1", busy),
    }


def _bytes(tmp_path: Path) -> Path:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"target": "\xe9"}')
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_message_is_in_the_terminals_language(tmp_path: Path, lang: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELDERSCAN_LANG", lang)
    said: dict[str, str] = {}
    with socket.create_server(("127.0.0.1", 0)) as held:
        for name, raise_it in _cases(tmp_path, held.getsockname()[1]).items():
            with pytest.raises((UsageError, ValueError, OSError)) as caught:
                raise_it()
            said[name] = str(caught.value)
    paths = {tmp_path / "none.json", tmp_path / "none.env", *tmp_path.iterdir()}
    typed = [*sorted(map(str, paths), key=len, reverse=True), *TYPED]
    for name, message in said.items():
        assert other_language(message, lang, typed) == [], (name, message)
        assert bool(HAN.search(message)) == (lang == "zh"), message
    assert len(set(said.values())) == len(said)  # each case says its own thing


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_setting_is_said_in_the_terminals_language(
        lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ELDERSCAN_LANG", lang)
    bad = [lambda: ScanSettings(CONCURRENCY=99, AXE_LOCALE="fr", AXE_TIMEOUT="soon"),
           lambda: ApiSettings(TRUSTED_PROXIES="10.0.0.0/8,proxy.internal"),
           lambda: ScanSettings(COOKIES="sid=1;x", ALLOW_HOSTS="intra net"),
           lambda: ScanSettings(COOKIES="no value"),
           # bytes of an environment variable that are not UTF-8 reach pydantic as surrogates
           lambda: ScanSettings(AXE_LOCALE=b"\xff".decode("utf-8", "surrogateescape"))]
    for make in bad:
        with pytest.raises(ValueError) as caught:
            make()
        assert report_exit(caught.value) == 2
    said = capsys.readouterr().err.splitlines()
    typed = ["concurrency", "axe_locale", "axe_timeout", "cookies", "allow_hosts",
             "ELDERSCAN_CONCURRENCY", "ELDERSCAN_AXE_LOCALE", "ELDERSCAN_AXE_TIMEOUT",
             "ELDERSCAN_API_TRUSTED_PROXIES", "ELDERSCAN_COOKIES", "ELDERSCAN_ALLOW_HOSTS",
             "proxy.internal", "'intra net'", "sid", "'en'", "'zh'"]
    assert len(said) == 5 and all(line.startswith("elderscan") for line in said), said
    for line in said:
        assert other_language(line, lang, typed) == [], line
    assert "32" in said[0] and "proxy.internal" in said[1] and "'intra net'" in said[2]
    if lang == "zh":  # a Chinese line's colons are Chinese ones, as its semicolons are
        assert all(": " not in line for line in said), said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_error_that_names_its_phrase_ends_a_command_in_the_terminals_language(
        lang: str, migrated_sqlite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The store's NotFound (what `report 999` and a round of an unknown batch meet) and a
    phrased validator's refusal are said in the terminal's language; as strings they stay
    English, as logs keep them."""
    from conftest import copy_store
    from elderscan.reports.source import load_stored_scan
    from elderscan.runner.rounds import start_next_round
    from elderscan.siteaddress import site_url_key
    from elderscan.store.db import make_engine, session_scope

    monkeypatch.setenv("ELDERSCAN_LANG", lang)
    engine = make_engine(copy_store(migrated_sqlite, tmp_path / "store.db"))
    try:
        with session_scope(engine) as session:
            cases = [lambda: load_stored_scan(session, 999),
                     lambda: start_next_round("季度", allow_hosts=(), engine=engine),
                     lambda: site_url_key("http://a b/")]
            english = []
            for raise_it in cases:
                with pytest.raises((LookupError, ValueError)) as caught:
                    raise_it()
                english.append(str(caught.value))
                assert report_exit(caught.value) == 2
    finally:
        engine.dispose()
    said = capsys.readouterr().err.splitlines()
    assert english == ["scan 999 does not exist", "no batch '季度'",
                       "not a web address: 'http://a b/'"]
    assert len(said) == 3, said
    for line in said:
        assert other_language(line, lang, ["'季度'", "'http://a b/'", "999"]) == [], line
        assert bool(HAN.search(line.replace("季度", ""))) == (lang == "zh"), line
    if lang == "en":
        assert [line.split(": ", 2)[2] for line in said] == english


def test_no_command_error_is_written_out_in_one_language() -> None:
    """A `raise UsageError(...)` (or a command's ValueError or OSError) with a string or
    f-string in it would be one language only; messages come from `say(...)`."""
    found = []
    for path in SRC.rglob("*.py"):
        in_cli = path.parent.name == "cli"
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name) and node.exc.args):
                continue
            kinds = {"UsageError", "ValueError", "OSError"} if in_cli else {"UsageError"}
            if node.exc.func.id in kinds and isinstance(node.exc.args[0],
                                                        ast.Constant | ast.JoinedStr):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []


def test_a_field_reason_missing_a_value_it_names_keeps_pydantics_words() -> None:
    """pydantic leaves `actual_length` out (None) for an iterator it stopped reading; the
    phrase that names it cannot be said, so pydantic's own message is, not a KeyError."""
    from elderscan.terminal_lang import field_reason

    counted = {"type": "too_long", "msg": "List should have at most 2 items after validation, "
               "not 3", "ctx": {"field_type": "List", "max_length": 2, "actual_length": 3}}
    uncounted = {"type": "too_long", "msg": "Generator should have at most 2 items after "
                 "validation, not more", "ctx": {"field_type": "Generator", "max_length": 2,
                                                  "actual_length": None}}
    assert field_reason(counted, "zh") == "最多 2 项，而不是 3 项"
    assert field_reason(uncounted, "zh") == uncounted["msg"]
