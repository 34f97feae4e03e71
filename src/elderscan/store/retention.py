"""Retention: where a scan's screenshots live, and deleting them once they are old (scores,
findings and the rest of the result are kept)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from elderscan.capture import unmasked_screenshot
from elderscan.store.db import data_dir
from elderscan.store.models import Page, Scan, utcnow
from elderscan.store.views import PruneStats


def artifacts_root(data_root: Path | None = None) -> Path:
    """The folder stored screenshot paths are relative to: the data directory. A runner passes
    it as `scan_site(screenshots_root=…)` so the result names them as they are stored."""
    return (data_root or data_dir()).resolve()


def scan_artifacts_dir(scan_id: int, data_root: Path | None = None) -> Path:
    """Where a runner should write a scan's screenshots: `<data dir>/scans/<id>/`."""
    return artifacts_root(data_root) / "scans" / str(scan_id)


def prune_artifacts(session: Session, older_than_days: float, *,
                    data_root: Path | None = None, now: datetime | None = None) -> PruneStats:
    """Delete the screenshot files of scans finished more than `older_than_days` ago.

    Only files under the data directory are touched; their paths become null (in the page rows
    and in the stored result JSON). Scores, findings and the rest of the result are kept.
    Files are deleted after the rows are updated (and flushed): if the transaction is then
    rolled back, a path may name a file that is gone, so readers must tolerate that.
    """
    if older_than_days < 0:
        raise ValueError("older_than_days must be ≥ 0")
    root = (data_root or data_dir()).resolve()
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    rows = session.execute(
        select(Page).join(Scan, Scan.id == Page.scan_id)
        .where(Scan.finished_at < cutoff, Page.screenshot.is_not(None))
        .order_by(Page.scan_id, Page.position)
    ).scalars().all()
    doomed: list[Path] = []
    positions: dict[int, set[int]] = {}
    for page in rows:
        assert page.screenshot is not None
        path = (root / page.screenshot).resolve()
        if not path.is_relative_to(root) or path == root:
            continue
        doomed.extend((path, unmasked_screenshot(path)))  # the second only on mask pages
        positions.setdefault(page.scan_id, set()).add(page.position)
        page.screenshot = None
    for scan_id, cleared in positions.items():
        scan = session.get(Scan, scan_id)
        if scan is None or not scan.result:
            continue
        result = dict(scan.result)
        result["pages"] = [
            {**p, "screenshot": None} if i in cleared else p
            for i, p in enumerate(result.get("pages") or [])
        ]
        scan.result = result
    session.flush()
    files = freed = 0
    for path in doomed:
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue
        files += 1
        freed += size
        _remove_empty_parents(path.parent, root)
    return PruneStats(scans=len(positions), files=files, bytes=freed)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
