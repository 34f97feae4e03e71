"""elderscan: how well a website serves older people (适老化)."""

from elderscan.capture import Capture, PageFailure, SiteCapture
from elderscan.finding import Finding
from elderscan.result import ScanReport
from elderscan.runner import ScanSettings, scan_site
from elderscan.version import __version__

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
