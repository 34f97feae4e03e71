"""elderscan: how well a website serves older people (适老化).

The public names are imported on first use (PEP 562), not with the package: every
`elderscan.*` import runs this file first, and the scanner behind `scan_site` pulls in
Playwright, so commands that never scan (`gate`, `report`, `--help`) would pay for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from elderscan.version import __version__

if TYPE_CHECKING:
    from elderscan.capture import Capture, PageFailure, SiteCapture
    from elderscan.contract import ScanReport
    from elderscan.finding import Finding
    from elderscan.runner.scan import scan_site
    from elderscan.settings import ScanSettings

_HOMES = {
    "Capture": "elderscan.capture",
    "PageFailure": "elderscan.capture",
    "SiteCapture": "elderscan.capture",
    "Finding": "elderscan.finding",
    "ScanReport": "elderscan.contract",
    "ScanSettings": "elderscan.settings",
    "scan_site": "elderscan.runner.scan",
}

__all__ = [
    "Capture",
    "Finding",
    "PageFailure",
    "ScanReport",
    "ScanSettings",
    "SiteCapture",
    "__version__",
    "scan_site",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'elderscan' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
