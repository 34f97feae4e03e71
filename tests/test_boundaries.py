"""Data flows one way: the import contracts of pyproject.toml (the layers of
docs/architecture.md, and checks and scoring reading captured data only) hold for every import,
relative ones and those inside functions included, and every module of the package is in a
layer, so a new one cannot slip past them."""

from __future__ import annotations

import tomllib
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


def test_imports_keep_the_contracts(capsys: pytest.CaptureFixture[str]) -> None:
    code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_every_module_is_in_a_layer() -> None:
    layers = layer_contract()["layers"]
    assert isinstance(layers, list)
    named = {part.strip().strip("()")
             for layer in layers for part in layer.replace("|", ":").split(":")}
    modules = {path.stem for path in SRC.glob("*.py") if path.name != "__init__.py"}
    packages = {path.parent.name for path in SRC.glob("*/__init__.py")}
    assert sorted((modules | packages) - named) == []
