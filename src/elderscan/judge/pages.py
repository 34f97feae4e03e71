"""One page judged: its checks run, its findings anchored to elements, its metrics measured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elderscan.capture import Capture, PageFailure
from elderscan.checks import check_page
from elderscan.checks._registry import Lang, RuleError
from elderscan.contract import PageResult
from elderscan.finding import Finding
from elderscan.judge.metrics import page_metrics
from elderscan.scanner.botcheck import REFUSED_AGAIN
from elderscan.shelf import Shelf


def load_failure_finding(failure: PageFailure) -> Finding:
    return Finding(
        rule="page.load",
        outcome="fail",
        severity="critical",
        clause="EVAL (a page must load to be evaluated)",
        value=failure.reason,
        threshold="loads with HTTP status < 400",
        message=f"{failure.reason}: {failure.message}",
        message_key=f"page.load.{failure.reason}",
        data={"reason": failure.reason,
              **({"bot_check": True} if REFUSED_AGAIN in failure.message else {})},
    )


def anchored(findings: list[Finding], page: Capture) -> list[Finding]:
    """Give each finding its element's anchor and HTML snippet. An axe-core node in a frame
    keeps no anchor: its selector belongs to the frame's document, and the same text may name
    another element here; its snippet is axe's own `html` of the node."""
    for finding in findings:
        in_frame = "frame_url" in finding.data
        if finding.anchor is None and finding.selector is not None and not in_frame:
            finding.anchor = page.anchors.get(finding.selector)
        if finding.snippet is None and finding.selector is not None:
            axe_html = finding.data.get("html") if finding.rule.startswith("wcag.") else None
            if isinstance(axe_html, str) and axe_html:
                finding.snippet = axe_html[:300]
            elif not in_frame:
                finding.snippet = page.snippets.get(finding.selector)
    return findings


@dataclass(frozen=True)
class Shots:
    """Where a scan's screenshots are. A capture names its screenshot relative to `folder`,
    where the pixel check opens it; the result names it relative to `root`, the folder its
    readers resolve it against (the CLI's screenshots folder; the store's data directory, each
    scan's folder below it), or not at all when `root` is None (the shots are not kept)."""

    folder: Path
    root: Path | None = None

    def result_name(self, name: str | None) -> str | None:
        """A capture's screenshot as the result names it."""
        if name is None or self.root is None:
            return None
        try:
            return str(self.folder.relative_to(self.root) / name)
        except ValueError:  # a folder outside the root is named in full
            return str(self.folder / name)


def rule_errors(errors: list[RuleError]) -> list[dict[str, str]]:
    """The result's `rule_errors` entries."""
    return [{"rule": e.rule, "message": e.message} for e in errors]


def page_result(page: Capture | PageFailure, shots: Shots | None,
                lang: Lang = "zh") -> tuple[PageResult, list[RuleError]]:
    if isinstance(page, PageFailure):
        return PageResult(url=page.url, final_url=page.final_url, http_status=page.http_status,
                          mode=page.mode, viewport=page.viewport, title=None, screenshot=None,
                          metrics={}, findings=[load_failure_finding(page)]), []
    verdict = check_page(page, lang, shots.folder if shots is not None else None)
    return PageResult(
        url=page.url,
        final_url=page.final_url,
        http_status=page.http_status,
        mode=page.mode,
        viewport=page.viewport,
        title=page.title,
        screenshot=shots.result_name(page.screenshot) if shots is not None else None,
        metrics=page_metrics(page),
        findings=anchored(verdict.findings, page),
        lang=page.lang,
        warnings=page.warnings,
        errors=page.errors,
        timings=page.timings.model_dump(),
        rule_errors=rule_errors(verdict.errors),
        console_errors=page.console_errors,
    ), verdict.errors


def page_key(page: Capture | PageFailure) -> str:
    return f"{page.viewport}:{page.mode}:{page.url}"


class PageJudge:
    """Judges each page as the crawl hands it over (`capture_site(on_page=…)`) and shelves the
    result, so a long scan holds compressed page results and slim captures, not whole
    captures or findings, until the report is built."""

    def __init__(self, shots: Shots | None = None, lang: Lang = "zh") -> None:
        self.shots, self.lang = shots, lang
        self.results: dict[str, tuple[bytes, list[RuleError]]] = {}

    def __call__(self, page: Capture | PageFailure) -> None:
        result, errors = page_result(page, self.shots, self.lang)
        self.results[page_key(page)] = Shelf.freeze(result), errors
