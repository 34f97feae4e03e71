"""The result's `versions` list: every other version of the site the probe found.

The rule that judges a required version is `lang.version-required` (`checks/lang.py`).
"""

from __future__ import annotations

from elderscan.capture import SiteCapture

CONTRACT_FIELDS = ("kind", "lang", "label", "how", "url", "status", "verified", "lang_attr",
                   "glyphs_ok")


def contract_versions(site: SiteCapture) -> list[dict[str, object]] | None:
    """The result's `versions` list; absent when the probe did not run."""
    if site.versions is None:
        return None
    return [{name: getattr(e, name) for name in CONTRACT_FIELDS} for e in site.versions.versions]
