"""How far elderscan's own rules agree with the W3C ACT Rules test cases.

Serves the ACT corpus (`../shared/corpora/act/`, W3C Document License) over loopback, captures
each case page in headless Chromium exactly as a scan would, runs our checks, and maps the
findings of the mapped rule on that page to an ACT outcome:

- any `fail` of the mapped rule → `failed`;
- otherwise any `pass` → `passed`;
- otherwise only `review` → `cantTell`;
- no finding → `inapplicable`.

Agreement is the share of cases whose mapped outcome equals the expected one. `cantTell` (our
`review`: a person must look) is a disagreement in the headline figure — a tool that says "ask a
person" has not agreed with the answer. A second, lenient figure counts `cantTell` as agreement
where the case is expected to *fail* only, ACT's "partially consistent": a review there still puts
the failure in front of a person, whereas on a passing or inapplicable case it is a false alarm.
A case whose page could not be captured counts as a disagreement, with the reason — except a
non-HTML document (the SVG-only cases): the scanner judges only HTML pages, so every rule is
inapplicable to it, which is what ACT expects of those cases.

Run: `python -m tests.act.act_agreement [--rules afw4f7,b4f0c3] [--out FILE]` from the project
root, or `python tests/act/act_agreement.py`. It prints a table per ACT rule and writes the
figures and every case's outcome as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Route

from elderscan.capture import Capture, Viewport
from elderscan.checks import REGISTRY, check_page
from elderscan.devserver import SiteServer
from elderscan.finding import Finding
from elderscan.scanner.browser import BrowserPool
from elderscan.scanner.page import capture_page
from elderscan.settings import ScanSettings

ROOT = Path(__file__).resolve().parents[2]
CORPUS = (ROOT / ".." / "shared" / "corpora" / "act").resolve()


@dataclass(frozen=True)
class Mapping:
    """Which of our rules (and which of their message keys) answer one ACT rule."""

    rules: tuple[str, ...]
    keys: tuple[str, ...] = ()
    """only findings with these message keys count (empty: all of the rule's findings)"""
    probes: bool = False
    """needs the interactive probes (200 % zoom, focus, motion)"""
    needs: tuple[str, ...] = ()
    """capture fields that must be present, or the rule is reported unavailable"""
    note: str = ""


MAPPINGS: dict[str, Mapping] = {
    "afw4f7": Mapping(rules=("contrast.text", "contrast.over-image"),
                      note="WCAG 1.4.3; DOM colours, and screenshot pixels for text over images"),
    "b4f0c3": Mapping(rules=("zoom.allowed",), note="WCAG 1.4.4 meta viewport"),
    "59br37": Mapping(rules=("zoom.reflow",), probes=True, needs=("reflow",),
                      note="WCAG 1.4.4 text clipped at 200 % (reflow probe, 640 px wide)"),
    "bc659a": Mapping(rules=("motion.timing",), keys=("refresh", "redirect", "refresh-late"),
                      note="WCAG 2.2.1 meta refresh (delay ≤ 20 h fails)"),
    "bisz58": Mapping(rules=("motion.timing",), keys=("refresh", "redirect", "refresh-late"),
                      note="WCAG 2.2.4 (AAA) meta refresh with no 20 h exception; elderscan "
                           "applies the AA rule (2.2.1), so a delay over 20 h passes by design"),
    "78fd32": Mapping(rules=("font.text-spacing",), keys=("line-height", "line-height-ok"),
                      note="line-height !important in style attributes"),
    "24afc2": Mapping(rules=("font.text-spacing",), keys=("letter-spacing", "letter-spacing-ok"),
                      note="letter-spacing !important in style attributes"),
    "9e45ec": Mapping(rules=("font.text-spacing",), keys=("word-spacing", "word-spacing-ok"),
                      note="word-spacing !important in style attributes"),
}
DEFAULT_RULES = ("afw4f7", "b4f0c3", "59br37", "78fd32", "24afc2", "9e45ec", "bc659a", "bisz58")


@dataclass
class CaseResult:
    case_id: str
    title: str
    expected: str
    actual: str
    agree: bool
    findings: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


@dataclass
class RuleReport:
    rule_id: str
    rule_name: str
    our_rules: list[str]
    status: str
    """measured | unavailable"""
    note: str
    cases: int = 0
    agree: int = 0
    agreement: float | None = None
    agreement_lenient: float | None = None
    by_expected: dict[str, dict[str, int]] = field(default_factory=dict)
    """expected outcome → our outcome → count"""
    results: list[CaseResult] = field(default_factory=list)


STAND_IN = '<!DOCTYPE html><html lang="en"><title>off-site stand-in</title><p>stand-in</p></html>'


class CorpusPool(BrowserPool):
    """Some cases send the browser on at once to `https://w3.org`, which cannot be reached from
    here: Chromium would show its error page, and whether the case page was measured before it
    left would decide between a capture and a failed redirect. A stand-in page answers for every
    address off loopback instead, as the real site would, so the case's own refresh (recorded
    from its first document) is judged either way."""

    async def _new_context(self, browser: Browser, viewport: Viewport) -> BrowserContext:
        ctx = await super()._new_context(browser, viewport)
        await ctx.route(_off_site, _stand_in)
        return ctx


def _off_site(url: str) -> bool:
    return url.startswith(("http:", "https:")) and not url.startswith(
        ("http://127.0.0.1", "http://localhost"))


async def _stand_in(route: Route) -> None:
    await route.fulfill(status=200, content_type="text/html", body=STAND_IN)


def load_manifest(corpus: Path = CORPUS) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / "manifest.json").read_text("utf-8"))
    return data


def outcome(findings: Sequence[Finding], mapping: Mapping) -> str:
    """Our findings on one page, for the mapped rule, as an ACT outcome."""
    mine = [
        f for f in findings
        if f.rule in mapping.rules
        and (not mapping.keys
             or (f.message_key or "").rsplit(".", 1)[-1] in mapping.keys)
    ]
    if any(f.outcome == "fail" for f in mine):
        return "failed"
    if any(f.outcome == "pass" for f in mine):
        return "passed"
    if mine:
        return "cantTell"
    return "inapplicable"


def _unavailable(mapping: Mapping) -> str | None:
    if not mapping.rules:
        return "no elderscan rule measures this yet"
    missing = [r for r in mapping.rules if r not in REGISTRY]
    if missing:
        return f"rule(s) not registered: {', '.join(missing)}"
    return None


async def run(rule_ids: Sequence[str] = DEFAULT_RULES, settings: ScanSettings | None = None,
              corpus: Path = CORPUS) -> list[RuleReport]:
    """Capture and judge every case of `rule_ids`; one report per ACT rule."""
    opts = settings or ScanSettings().merged(axe=False, settle_ms=0, page_timeout=20,
                                             load_timeout=6)
    manifest = load_manifest(corpus)
    names = {r["rule_id"]: r["rule_name"] for r in manifest["rules"]}
    reports: list[RuleReport] = []
    todo: list[tuple[RuleReport, Mapping, dict[str, Any]]] = []
    for rule_id in rule_ids:
        mapping = MAPPINGS[rule_id]
        report = RuleReport(rule_id=rule_id, rule_name=names.get(rule_id, ""),
                            our_rules=list(mapping.rules), status="measured", note=mapping.note)
        reports.append(report)
        why = _unavailable(mapping)
        if why:
            report.status = "unavailable"
            report.note = f"{why}; {mapping.note}"
            continue
        for case in manifest["cases"]:
            if case["rule_id"] == rule_id:
                todo.append((report, mapping, case))

    with tempfile.TemporaryDirectory(prefix="elderscan-act-") as shots, \
            SiteServer(corpus) as server:
        async with CorpusPool(opts) as pool:
            plain = opts.merged(probes=False)
            probed = opts.merged(probes=True)

            async def one(report: RuleReport, mapping: Mapping,
                          case: dict[str, Any]) -> tuple[RuleReport, Mapping, CaseResult]:
                url = server.url + case["file"]
                use = probed if mapping.probes else plain
                captured = await capture_page(pool, url, "desktop", use,
                                              screenshot_dir=Path(shots))
                result = CaseResult(case_id=case["case_id"], title=case["title"],
                                    expected=case["expected"], actual="error", agree=False)
                if not isinstance(captured, Capture):
                    if captured.reason == "not-html":
                        # A standalone SVG document: the scanner judges only HTML pages, so no
                        # rule of ours applies to it at all.
                        result.actual = "inapplicable"
                        result.agree = result.expected == "inapplicable"
                        result.error = None if result.agree else captured.message
                        return report, mapping, result
                    result.error = f"{captured.reason}: {captured.message}"
                    return report, mapping, result
                absent = [n for n in mapping.needs if getattr(captured, n, None) is None]
                if absent:
                    why = "; ".join(captured.errors.get(n, "not captured") for n in absent)
                    result.actual, result.error = "unavailable", f"{', '.join(absent)}: {why}"
                    return report, mapping, result
                verdict = check_page(captured, "en", Path(shots))
                result.actual = outcome(verdict.findings, mapping)
                result.agree = result.actual == result.expected
                result.findings = [
                    {"rule": f.rule, "outcome": f.outcome, "selector": f.selector,
                     "value": f.value, "key": f.message_key}
                    for f in verdict.findings if f.rule in mapping.rules
                ]
                errors = [e for e in verdict.errors if e.rule in mapping.rules]
                if errors:
                    result.error = "; ".join(f"{e.rule}: {e.message}" for e in errors)
                return report, mapping, result

            done = await asyncio.gather(*(one(r, m, c) for r, m, c in todo))
    for report, _, result in done:
        report.results.append(result)
    for report in reports:
        _summarise(report)
    return reports


def _summarise(report: RuleReport) -> None:
    if report.status != "measured":
        return
    results = report.results
    if results and all(r.actual == "unavailable" for r in results):
        report.status = "unavailable"
        report.note = f"{results[0].error}; {report.note}"
    report.cases = len(results)
    report.agree = sum(r.agree for r in results)
    lenient = sum(r.agree or (r.actual == "cantTell" and r.expected == "failed")
                  for r in results)
    if results and report.status == "measured":
        report.agreement = round(report.agree / len(results), 4)
        report.agreement_lenient = round(lenient / len(results), 4)
    for r in results:
        row = report.by_expected.setdefault(r.expected, {})
        row[r.actual] = row.get(r.actual, 0) + 1


def table(reports: Sequence[RuleReport]) -> str:
    lines = [f"{'ACT rule':8}  {'elderscan rule(s)':38} {'cases':>5} {'agree':>5} "
             f"{'strict':>7} {'lenient':>7}  outcomes (expected → ours)"]
    for rep in reports:
        ours = ", ".join(rep.our_rules) or "—"
        if rep.status != "measured":
            lines.append(f"{rep.rule_id:8}  {ours:38} {'—':>5} {'—':>5} {'n/a':>7} {'n/a':>7}  "
                         f"unavailable: {rep.note}")
            continue
        spread = "; ".join(
            f"{exp}→" + ",".join(f"{act}:{n}" for act, n in sorted(row.items()))
            for exp, row in sorted(rep.by_expected.items())
        )
        lines.append(f"{rep.rule_id:8}  {ours:38} {rep.cases:5} {rep.agree:5} "
                     f"{(rep.agreement or 0):7.1%} {(rep.agreement_lenient or 0):7.1%}  {spread}")
    return "\n".join(lines)


def disagreements(reports: Sequence[RuleReport]) -> str:
    lines = []
    for rep in reports:
        for r in rep.results:
            if not r.agree:
                extra = f" ({r.error})" if r.error else ""
                lines.append(f"  {rep.rule_id} {r.title}: expected {r.expected}, "
                             f"got {r.actual}{extra}")
    return "\n".join(lines)


def to_json(reports: Sequence[RuleReport]) -> dict[str, Any]:
    return {"corpus": str(CORPUS), "rules": [asdict(r) for r in reports]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rules", default=",".join(DEFAULT_RULES),
                        help="comma-separated ACT rule ids")
    parser.add_argument("--out", type=Path, default=Path("act-agreement.json"),
                        help="where to write the JSON report")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    rule_ids = [r.strip() for r in args.rules.split(",") if r.strip()]
    unknown = [r for r in rule_ids if r not in MAPPINGS]
    if unknown:
        parser.error(f"no mapping for {', '.join(unknown)}; known: {', '.join(MAPPINGS)}")
    reports = asyncio.run(run(rule_ids, corpus=args.corpus))
    print(table(reports))
    missed = disagreements(reports)
    if missed:
        print("\ndisagreements:\n" + missed)
    args.out.write_text(json.dumps(to_json(reports), ensure_ascii=False, indent=2), "utf-8")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
