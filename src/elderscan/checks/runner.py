"""Apply every registered rule to a scan's captures: page rules per capture, site rules once."""

from __future__ import annotations

from dataclasses import dataclass, field

from elderscan.capture import Capture, SiteCapture
from elderscan.checks._registry import REGISTRY, Lang, RuleError, applies, run_rule
from elderscan.finding import Finding


@dataclass
class PageVerdict:
    findings: list[Finding] = field(default_factory=list)
    errors: list[RuleError] = field(default_factory=list)


def check_page(capture: Capture, lang: Lang = "zh") -> PageVerdict:
    verdict = PageVerdict()
    for entry in REGISTRY.values():
        meta = entry.meta
        if meta.scope != "page" or not applies(meta, capture.viewport, capture.mode):
            continue
        result = run_rule(entry, capture, lang)
        if isinstance(result, RuleError):
            verdict.errors.append(result)
        else:
            verdict.findings.extend(result)
    return verdict


def check_site(site: SiteCapture, lang: Lang = "zh") -> PageVerdict:
    """Site rules (elder mode, voice) judge the probes, not one page."""
    verdict = PageVerdict()
    for entry in REGISTRY.values():
        if entry.meta.scope != "site":
            continue
        result = run_rule(entry, site, lang)
        if isinstance(result, RuleError):
            verdict.errors.append(result)
        else:
            verdict.findings.extend(result)
    return verdict
