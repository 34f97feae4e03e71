"""The scan result: the JSON contract users' scripts parse (schema version 1).

Fields are only ever added; `schemas/scan-result.v1.json` is the published schema and the tests
validate every result written against it. `score`, `elder_mode` and `voice` stay absent until
the checks that measure them exist: absent, never invented.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from elderscan.capture import Capture, PageFailure, SiteCapture, Skipped
from elderscan.checks import RULESET_VERSION, check_page, check_site
from elderscan.checks._registry import Lang, RuleError
from elderscan.checks.elder import contract_elder
from elderscan.checks.metrics import page_metrics
from elderscan.checks.voice import contract_voice
from elderscan.errors import UsageError
from elderscan.finding import Finding
from elderscan.scoring import MODEL_VERSION, Judged, compute
from elderscan.version import __version__

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class PageResult(_Model):
    url: str
    final_url: str | None
    http_status: int | None
    mode: Literal["standard", "elder"]
    viewport: Literal["desktop", "mobile"]
    title: str | None
    screenshot: str | None
    metrics: dict[str, Any]
    findings: list[Finding]
    lang: str | None = None
    warnings: list[str] = Field(default_factory=list)
    errors: dict[str, str] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    rule_errors: list[dict[str, str]] = Field(
        default_factory=list, description="rules that could not run on this page, and why"
    )


class Engine(_Model):
    elderscan: str
    chromium: str
    axe_core: str
    ruleset: str | None = None
    scoring_model: str | None = None


class ScanError(_Model):
    code: str
    message: str


class Summary(_Model):
    pages: int
    fail: int
    review: int
    pass_: int = Field(alias="pass")
    failed_pages: int = 0
    skipped: int = 0


class ScanReport(_Model):
    schema_version: str = SCHEMA_VERSION
    target: str
    started_at: str
    finished_at: str
    status: Literal["ok", "partial", "failed"]
    error: ScanError | None
    engine: Engine
    score: dict[str, Any] | None = None
    elder_mode: dict[str, Any] | None = None
    voice: dict[str, Any] | None = None
    pages: list[PageResult]
    summary: Summary
    skipped: list[Skipped] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", by_alias=True)
        for key in ("score", "elder_mode", "voice"):
            if data.get(key) is None:
                data.pop(key, None)
        return data

    def write_json(self, path: Path) -> None:
        path.write_bytes(json_bytes(self.to_json_dict()))


def json_bytes(data: Any) -> bytes:
    """UTF-8 JSON that survives a lone surrogate in page text (a JS string cut between the two
    halves of an emoji): it is written as the JSON escape `\\udxxx`, which reads back as-is."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8", "backslashreplace")


def parse_report(data: Any, label: str) -> ScanReport:
    """A result read from a file, or UsageError naming `label` ("result.json is not …") and
    the first field that is wrong."""
    try:
        return ScanReport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{label}: {where}: {first['msg']}") from exc


def load_schema() -> dict[str, Any]:
    text = resources.files("elderscan").joinpath("schemas/scan-result.v1.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


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
        data={"reason": failure.reason},
    )


def anchored(findings: list[Finding], page: Capture) -> list[Finding]:
    """Give each finding its element's anchor. An axe-core node in a frame keeps none: its
    selector belongs to the frame's document, and the same text may name another element here."""
    for finding in findings:
        if (finding.anchor is None and finding.selector is not None
                and "frame_url" not in finding.data):
            finding.anchor = page.anchors.get(finding.selector)
    return findings


def _screenshot_ref(path: str | None, root: Path | None) -> str | None:
    if path is None or root is None:
        return None
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def page_result(page: Capture | PageFailure, screenshots_root: Path | None,
                lang: Lang = "zh") -> tuple[PageResult, list[RuleError]]:
    if isinstance(page, PageFailure):
        return PageResult(url=page.url, final_url=page.final_url, http_status=page.http_status,
                          mode=page.mode, viewport=page.viewport, title=None, screenshot=None,
                          metrics={}, findings=[load_failure_finding(page)]), []
    verdict = check_page(page, lang)
    return PageResult(
        url=page.url,
        final_url=page.final_url,
        http_status=page.http_status,
        mode=page.mode,
        viewport=page.viewport,
        title=page.title,
        screenshot=_screenshot_ref(page.screenshot, screenshots_root),
        metrics=page_metrics(page),
        findings=anchored(verdict.findings, page),
        lang=page.lang,
        warnings=page.warnings,
        errors=page.errors,
        timings=page.timings.model_dump(),
        rule_errors=[{"rule": e.rule, "message": e.message} for e in verdict.errors],
    ), verdict.errors


def _page_key(page: Capture | PageFailure) -> str:
    return f"{page.viewport}:{page.mode}:{page.url}"


class PageJudge:
    """Judges each page as the crawl hands it over (`capture_site(on_page=…)`), so a long scan
    holds page results and slim captures, not whole captures, until the report is built."""

    def __init__(self, screenshots_root: Path | None = None, lang: Lang = "zh") -> None:
        self.screenshots_root, self.lang = screenshots_root, lang
        self.results: dict[str, tuple[PageResult, list[RuleError]]] = {}

    def __call__(self, page: Capture | PageFailure) -> None:
        self.results[_page_key(page)] = page_result(page, self.screenshots_root, self.lang)


def build_report(site: SiteCapture, screenshots_root: Path | None = None,
                 lang: Lang = "zh", judge: PageJudge | None = None) -> ScanReport:
    """Judge the captures (those the `judge` has not judged already), score them, and lay the
    result out as the contract says."""
    pages: list[PageResult] = []
    judged: list[Judged] = []
    errored: list[str] = []
    done = judge.results if judge is not None else {}
    for capture in site.pages:
        page_key = _page_key(capture)
        known = done.pop(page_key, None)
        result, errors = known or page_result(capture, screenshots_root, lang)
        pages.append(result)
        errored.extend(e.rule for e in errors)
        judged.extend(Judged(f, capture.mode, page_key) for f in result.findings
                      if f.rule != "page.load")
    site_verdict = check_site(site, lang)
    errored.extend(e.rule for e in site_verdict.errors)
    judged.extend(Judged(f, "site", "site") for f in site_verdict.findings)
    # Site findings (elder mode, voice) sit on the home page's standard capture.
    captured = [p for p in pages if p.metrics]
    home = next((p for p in captured if p.url == site.start_url and p.mode == "standard"),
                captured[0] if captured else None)
    if home is not None:
        home_capture = next((c for c in site.pages if isinstance(c, Capture)
                             and c.url == home.url and c.mode == home.mode
                             and c.viewport == home.viewport), None)
        home.findings.extend(anchored(site_verdict.findings, home_capture)
                             if home_capture is not None else site_verdict.findings)
        home.rule_errors.extend({"rule": e.rule, "message": e.message}
                                for e in site_verdict.errors)
    findings = [f for p in pages for f in p.findings]
    failed_pages = sum(1 for p in site.pages if isinstance(p, PageFailure))
    if failed_pages == len(site.pages):
        status: Literal["ok", "partial", "failed"] = "failed"
        error: ScanError | None = ScanError(code="no-pages", message="no page could be captured")
    else:
        status, error = ("partial" if failed_pages else "ok"), None
    score = compute(judged, errored) if status != "failed" else None
    return ScanReport(
        target=site.target,
        started_at=site.started_at,
        finished_at=site.finished_at,
        status=status,
        error=error,
        engine=Engine(elderscan=__version__, chromium=site.chromium, axe_core=site.axe_core,
                      ruleset=RULESET_VERSION, scoring_model=MODEL_VERSION),
        score=score,
        elder_mode=contract_elder(site),
        voice=contract_voice(site),
        pages=pages,
        summary=Summary(
            pages=len(pages),
            fail=sum(f.outcome == "fail" for f in findings),
            review=sum(f.outcome == "review" for f in findings),
            pass_=sum(f.outcome == "pass" for f in findings),
            failed_pages=failed_pages,
            skipped=len(site.skipped),
        ),
        skipped=site.skipped,
    )


def failed_report(target: str, started_at: str, finished_at: str, code: str, message: str,
                  chromium: str, axe_core: str) -> ScanReport:
    """The result of a scan that never got to a page (DNS, TLS, not HTML, …)."""
    return ScanReport(
        target=target, started_at=started_at, finished_at=finished_at, status="failed",
        error=ScanError(code=code, message=message),
        engine=Engine(elderscan=__version__, chromium=chromium, axe_core=axe_core),
        pages=[], summary=Summary(pages=0, fail=0, review=0, pass_=0),
    )
