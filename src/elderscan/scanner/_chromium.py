"""Where the Chromium binary is, and the flags it runs with.

Playwright's own browser download is not used: regulators' machines and CI images install
Chromium from the distribution, and the download needs network access they may not have.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from elderscan.errors import BrowserNotFound

CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/lib/chromium/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
)

# Flags that keep a headless scanner quiet, offline from vendor services and robust as root.
BASE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--font-render-hinting=none",
)


def find_chromium(explicit: str | None = None) -> str:
    """The setting, then $ELDERSCAN_CHROMIUM, then the usual install paths."""
    for value in (explicit, os.environ.get("ELDERSCAN_CHROMIUM")):
        if value:
            path = shutil.which(value) or value
            if Path(path).is_file() and os.access(path, os.X_OK):
                return path
            raise BrowserNotFound(f"Chromium not found at {value!r} (ELDERSCAN_CHROMIUM)")
    for path in CANDIDATES:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(
        "no Chromium found; run `sudo scripts/install-system-deps.sh` "
        "or set ELDERSCAN_CHROMIUM to the browser's path"
    )


def launch_flags(js_heap_mb: int, marker: str) -> list[str]:
    """`marker` is an inert flag that lets the memory guard find this browser's processes."""
    return [*BASE_FLAGS, f"--js-flags=--max-old-space-size={js_heap_mb}", f"--{marker}"]
