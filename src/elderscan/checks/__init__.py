"""Checks: pure functions from captured data to findings, one module per rule-id prefix.

Importing this package registers every rule; `REGISTRY` maps rule ids to their metadata and check.
"""

from elderscan.checks import (  # noqa: F401  (registers rules)
    ads,
    captcha,
    contrast,
    elder,
    focus,
    font,
    lang,
    motion,
    target,
    voice,
    wcag,
    zoom,
)
from elderscan.checks._registry import REGISTRY, Hit, RuleMeta, put_in_run_order
from elderscan.checks.engine import PageVerdict, check_page, check_site

put_in_run_order()

RULESET_VERSION = f"elderscan-rules-2026.12+{len(REGISTRY)}"
"""Stored with every result; bump the date part when a rule's logic or threshold changes."""

__all__ = ["REGISTRY", "RULESET_VERSION", "Hit", "PageVerdict", "RuleMeta", "check_page",
           "check_site"]
