"""The scan result as users' scripts read it: typed models of the JSON, and how it is read back.

Nothing here judges a page or scores one (that is `elderscan.judge` and `elderscan.scoring`), so
whatever only reads results (the store, reports, the gate) loads no rule.
"""

from elderscan.contract.reading import OVERLAY_FIELDS, load_schema, parse_report
from elderscan.contract.report import (
    SCHEMA_VERSION,
    Engine,
    PageResult,
    ScanFailure,
    ScanReport,
    Summary,
    json_bytes,
)
from elderscan.contract.sections import (
    AdsMetrics,
    ContrastMetrics,
    ElderMode,
    FontMetrics,
    PageMetrics,
    Score,
    UnjudgedRule,
    Version,
    Veto,
    Voice,
)

__all__ = ["OVERLAY_FIELDS", "SCHEMA_VERSION", "AdsMetrics", "ContrastMetrics", "ElderMode",
           "Engine", "FontMetrics", "PageMetrics", "PageResult", "ScanFailure", "ScanReport",
           "Score", "Summary", "UnjudgedRule", "Version", "Veto", "Voice", "json_bytes",
           "load_schema", "parse_report"]
