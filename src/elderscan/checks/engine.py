"""Apply every registered rule to a scan's captures: page rules per capture, site rules once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from elderscan.capture import Capture, SiteCapture
from elderscan.checks._registry import REGISTRY, Lang, Rule, RuleError, applies, run_rule
from elderscan.finding import Finding


@dataclass
class PageVerdict:
    findings: list[Finding] = field(default_factory=list)
    errors: list[RuleError] = field(default_factory=list)


def _run(entries: list[Rule], source: Capture | SiteCapture, lang: Lang,
         screenshots: Path | None = None) -> PageVerdict:
    verdict = PageVerdict()
    for entry in entries:
        result = run_rule(entry, source, lang, screenshots)
        if isinstance(result, RuleError):
            verdict.errors.append(result)
        else:
            verdict.findings.extend(result)
    return verdict


def check_page(capture: Capture, lang: Lang = "zh",
               screenshots: Path | None = None) -> PageVerdict:
    """`screenshots`: the folder the capture's screenshot is named in, where the pixel
    contrast check opens it."""
    entries = [e for e in REGISTRY.values() if e.meta.scope == "page"
               and applies(e.meta, capture.viewport, capture.mode)]
    return _run(entries, capture, lang, screenshots)


def check_site(site: SiteCapture, lang: Lang = "zh") -> PageVerdict:
    """Site rules (elder mode, voice) judge the probes, not one page."""
    return _run([e for e in REGISTRY.values() if e.meta.scope == "site"], site, lang)
