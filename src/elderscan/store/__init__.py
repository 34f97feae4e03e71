"""The store: sites, batches, scans, pages, findings, API tokens and dashboard sessions, in
SQLite or PostgreSQL.

    from elderscan.store import session_scope, upsert_site, enqueue_scan, claim_scan, save_result

    with session_scope() as session:
        site = upsert_site(session, "某市政府", "https://www.example.gov.cn", "gov", "某省")
        scan_id = enqueue_scan(session, site).id

The schema is created by `elderscan db upgrade` (`upgrade()`), never implicitly. See
`docs/store.md`.

Importing this package is cheap: names are loaded from their modules on first use, so the CLI
does not import SQLAlchemy unless a `db` command runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from elderscan.fingerprints import (
        anchor_fingerprint,
        finding_fingerprint,
        fingerprint,
        normalise_selector,
    )
    from elderscan.store.db import (
        DatabaseError,
        NotFound,
        data_dir,
        database_url,
        get_engine,
        make_engine,
        reset_engines,
        session_factory,
        session_scope,
    )
    from elderscan.store.migrate import current, head, require_head, upgrade
    from elderscan.store.models import (
        ApiToken,
        Base,
        Batch,
        DashboardSession,
        FindingRow,
        Page,
        Scan,
        Site,
    )
    from elderscan.store.repo import (
        IdempotencyConflict,
        batch_progress,
        batch_ranking,
        check_token,
        claim_scan,
        compare_scans,
        create_batch,
        create_token,
        enqueue_scan,
        fail_scan,
        find_batch,
        find_site,
        get_batch,
        get_scan,
        get_site,
        latest_batch,
        list_sites,
        list_tokens,
        pending_scans,
        prune_artifacts,
        report_version,
        revoke_token,
        save_result,
        scan_artifacts_dir,
        scan_brief,
        set_progress,
        site_history,
        site_url_key,
        unfinished_scans,
        upsert_site,
    )
    from elderscan.store.sessions import (
        SessionCheck,
        check_session,
        end_session,
        end_token_sessions,
        open_session,
    )
    from elderscan.store.settings import StoreSettings
    from elderscan.store.views import (
        BatchProgress,
        Comparison,
        FindingChange,
        HistoryPoint,
        PruneStats,
        RankingRow,
        ScoreBrief,
        SiteList,
        SiteOut,
    )

_EXPORTS = {
    "ApiToken": "elderscan.store.models",
    "Base": "elderscan.store.models",
    "Batch": "elderscan.store.models",
    "BatchProgress": "elderscan.store.views",
    "Comparison": "elderscan.store.views",
    "DashboardSession": "elderscan.store.models",
    "DatabaseError": "elderscan.store.db",
    "FindingRow": "elderscan.store.models",
    "FindingChange": "elderscan.store.views",
    "HistoryPoint": "elderscan.store.views",
    "IdempotencyConflict": "elderscan.store.repo",
    "NotFound": "elderscan.store.db",
    "Page": "elderscan.store.models",
    "PruneStats": "elderscan.store.views",
    "RankingRow": "elderscan.store.views",
    "Scan": "elderscan.store.models",
    "ScoreBrief": "elderscan.store.views",
    "Site": "elderscan.store.models",
    "SiteList": "elderscan.store.views",
    "SessionCheck": "elderscan.store.sessions",
    "SiteOut": "elderscan.store.views",
    "StoreSettings": "elderscan.store.settings",
    "batch_progress": "elderscan.store.repo",
    "batch_ranking": "elderscan.store.repo",
    "check_session": "elderscan.store.sessions",
    "check_token": "elderscan.store.repo",
    "claim_scan": "elderscan.store.repo",
    "compare_scans": "elderscan.store.repo",
    "create_batch": "elderscan.store.repo",
    "create_token": "elderscan.store.repo",
    "current": "elderscan.store.migrate",
    "data_dir": "elderscan.store.db",
    "database_url": "elderscan.store.db",
    "end_session": "elderscan.store.sessions",
    "end_token_sessions": "elderscan.store.sessions",
    "enqueue_scan": "elderscan.store.repo",
    "fail_scan": "elderscan.store.repo",
    "find_site": "elderscan.store.repo",
    "fingerprint": "elderscan.fingerprints",
    "finding_fingerprint": "elderscan.fingerprints",
    "anchor_fingerprint": "elderscan.fingerprints",
    "get_batch": "elderscan.store.repo",
    "get_engine": "elderscan.store.db",
    "get_scan": "elderscan.store.repo",
    "get_site": "elderscan.store.repo",
    "head": "elderscan.store.migrate",
    "find_batch": "elderscan.store.repo",
    "latest_batch": "elderscan.store.repo",
    "list_sites": "elderscan.store.repo",
    "list_tokens": "elderscan.store.repo",
    "make_engine": "elderscan.store.db",
    "normalise_selector": "elderscan.fingerprints",
    "open_session": "elderscan.store.sessions",
    "pending_scans": "elderscan.store.repo",
    "prune_artifacts": "elderscan.store.repo",
    "report_version": "elderscan.store.repo",
    "require_head": "elderscan.store.migrate",
    "reset_engines": "elderscan.store.db",
    "revoke_token": "elderscan.store.repo",
    "save_result": "elderscan.store.repo",
    "scan_artifacts_dir": "elderscan.store.repo",
    "scan_brief": "elderscan.store.repo",
    "set_progress": "elderscan.store.repo",
    "session_factory": "elderscan.store.db",
    "session_scope": "elderscan.store.db",
    "site_history": "elderscan.store.repo",
    "site_url_key": "elderscan.store.repo",
    "unfinished_scans": "elderscan.store.repo",
    "upgrade": "elderscan.store.migrate",
    "upsert_site": "elderscan.store.repo",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ApiToken",
    "Base",
    "Batch",
    "BatchProgress",
    "Comparison",
    "DashboardSession",
    "DatabaseError",
    "FindingChange",
    "FindingRow",
    "HistoryPoint",
    "IdempotencyConflict",
    "NotFound",
    "Page",
    "PruneStats",
    "RankingRow",
    "Scan",
    "ScoreBrief",
    "SessionCheck",
    "Site",
    "SiteList",
    "SiteOut",
    "StoreSettings",
    "anchor_fingerprint",
    "batch_progress",
    "batch_ranking",
    "check_session",
    "check_token",
    "claim_scan",
    "compare_scans",
    "create_batch",
    "create_token",
    "current",
    "data_dir",
    "database_url",
    "end_session",
    "end_token_sessions",
    "enqueue_scan",
    "fail_scan",
    "find_batch",
    "find_site",
    "finding_fingerprint",
    "fingerprint",
    "get_batch",
    "get_engine",
    "get_scan",
    "get_site",
    "head",
    "latest_batch",
    "list_sites",
    "list_tokens",
    "make_engine",
    "normalise_selector",
    "open_session",
    "pending_scans",
    "prune_artifacts",
    "report_version",
    "require_head",
    "reset_engines",
    "revoke_token",
    "save_result",
    "scan_artifacts_dir",
    "scan_brief",
    "session_factory",
    "session_scope",
    "set_progress",
    "site_history",
    "site_url_key",
    "unfinished_scans",
    "upgrade",
    "upsert_site",
]
