"""`scan --region`: a blank region is a usage error (exit 2, one line, no traceback)."""

from __future__ import annotations

import subprocess
import sys


def test_blank_region_is_a_usage_error() -> None:
    run = subprocess.run([sys.executable, "-m", "elderscan", "scan", "http://127.0.0.1:9/",
                          "--region", "  "], capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.returncode == 2
    assert run.stderr.strip() == ("elderscan: error: --region must name a province, "
                                  "autonomous region or prefecture")
