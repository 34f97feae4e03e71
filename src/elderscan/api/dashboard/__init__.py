"""The dashboard `elderscan serve` shows at `/`: sites, rankings, history, scans, comparisons.

Server-rendered with Jinja2 (autoescaped: page titles and messages come from scanned sites),
one small script for read-aloud, and the API's read rule for access. See docs/dashboard.md.
"""

from elderscan.api.dashboard.routes import mount

__all__ = ["mount"]
