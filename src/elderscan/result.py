"""The scan result: the JSON contract users' scripts parse (schema version 1).

Fields are only ever added; `schemas/scan-result.v1.json` is the published schema and the tests
validate every result written against it. `score`, `elder_mode` and `voice` stay absent until
the checks that measure them exist: absent, never invented.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from elderscan.capture import Capture, GuardLog, PageFailure, SiteCapture, Skipped
from elderscan.checks import RULESET_VERSION, check_page, check_site
from elderscan.checks._registry import Lang, RuleError
from elderscan.checks.elder import contract_elder
from elderscan.checks.metrics import page_metrics
from elderscan.checks.versions import contract_versions
from elderscan.checks.voice import contract_voice
from elderscan.errors import UsageError
from elderscan.finding import Finding
from elderscan.scoring import MODEL_VERSION, Tally, compute
from elderscan.shelf import Shelf
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
    console_errors: list[str] = Field(
        default_factory=list, description="errors the page's own scripts logged or threw while "
        "it was loaded and probed (up to 100): the page's, never a reason a rule cannot run")


class Engine(_Model):
    elderscan: str
    chromium: str
    axe_core: str
    ruleset: str | None = None
    scoring_model: str | None = None
    browser: str | None = Field(
        default=None, description="the Chromium binary that rendered the pages: "
        "chromium-headless-shell (preferred where installed) or chromium, the full browser")


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
    pages: Shelf[PageResult]
    summary: Summary
    skipped: list[Skipped] = Field(default_factory=list)
    guard: GuardLog | None = Field(
        default=None, description="connections the address guard refused; only when it was on")
    versions: list[dict[str, Any]] | None = Field(
        default=None, description="language, 繁體 and 简洁版 versions found on the start page; "
        "only when the version probe ran")

    def to_json_dict(self, *, pages: bool = True) -> dict[str, Any]:
        data = self.model_dump(mode="json", by_alias=True,
                               exclude=None if pages else {"pages"})
        for key in ("score", "elder_mode", "voice", "guard", "versions"):
            if data.get(key) is None:
                data.pop(key, None)
        return data

    def json_chunks(self) -> Iterator[bytes]:
        """`json_bytes(self.to_json_dict())`, byte for byte, a page at a time: the whole
        result as Python objects is ~70× its compressed pages."""
        mark = f"\x00{uuid.uuid4().hex}"
        rest = self.to_json_dict(pages=False)
        data = {k: mark if k == "pages" else rest[k] for k in ScanReport.model_fields
                if k in rest or k == "pages"}
        head, tail = json_bytes(data).split(json_bytes(mark))
        yield head
        if not self.pages:
            yield b"[]"
        for n, page in enumerate(self.pages):
            text = json_bytes(page.model_dump(mode="json")).replace(b"\n", b"\n    ")
            yield (b"[\n    " if n == 0 else b",\n    ") + text
        if self.pages:
            yield b"\n  ]"
        yield tail

    def write_json(self, path: Path) -> None:
        with path.open("wb") as out:
            out.writelines(self.json_chunks())


def json_bytes(data: Any) -> bytes:
    """UTF-8 JSON that survives a lone surrogate in page text (a JS string cut between the two
    halves of an emoji): it is written as the JSON escape `\\udxxx`, which reads back as-is."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8", "backslashreplace")


OVERLAY_FIELDS = ("finding_id", "decision")
"""What the API lays over a stored result's `review` findings when it is read (a person's
decision, `elderscan.api.reviews`); a result saved from the API reads as the engine wrote it."""


def _without_overlay(data: Any) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
        return data
    pages = [{**page, "findings": [
        {k: v for k, v in f.items() if k not in OVERLAY_FIELDS} if isinstance(f, dict) else f
        for f in page["findings"]]}
        if isinstance(page, dict) and isinstance(page.get("findings"), list) else page
        for page in data["pages"]]
    return {**data, "pages": pages}


def parse_report(data: Any, label: str) -> ScanReport:
    """A result read from a file, or UsageError naming `label` ("result.json is not …") and
    the first field that is wrong."""
    data = _without_overlay(data)
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
        console_errors=page.console_errors,
    ), verdict.errors


def _page_key(page: Capture | PageFailure) -> str:
    return f"{page.viewport}:{page.mode}:{page.url}"


class PageJudge:
    """Judges each page as the crawl hands it over (`capture_site(on_page=…)`) and shelves the
    result, so a long scan holds compressed page results and slim captures, not whole
    captures or findings, until the report is built."""

    def __init__(self, screenshots_root: Path | None = None, lang: Lang = "zh") -> None:
        self.screenshots_root, self.lang = screenshots_root, lang
        self.results: dict[str, tuple[bytes, list[RuleError]]] = {}

    def __call__(self, page: Capture | PageFailure) -> None:
        result, errors = page_result(page, self.screenshots_root, self.lang)
        self.results[_page_key(page)] = Shelf.freeze(result), errors


def build_report(site: SiteCapture, screenshots_root: Path | None = None,
                 lang: Lang = "zh", judge: PageJudge | None = None) -> ScanReport:
    """Judge the captures (those the `judge` has not judged already), score them, and lay the
    result out as the contract says. Pages are read one at a time and shelved."""
    pages: Shelf[PageResult] = Shelf(PageResult)
    tally = Tally()
    counts: Counter[str] = Counter()
    errored: list[RuleError] = []
    home_at: int | None = None  # the start URL's standard capture, or else the first captured
    first_at: int | None = None
    done = judge.results if judge is not None else {}
    for capture in site.pages:
        page_key = _page_key(capture)
        known = done.pop(page_key, None)
        if known is None:
            result, errors = page_result(capture, screenshots_root, lang)
            pages.shelve(result)
        else:
            pages.shelve(known[0])
            result, errors = pages.peek(-1), known[1]
        errored.extend(errors)
        tally.add((f for f in result.findings if f.rule != "page.load"), capture.mode, page_key)
        counts.update(f.outcome for f in result.findings)
        if result.metrics:
            first_at = len(pages) - 1 if first_at is None else first_at
            if home_at is None and result.url == site.start_url and result.mode == "standard":
                home_at = len(pages) - 1
    site_verdict = check_site(site, lang)
    errored.extend(site_verdict.errors)
    tally.add(site_verdict.findings, "site", "site")
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
        home.rule_errors.extend({"rule": e.rule, "message": e.message}
                                for e in site_verdict.errors)
    failed_pages = sum(1 for p in site.pages if isinstance(p, PageFailure))
    if failed_pages == len(site.pages):
        status: Literal["ok", "partial", "failed"] = "failed"
        error: ScanError | None = ScanError(code="no-pages", message="no page could be captured")
    else:
        status, error = ("partial" if failed_pages else "ok"), None
    score = compute(tally.judged(), errored) if status != "failed" else None
    return ScanReport(
        target=site.target,
        started_at=site.started_at,
        finished_at=site.finished_at,
        status=status,
        error=error,
        engine=Engine(elderscan=__version__, chromium=site.chromium, axe_core=site.axe_core,
                      ruleset=RULESET_VERSION, scoring_model=MODEL_VERSION,
                      browser=site.browser or None),
        score=score,
        elder_mode=contract_elder(site, lang),
        voice=contract_voice(site, lang),
        versions=contract_versions(site),
        pages=pages,
        summary=Summary(
            pages=len(pages),
            fail=counts["fail"],
            review=counts["review"],
            pass_=counts["pass"],
            failed_pages=failed_pages,
            skipped=len(site.skipped),
        ),
        skipped=site.skipped,
        guard=site.guard,
    )


def failed_report(target: str, started_at: str, finished_at: str, code: str, message: str,
                  chromium: str, axe_core: str, guard: GuardLog | None = None) -> ScanReport:
    """The result of a scan that never got to a page (DNS, TLS, not HTML, …)."""
    return ScanReport(
        guard=guard,
        target=target, started_at=started_at, finished_at=finished_at, status="failed",
        error=ScanError(code=code, message=message),
        engine=Engine(elderscan=__version__, chromium=chromium, axe_core=axe_core),
        pages=Shelf(PageResult), summary=Summary(pages=0, fail=0, review=0, pass_=0),
    )
