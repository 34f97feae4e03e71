"""Checks: pure functions from captured data to findings, one module per dimension.

Importing this package registers every rule; `REGISTRY` maps rule ids to their metadata and check.
"""

from elderscan.checks import (  # noqa: F401  (registers rules)
    accessibility,
    ads,
    axe_rules,
    contrast,
    text,
)
from elderscan.checks._registry import REGISTRY, Hit, RuleMeta
from elderscan.checks.runner import PageVerdict, check_page, check_site

__all__ = ["REGISTRY", "Hit", "PageVerdict", "RuleMeta", "check_page", "check_site"]
