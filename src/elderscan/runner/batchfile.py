"""A batch's site list, for `elderscan batch`: read by `elderscan.sitelist`, the one reader the
API and the dashboard use too (CSV, XLSX or YAML; one header and category vocabulary; every
bad row named at once)."""

from __future__ import annotations

from elderscan.sitelist import COLUMNS, MAX_SITES, SiteListError, SiteRow, read_sites

__all__ = ["COLUMNS", "MAX_SITES", "SiteListError", "SiteRow", "read_sites"]
