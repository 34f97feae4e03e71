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
    from elderscan.siteaddress import site_url_key
    from elderscan.store.batches import (
        batch_progress,
        create_batch,
        find_batch,
        get_batch,
        latest_batch,
    )
    from elderscan.store.briefs import (
        scan_brief,
    )
    from elderscan.store.compare import (
        compare_scans,
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
    from elderscan.store.queue import (
        IdempotencyConflict,
        claim_scan,
        enqueue_scan,
        fail_scan,
        get_scan,
        pending_scans,
        set_progress,
        unfinished_scans,
    )
    from elderscan.store.rankings import (
        batch_ranking,
    )
    from elderscan.store.results import (
        report_version,
        save_result,
    )
    from elderscan.store.retention import (
        prune_artifacts,
        scan_artifacts_dir,
    )
    from elderscan.store.sessions import (
        SessionCheck,
        check_session,
        end_session,
        end_token_sessions,
        open_session,
    )
    from elderscan.store.settings import StoreSettings
    from elderscan.store.sites import (
        find_site,
        get_site,
        list_sites,
        site_history,
        upsert_site,
    )
    from elderscan.store.tokens import (
        check_token,
        create_token,
        list_tokens,
        revoke_token,
    )
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
    "IdempotencyConflict": "elderscan.store.queue",
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
    "batch_progress": "elderscan.store.batches",
    "batch_ranking": "elderscan.store.rankings",
    "check_session": "elderscan.store.sessions",
    "check_token": "elderscan.store.tokens",
    "claim_scan": "elderscan.store.queue",
    "compare_scans": "elderscan.store.compare",
    "create_batch": "elderscan.store.batches",
    "create_token": "elderscan.store.tokens",
    "current": "elderscan.store.migrate",
    "data_dir": "elderscan.store.db",
    "database_url": "elderscan.store.db",
    "end_session": "elderscan.store.sessions",
    "end_token_sessions": "elderscan.store.sessions",
    "enqueue_scan": "elderscan.store.queue",
    "fail_scan": "elderscan.store.queue",
    "find_site": "elderscan.store.sites",
    "fingerprint": "elderscan.fingerprints",
    "finding_fingerprint": "elderscan.fingerprints",
    "anchor_fingerprint": "elderscan.fingerprints",
    "get_batch": "elderscan.store.batches",
    "get_engine": "elderscan.store.db",
    "get_scan": "elderscan.store.queue",
    "get_site": "elderscan.store.sites",
    "head": "elderscan.store.migrate",
    "find_batch": "elderscan.store.batches",
    "latest_batch": "elderscan.store.batches",
    "list_sites": "elderscan.store.sites",
    "list_tokens": "elderscan.store.tokens",
    "make_engine": "elderscan.store.db",
    "normalise_selector": "elderscan.fingerprints",
    "open_session": "elderscan.store.sessions",
    "pending_scans": "elderscan.store.queue",
    "prune_artifacts": "elderscan.store.retention",
    "report_version": "elderscan.store.results",
    "require_head": "elderscan.store.migrate",
    "reset_engines": "elderscan.store.db",
    "revoke_token": "elderscan.store.tokens",
    "save_result": "elderscan.store.results",
    "scan_artifacts_dir": "elderscan.store.retention",
    "scan_brief": "elderscan.store.briefs",
    "set_progress": "elderscan.store.queue",
    "session_factory": "elderscan.store.db",
    "session_scope": "elderscan.store.db",
    "site_history": "elderscan.store.sites",
    "site_url_key": "elderscan.siteaddress",
    "unfinished_scans": "elderscan.store.queue",
    "upgrade": "elderscan.store.migrate",
    "upsert_site": "elderscan.store.sites",
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
