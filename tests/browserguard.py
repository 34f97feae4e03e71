"""Keeps the `browser` marker true: a test without it that starts Chromium fails and says so.

During a test without the marker, ELDERSCAN_CHROMIUM names a stand-in that records the test
and exits instead of starting a browser. Everything that finds Chromium reads that variable
(the scanner's pool, the CLI and workers it starts, the benchmark's peers, tests that launch
Playwright themselves), so `-m "not browser"` cannot start one by accident and stay slow.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from elderscan.scanner._chromium import BrowserNotFound, browser_name, find_chromium

VARIABLE = "ELDERSCAN_CHROMIUM"

ADVICE = ("{test} started Chromium without the `browser` marker: mark it "
          "(@pytest.mark.browser, or `pytestmark = pytest.mark.browser` for its module) so that "
          '`pytest -m "not browser"` stays browser-free')


class ChromiumGuard:
    """The stand-in browser and the log of tests that tried to start it."""

    def __init__(self) -> None:
        self.original = os.environ.get(VARIABLE)
        self._root = Path(tempfile.mkdtemp(prefix="elderscan-chromium-guard-"))
        self.log = self._root / "launches.log"
        self.log.touch()
        try:
            name = browser_name(find_chromium())
        except BrowserNotFound:
            name = "chromium"
        # Same file name as the real one: results record the binary's name.
        self.stand_in = self._root / name
        self.stand_in.write_text(
            "#!/bin/sh\n"
            f'echo "${{PYTEST_CURRENT_TEST:-?}}" >> "{self.log}"\n'
            f'echo "{ADVICE.format(test="this test")}" >&2\n'
            "exit 1\n", "utf-8")
        self.stand_in.chmod(0o755)
        self._seen = 0

    def enter(self, browser: bool) -> None:
        """Before a test's set-up: the real browser for a marked test, the stand-in otherwise."""
        if browser:
            self.restore()
        else:
            os.environ[VARIABLE] = str(self.stand_in)

    def restore(self) -> None:
        if self.original is None:
            os.environ.pop(VARIABLE, None)
        else:
            os.environ[VARIABLE] = self.original

    def tried(self) -> bool:
        """Whether the stand-in was started since the last call."""
        size = self.log.stat().st_size
        seen, self._seen = self._seen, size
        return size > seen

    def close(self) -> None:
        self.restore()
        shutil.rmtree(self._root, ignore_errors=True)
