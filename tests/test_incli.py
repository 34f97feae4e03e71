"""The in-process command line of the tests (tests/incli.py) answers as `python -m elderscan`
does: the same exit code, stdout and stderr for commands of each kind of ending, and what a
process prints by itself (a log record, a warning) reaches the command's stderr."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from elderscan.cli import root
from incli import elderscan

CASES = [
    ["--version"],
    ["scan", "--bogus"],  # Click's usage error
    ["scan", "http://127.0.0.1:9/", "--region", " ", "--lang", "zh"],  # ours, translated
    ["db", "current"],  # the store's error: no schema
    ["token", "list", "--help"],
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_the_same_answer_as_a_process(args: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELDERSCAN_")}
    env |= {"ELDERSCAN_DATA_DIR": str(tmp_path / "data"), "ELDERSCAN_LANG": "en",
            "COLUMNS": "100"}
    real = subprocess.run([sys.executable, "-m", "elderscan", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    here = elderscan(args, env, cwd=tmp_path)
    assert (here.returncode, here.stdout, here.stderr) == (
        real.returncode, real.stdout, real.stderr)
    assert os.environ.get("ELDERSCAN_DATA_DIR") != env["ELDERSCAN_DATA_DIR"]  # put back


def test_what_a_process_prints_by_itself_is_on_stderr(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    real_zone = root.configured_zone

    def noisy() -> object:  # every command asks for the time zone first
        logging.getLogger("elderscan.test").warning("a warning logged")
        logging.getLogger("elderscan.test").info("an info record")  # below a process's level
        warnings.warn("a warning raised", UserWarning, stacklevel=1)
        return real_zone()

    monkeypatch.setattr(root, "configured_zone", noisy)
    done = elderscan(["db", "current"], {**os.environ, "ELDERSCAN_DATA_DIR": str(tmp_path)})
    assert "a warning logged" in done.stderr and "an info record" not in done.stderr
    assert "UserWarning: a warning raised" in done.stderr
