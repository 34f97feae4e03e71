"""The store sits below the rules: importing any of its modules (saving a result, comparing two
scans) must not load the check engine and every rule with it."""

from __future__ import annotations

import json
import subprocess
import sys

IMPORT_ALL = """
import importlib, json, pkgutil, sys
import elderscan.store
import elderscan.store.results
for found in pkgutil.iter_modules(elderscan.store.__path__, "elderscan.store."):
    if not found.name.endswith(".migrations"):
        importlib.import_module(found.name)
print(json.dumps(sorted(name for name in sys.modules if name.startswith("elderscan."))))
"""


def test_importing_the_store_loads_no_rule() -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                          check=True)
    loaded = json.loads(done.stdout)
    assert "elderscan.store.results" in loaded and "elderscan.store.compare" in loaded
    assert [name for name in loaded if name.startswith("elderscan.checks")] == []
