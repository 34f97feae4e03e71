"""Data flows one way: the import contracts of pyproject.toml (the layers of
docs/architecture.md, and checks and scoring reading captured data only) hold for every import,
relative ones and those inside functions included, and every module of the package is in a
layer, so a new one cannot slip past them."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from importlinter import cli as importlinter_cli
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
SRC = ROOT / "src" / "elderscan"


def layer_contract() -> dict[str, object]:
    config = tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["importlinter"]
    contract: dict[str, object] = next(
        c for c in config["contracts"] if c["id"] == "layers")
    return contract


@pytest.fixture
def linter(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """import-linter's check without the logging set-up of its command: a `dictConfig` that
    disabled every logger already there and closed every handler. In a test process that
    silenced the package's loggers for the process's later tests (one whose `caplog` waited
    for a warning failed, depending on which worker had run this test first)."""
    monkeypatch.setattr(importlinter_cli, "_configure_logging", lambda verbose: None)
    return lambda: lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)


def test_imports_keep_the_contracts(linter: Callable[[], int],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert linter() == 0, capsys.readouterr().out


def test_the_contracts_check_leaves_this_process_logging(linter: Callable[[], int]) -> None:
    runner = logging.getLogger("elderscan.runner")  # there before the check, as in a worker
    linter()
    assert not runner.disabled and runner.isEnabledFor(logging.WARNING)


def test_every_module_is_in_a_layer() -> None:
    layers = layer_contract()["layers"]
    assert isinstance(layers, list)
    named = {part.strip().strip("()")
             for layer in layers for part in layer.replace("|", ":").split(":")}
    modules = {path.stem for path in SRC.glob("*.py") if path.name != "__init__.py"}
    packages = {path.parent.name for path in SRC.glob("*/__init__.py")}
    assert sorted((modules | packages) - named) == []
