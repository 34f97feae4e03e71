"""Data flows one way: checks and scoring read captured data, never the browser or the store."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "elderscan"
FORBIDDEN = {
    "checks": ("elderscan.scanner", "elderscan.store", "elderscan.api", "elderscan.runner",
               "playwright"),
    "scoring": ("elderscan.scanner", "elderscan.store", "elderscan.api", "elderscan.runner",
                "elderscan.checks", "playwright"),
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_stages_import_only_downstream_data() -> None:
    offences = []
    for package, forbidden in FORBIDDEN.items():
        for path in (SRC / package).rglob("*.py"):
            for name in imports(path):
                if name.startswith(forbidden):
                    offences.append(f"{path.relative_to(SRC)} imports {name}")
    assert not offences, offences
