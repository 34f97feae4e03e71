"""What every report format renders: one scan result and where its screenshots are."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from elderscan.contract import PageResult, ScanReport, parse_report
from elderscan.errors import UsageError
from elderscan.i18n import text
from elderscan.terminal_lang import json_place, os_reason, say, terminal_lang

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from elderscan.store.reviews import DecisionOut, ReviewedScore


@dataclass(frozen=True)
class ReportSource:
    """A scan result ready to render.

    `screenshots_root` is the folder the pages' relative `screenshot` paths start from (the
    `--screenshots` folder of a CLI scan, the data directory of a stored scan); None when the
    scan kept no screenshots. `scan_id` and `site` are known for stored scans only.
    """

    report: ScanReport
    screenshots_root: Path | None = None
    scan_id: int | None = None
    site: dict[str, Any] = field(default_factory=dict)
    decisions: dict[tuple[int, int], DecisionOut | None] = field(default_factory=dict)
    """Stored scans: each `review` finding by (page index, finding index), with the person's
    decision it carries (None: undecided). Laid over the result, which is not changed."""
    reviewed: ReviewedScore | None = None
    """Stored scans: counts and score after review."""

    def screenshot_path(self, page: PageResult) -> Path | None:
        """The page's screenshot file, if it exists (stored scans may have been pruned)."""
        if not page.screenshot:
            return None
        path = Path(page.screenshot)
        if not path.is_absolute():
            if self.screenshots_root is None:
                return None
            path = self.screenshots_root / path
        return path if path.is_file() else None


def _guess_root(path: Path, report: ScanReport) -> Path:
    """`scan --report … --out DIR` keeps screenshots in DIR/screenshots beside report.json; a
    `--json` file next to its `--screenshots` folder has them beside it."""
    folder = path.resolve().parent
    names = [p.screenshot for p in report.pages if p.screenshot]
    for candidate in (folder, folder / "screenshots"):
        if names and all((candidate / n).is_file() for n in names):
            return candidate
    return folder


def load_report_file(path: Path, screenshots_root: Path | None = None) -> ReportSource:
    """A result JSON written by `elderscan scan --json`; screenshot paths are taken relative to
    `screenshots_root`, else to the JSON file's folder or its `screenshots` subfolder."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise UsageError(say("err.result_read", path=path, reason=os_reason(exc))) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(say("err.result_json", path=path, where=json_place(exc))) from exc
    report = parse_report(data, say("err.result_kind", path=path))
    return ReportSource(report, screenshots_root or _guess_root(path, report))


def load_stored_scan(session: Session, scan_id: int, data_root: Path | None = None) -> ReportSource:
    """A scan from the store. Raises NotFound when it does not exist, UsageError when it has
    no result yet (queued or running)."""
    from elderscan.store import get_scan
    from elderscan.store.db import NotFound, data_dir

    scan = get_scan(session, scan_id)
    if scan is None:
        raise NotFound("terminal.err.no_scan", id=scan_id)
    if scan.result is None:
        raise UsageError(say("err.no_result_yet", id=scan_id,
                             status=text(f"status.{scan.status}", terminal_lang())))
    from elderscan.store.reviews import overlay, reviewed_score

    report = ScanReport.model_validate(scan.result)
    site = {"id": scan.site.id, "name": scan.site.name, "url": scan.site.url,
            "category": scan.site.category, "region": scan.site.region}
    return ReportSource(report, (data_root or data_dir()).resolve(), scan_id, site,
                        overlay(session, scan_id).by_position,
                        reviewed_score(session, scan_id, report))
