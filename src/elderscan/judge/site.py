"""A whole site judged: every page's result shelved, the site rules' findings laid on the home
page, the probes' sections and the summary; the score is the caller's (scoring sits above)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from elderscan.capture import Capture, GuardLog, PageFailure, SiteCapture
from elderscan.checks import RULESET_VERSION, check_site
from elderscan.checks._registry import Lang, RuleError
from elderscan.contract import (
    ElderMode,
    Engine,
    PageResult,
    ScanFailure,
    ScanReport,
    Score,
    Summary,
    Version,
    Voice,
)
from elderscan.finding import Finding
from elderscan.judge.pages import (
    PageJudge,
    Shots,
    anchored,
    page_key,
    page_result,
    rule_errors,
)
from elderscan.judge.sections import contract_elder, contract_versions, contract_voice
from elderscan.shelf import Shelf
from elderscan.version import __version__

Status = Literal["ok", "partial", "failed"]


class FindingSink(Protocol):
    """What takes each page's findings as they are judged (the score's `Tally`), so the
    findings need not be kept until the score is computed."""

    def add(self, findings: Iterable[Finding], mode: str, page: str) -> None: ...


@dataclass
class Judgement:
    """A site judged, not yet scored: `report` lays it out with the score."""

    site: SiteCapture
    pages: Shelf[PageResult]
    errors: list[RuleError]
    """Every rule that could not run, on a page or on the site: the score leaves them out."""
    status: Status
    error: ScanFailure | None
    summary: Summary
    elder_mode: ElderMode | None
    voice: Voice | None
    versions: list[Version] | None

    def report(self, score: Score | None, scoring_model: str) -> ScanReport:
        site = self.site
        return ScanReport(
            target=site.target,
            started_at=site.started_at,
            finished_at=site.finished_at,
            status=self.status,
            error=self.error,
            engine=Engine(elderscan=__version__, chromium=site.chromium, axe_core=site.axe_core,
                          ruleset=RULESET_VERSION, scoring_model=scoring_model,
                          browser=site.browser or None),
            score=score,
            elder_mode=self.elder_mode,
            voice=self.voice,
            versions=self.versions,
            pages=self.pages,
            summary=self.summary,
            skipped=site.skipped,
            guard=site.guard,
        )


def judge_site(site: SiteCapture, sink: FindingSink, shots: Shots | None = None,
               lang: Lang = "zh", judge: PageJudge | None = None) -> Judgement:
    """Judge the captures (those the `judge` has not judged already), handing `sink` their
    findings as they come. Pages are read one at a time and shelved."""
    pages: Shelf[PageResult] = Shelf(PageResult)
    counts: Counter[str] = Counter()
    errored: list[RuleError] = []
    home_at: int | None = None  # the start URL's standard capture, or else the first captured
    first_at: int | None = None
    done = judge.results if judge is not None else {}
    for capture in site.pages:
        key = page_key(capture)
        known = done.pop(key, None)
        if known is None:
            result, errors = page_result(capture, shots, lang)
            pages.shelve(result)
        else:
            pages.shelve(known[0])
            result, errors = pages.peek(-1), known[1]
        errored.extend(errors)
        sink.add((f for f in result.findings if f.rule != "page.load"), capture.mode, key)
        counts.update(f.outcome for f in result.findings)
        if result.metrics:
            first_at = len(pages) - 1 if first_at is None else first_at
            if home_at is None and result.url == site.start_url and result.mode == "standard":
                home_at = len(pages) - 1
    site_verdict = check_site(site, lang)
    errored.extend(site_verdict.errors)
    sink.add(site_verdict.findings, "site", "site")
    counts.update(f.outcome for f in site_verdict.findings)
    # Site findings (elder mode, voice) sit on the home page's standard capture.
    home_at = first_at if home_at is None else home_at
    if home_at is not None:
        home = pages[home_at]
        home_capture = next((c for c in site.pages if isinstance(c, Capture)
                             and c.url == home.url and c.mode == home.mode
                             and c.viewport == home.viewport), None)
        home.findings.extend(anchored(site_verdict.findings, home_capture)
                             if home_capture is not None else site_verdict.findings)
        home.rule_errors.extend(rule_errors(site_verdict.errors))
    failed_pages = sum(1 for p in site.pages if isinstance(p, PageFailure))
    if failed_pages == len(site.pages):
        status: Status = "failed"
        first = next((p for p in site.pages if isinstance(p, PageFailure)), None)
        why = f" (the first: {first.reason}: {first.message})" if first else ""
        error: ScanFailure | None = ScanFailure(code="no-pages",
                                                message=f"no page could be captured{why}")
    else:
        status, error = ("partial" if failed_pages else "ok"), None
    return Judgement(
        site=site, pages=pages, errors=errored, status=status, error=error,
        summary=Summary(pages=len(pages), fail=counts["fail"], review=counts["review"],
                        pass_=counts["pass"], failed_pages=failed_pages,
                        skipped=len(site.skipped)),
        elder_mode=contract_elder(site, lang),
        voice=contract_voice(site, lang),
        versions=contract_versions(site),
    )


def failed_report(target: str, started_at: str, finished_at: str, code: str, message: str,
                  chromium: str, axe_core: str, guard: GuardLog | None = None) -> ScanReport:
    """The result of a scan that never got to a page (DNS, TLS, not HTML, …)."""
    return ScanReport(
        guard=guard,
        target=target, started_at=started_at, finished_at=finished_at, status="failed",
        error=ScanFailure(code=code, message=message),
        engine=Engine(elderscan=__version__, chromium=chromium, axe_core=axe_core),
        pages=Shelf(PageResult), summary=Summary(pages=0, fail=0, review=0, pass_=0),
    )
