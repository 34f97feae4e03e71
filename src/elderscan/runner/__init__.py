"""Running scans: settings, and the `scan_site` entry point shared by the CLI and the API."""

from elderscan.runner.scan import scan_site
from elderscan.runner.settings import ScanSettings, load_settings

__all__ = ["ScanSettings", "load_settings", "scan_site"]
