"""The baseline a CI gate compares against: the problems a site already had.

A baseline is read from a scan result JSON (what `elderscan scan --json` or `elderscan ci --json`
wrote on the main branch: keep that artifact and nothing else is needed) or from the compact file
`elderscan ci --write-baseline` writes: one problem per line, sorted, so a reviewer can read in a
pull request's diff which problems were accepted.

Problems are identified by `store.fingerprints`: the element anchor (role, text, landmark,
index) when there is one, else the selector. A result written before anchors existed has only
selector fingerprints; its problems are kept in `plain` and matched by selector, so an old
baseline still works, just without the refactor tolerance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from elderscan.contract import PageResult, ScanReport, parse_report
from elderscan.errors import UsageError
from elderscan.finding import Finding
from elderscan.fingerprints import finding_fingerprint, fingerprint
from elderscan.store.measures import badness, direction_of
from elderscan.terminal_lang import json_place, os_reason, say
from elderscan.urls import template_key

BASELINE_FORMAT = "elderscan-baseline/1"
PROBLEM_OUTCOMES = ("fail", "review")
"""What a baseline remembers. `review` too: a problem accepted as "to be checked by a person"
that a later measurement calls `fail` is the same known problem, not a regression."""


def page_loaded(page: PageResult) -> bool:
    return not any(f.rule == "page.load" for f in page.findings)


def describe_element(finding: Finding) -> str:
    """How a person finds the element: `link “更多” in navigation`, else its selector."""
    anchor = finding.anchor
    if anchor is None:
        return finding.selector or "(page)"
    text = f" “{anchor.text}”" if anchor.text else ""
    nth = f" #{anchor.index + 1}" if anchor.index else ""
    return f"{anchor.role}{text}{nth} in {anchor.landmark}"


def path_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


@dataclass(frozen=True)
class Entry:
    """One known problem, as the compact baseline lists it: with what was measured, so a later
    scan can tell a problem that got worse from one that stayed (older files lack the values:
    their problems are only known, never worse)."""

    fingerprint: str
    anchored: bool
    rule: str
    outcome: str
    url: str
    element: str
    value: float | str | None = None
    threshold: float | str | None = None
    message_key: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    """The rule's other measures (`Direction.also_measured`), e.g. font.size's dominant_px."""

    def to_json(self) -> dict[str, Any]:
        found = {"fingerprint": self.fingerprint, "anchored": self.anchored, "rule": self.rule,
                 "outcome": self.outcome, "url": self.url, "element": self.element}
        measured = {"value": self.value, "threshold": self.threshold,
                    "message_key": self.message_key, "measures": self.data or None}
        return found | {k: v for k, v in measured.items() if v is not None}


@dataclass(frozen=True)
class Baseline:
    source: str
    target: str
    entries: tuple[Entry, ...]
    templates: frozenset[str]
    """URL templates of the pages that loaded: only these can have new or fixed problems."""

    @property
    def anchored(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries if e.anchored)

    @property
    def plain(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries if not e.anchored)

    @cached_property
    def _by_key(self) -> dict[tuple[bool, str], Entry]:
        return {(e.anchored, e.fingerprint): e for e in self.entries}

    def knows(self, finding: Finding, page_url: str) -> bool:
        return self.entry_for(finding, page_url) is not None

    def entry_for(self, finding: Finding, page_url: str) -> Entry | None:
        """The baseline's entry for the same problem, matched as `knows` matches."""
        by_key = self._by_key
        if finding.anchor is not None:
            entry = by_key.get((True, finding_fingerprint(finding, page_url)))
            if entry is not None:
                return entry
        return by_key.get((False, fingerprint(finding.rule, page_url, finding.selector)))


def entry_of(finding: Finding, page_url: str) -> Entry:
    direction = direction_of(finding.rule)
    measured = direction is not None
    measures = {name: finding.data[name] for name in (direction.also_measured if direction else ())
                if finding.data.get(name) is not None}
    return Entry(fingerprint=finding_fingerprint(finding, page_url),
                 anchored=finding.anchor is not None, rule=finding.rule,
                 outcome=finding.outcome, url=path_of(page_url),
                 element=describe_element(finding),
                 value=finding.value if measured else None,
                 threshold=finding.threshold if measured else None,
                 message_key=finding.message_key if measured else None, data=measures)


def baseline_from_report(report: ScanReport, source: str = "") -> Baseline:
    entries: dict[str, Entry] = {}
    templates: set[str] = set()
    for page in report.pages:
        if not page_loaded(page):
            continue
        templates.add(template_key(page.url))
        for finding in page.findings:
            if finding.outcome in PROBLEM_OUTCOMES:
                entry = entry_of(finding, page.url)
                known = entries.get(entry.fingerprint)
                if known is None or badness(entry) > badness(known):
                    entries[entry.fingerprint] = entry  # the worst, as the store compares
    ordered = sorted(entries.values(), key=lambda e: (e.rule, e.url, e.element, e.fingerprint))
    return Baseline(source=source, target=report.target, entries=tuple(ordered),
                    templates=frozenset(templates))


def render_baseline(baseline: Baseline, report: ScanReport) -> str:
    """JSON with one problem per line: a pull request's diff shows accepted problems plainly."""
    head = {"format": BASELINE_FORMAT, "target": report.target,
            "finished_at": report.finished_at,
            "engine": report.engine.model_dump(mode="json"),
            "templates": sorted(baseline.templates)}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "findings": [']
    rows = [json.dumps(e.to_json(), ensure_ascii=False) for e in baseline.entries]
    lines += [f"  {row}," for row in rows[:-1]] + ([f"  {rows[-1]}"] if rows else [])
    lines.append("]}")
    return "\n".join(lines) + "\n"


def write_baseline(report: ScanReport, path: Path) -> Baseline:
    baseline = baseline_from_report(report, str(path))
    try:
        path.write_text(render_baseline(baseline, report), "utf-8")
    except OSError as exc:
        raise UsageError(say("err.baseline_write", path=path,
                             reason=os_reason(exc))) from exc
    return baseline


def _compact(data: dict[str, Any], path: Path) -> Baseline:
    try:
        entries = tuple(Entry(fingerprint=str(e["fingerprint"]), anchored=bool(e["anchored"]),
                              rule=str(e["rule"]), outcome=str(e["outcome"]), url=str(e["url"]),
                              element=str(e["element"]), value=e.get("value"),
                              threshold=e.get("threshold"), message_key=e.get("message_key"),
                              data=dict(e.get("measures") or {})) for e in data["findings"])
        templates = frozenset(str(t) for t in data["templates"])
        target = str(data.get("target", ""))
    except (KeyError, TypeError) as exc:
        raise UsageError(say("err.baseline_damaged", path=path, field=exc)) from exc
    return Baseline(source=str(path), target=target, entries=entries, templates=templates)


def load_baseline(path: Path) -> Baseline:
    """A result JSON or a compact baseline; anything else is a usage error (exit 2)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise UsageError(say("err.baseline_read", path=path,
                             reason=os_reason(exc))) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(say("err.baseline_json", path=path, where=json_place(exc))) from exc
    if not isinstance(data, dict):
        raise UsageError(say("err.baseline_kind", path=path))
    if data.get("format") == BASELINE_FORMAT:
        return _compact(data, path)
    if "schema_version" not in data:
        raise UsageError(say("err.baseline_kind", path=path))
    report = parse_report(data, say("err.baseline_result", path=path))
    if report.status == "failed":
        raise UsageError(say("err.baseline_failed", path=path))
    return baseline_from_report(report, str(path))
