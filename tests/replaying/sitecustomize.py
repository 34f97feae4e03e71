"""Makes every scan of a Python process a replay of recorded fixture sites (`tests/recorded.py`)
when `ELDERSCAN_TEST_REPLAY` names them: for tests that scan in another process — a command
run as `python -m elderscan`, a Celery worker. Python imports this module at start-up when
this folder is on `PYTHONPATH`; `recorded.replay_env(served)` sets both."""

from __future__ import annotations

import os
import sys
from pathlib import Path

if "ELDERSCAN_TEST_REPLAY" in os.environ:  # `recorded.REPLAY_ENV`; else nothing is imported
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from elderscan.runner import scan as _runner_scan
    from elderscan.runner.browsers import KeptBrowsers
    from recorded import no_browser_lease, replay_from

    _runner_scan.scan_site = replay_from(os.environ)  # type: ignore[assignment]
    KeptBrowsers.lease = no_browser_lease  # type: ignore[method-assign,assignment]
