"""Data flows one way: the import contracts of pyproject.toml (the layers of
docs/architecture.md, and checks and scoring reading captured data only) hold for every import,
relative ones and those inside functions included, and every module of the package is in a
layer, so a new one cannot slip past them."""

from __future__ import annotations

import contextlib
import logging
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
SRC = ROOT / "src" / "elderscan"


def layer_contract() -> dict[str, object]:
    config = tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["importlinter"]
    contract: dict[str, object] = next(
        c for c in config["contracts"] if c["id"] == "layers")
    return contract


@contextlib.contextmanager
def _logging_as_it_was() -> Iterator[None]:
    """import-linter sets logging up as its command would, with a `dictConfig` that disables
    every logger already there: in a test process that silenced the package's loggers for
    every later test of the process (one whose `caplog` waited for a warning then failed,
    depending on which worker had run this test before)."""
    def loggers() -> list[logging.Logger]:
        return [logging.getLogger(), *(each for each in logging.Logger.manager.loggerDict.values()
                                       if isinstance(each, logging.Logger))]

    saved = {each: (each.disabled, each.level, each.propagate, list(each.handlers))
             for each in loggers()}
    try:
        yield
    finally:
        for each in loggers():
            disabled, level, propagate, handlers = saved.get(
                each, (False, logging.NOTSET, True, []))
            each.disabled, each.propagate = disabled, propagate
            each.setLevel(level)
            each.handlers[:] = handlers


def test_imports_keep_the_contracts(capsys: pytest.CaptureFixture[str]) -> None:
    with _logging_as_it_was():
        code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_the_contracts_check_leaves_this_process_logging() -> None:
    runner = logging.getLogger("elderscan.runner")
    with _logging_as_it_was():
        lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert not runner.disabled and runner.isEnabledFor(logging.WARNING)


def test_every_module_is_in_a_layer() -> None:
    layers = layer_contract()["layers"]
    assert isinstance(layers, list)
    named = {part.strip().strip("()")
             for layer in layers for part in layer.replace("|", ":").split(":")}
    modules = {path.stem for path in SRC.glob("*.py") if path.name != "__init__.py"}
    packages = {path.parent.name for path in SRC.glob("*/__init__.py")}
    assert sorted((modules | packages) - named) == []
