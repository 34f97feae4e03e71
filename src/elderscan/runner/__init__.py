"""Running scans: settings, and the `scan_site` entry point shared by the CLI and the API.

`scan_site` is imported on first use: the settings are read by commands that never scan, and
the scanner behind `scan_site` pulls in Playwright.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from elderscan.settings import ScanSettings, load_settings

if TYPE_CHECKING:
    from elderscan.runner.scan import scan_site

__all__ = ["ScanSettings", "load_settings", "scan_site"]


def __getattr__(name: str) -> Any:
    if name != "scan_site":
        raise AttributeError(f"module 'elderscan.runner' has no attribute {name!r}")
    from elderscan.runner.scan import scan_site

    return scan_site
