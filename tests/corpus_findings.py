"""What a full scan finds on the benchmark corpus, kept as a file (tests/corpus_findings/), so that
work that makes scans faster (shorter waits, probes at once, a quicker start) can show it lost no
finding: `test_corpus_findings.py` scans the corpus again and compares.

Kept per page (keyed by path, mode and viewport, never by port): each finding's rule, outcome,
place, value, threshold and Chinese message, in the order the engine gives them; for the site,
the elder-mode and read-aloud verdicts and the score. Pages are sorted by key, so the order pages
finish in does not matter: scans at concurrency 1, 2 and 4 gave the same file when it was first
recorded, as did a scan on a machine loaded with another one.

`python -m tests.corpus_findings` writes the file again. Do that only when a change is meant to
change findings, and read the diff before committing it: a finding that vanished from the file
is exactly what this test exists to catch.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.corpus import build

from elderscan.contract import ScanReport
from elderscan.devserver import SiteServer
from elderscan.settings import ScanSettings

PAGES = 12
SEED = 1
CONCURRENCY = 2
RECORDED = Path(__file__).resolve().parent / "corpus_findings" / f"corpus-{PAGES}.json"
SHOWN = 80
"""Lines of a difference printed; the rest are counted."""

_ORIGIN = re.compile(r"https?://(?:127\.0\.0\.1|localhost)(?::\d+)?")


def scan(concurrency: int = CONCURRENCY) -> dict[str, Any]:
    """The corpus built afresh, served on loopback and scanned with the default settings
    (elder-mode and read-aloud probes on), as `snapshot` keeps it."""
    from elderscan.runner.scan import scan_site

    settings = ScanSettings().merged(max_pages=PAGES, max_depth=1, per_template=PAGES,
                                     concurrency=concurrency)
    with tempfile.TemporaryDirectory(prefix="elderscan-corpus-findings-") as tmp:
        build(Path(tmp), PAGES, SEED)
        with SiteServer(Path(tmp)) as server:
            report = asyncio.run(scan_site(server.url, settings, lang="zh"))
    return snapshot(report, concurrency)


def snapshot(report: ScanReport, concurrency: int = CONCURRENCY) -> dict[str, Any]:
    """What a speed change must leave alone, without the local server's origin (the
    findings' place and messages name paths), the times and the screenshots."""
    data = json.loads(_ORIGIN.sub("", report.model_dump_json(by_alias=True)))
    pages: dict[str, Any] = {}
    for page in data["pages"]:
        key = f"{_path(page['url'])} {page['mode']} {page['viewport']}"
        assert key not in pages, f"two pages are {key}"
        pages[key] = {"http_status": page["http_status"], "errors": page["errors"],
                      "rule_errors": [e.get("rule") for e in page["rule_errors"]],
                      "findings": [_finding(f) for f in page["findings"]]}
    return {"corpus": {"pages": PAGES, "seed": SEED, "max_depth": 1, "concurrency": concurrency},
            "site": _site(data), "pages": dict(sorted(pages.items()))}


def _path(url: str) -> str:
    """A URL without its origin (already gone) and fragment: `/p/0001.html`."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _finding(finding: dict[str, Any]) -> dict[str, Any]:
    data = finding["data"]
    place = finding["selector"] or data.get("where") or data.get("url")
    return {"rule": finding["rule"], "outcome": finding["outcome"], "place": place,
            "value": finding["value"], "threshold": finding["threshold"],
            "message": finding["message"]}


def _site(data: dict[str, Any]) -> dict[str, Any]:
    elder = data.get("elder_mode") or {}
    voice = data.get("voice") or {}
    score = data.get("score") or {}
    return {
        "status": data["status"],
        "summary": data["summary"],
        "elder_mode": {"found": elder.get("found"), "kind": elder.get("kind"),
                       "effective": elder.get("effective"),
                       "activation": elder.get("activation"),
                       "entry": (elder.get("entry") or {}).get("selector"),
                       "elder_url": _path(elder["elder_url"]) if elder.get("elder_url")
                       else None},
        "voice": {"found": voice.get("found"), "kind": voice.get("kind"),
                  "functional": voice.get("functional"), "stoppable": voice.get("stoppable"),
                  "entry": (voice.get("entry") or {}).get("selector")},
        "score": {"total": score.get("total"), "grade": score.get("grade"),
                  "dimensions": score.get("dimensions")},
    }


def differences(recorded: dict[str, Any], live: dict[str, Any]) -> list[str]:
    """What changed, a line each: site verdicts by name, pages gone or new, and per page the
    findings removed (-) and added (+), in the engine's order."""
    lines = [f"{name}: {old!r} → {new!r}" for name, old, new in
             _changed("", {k: v for k, v in recorded.items() if k != "pages"},
                      {k: v for k, v in live.items() if k != "pages"})]
    before, after = recorded["pages"], live["pages"]
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            lines.append(f"page {key}: gone (it had {len(before[key]['findings'])} findings)")
        elif key not in before:
            lines.append(f"page {key}: new ({len(after[key]['findings'])} findings)")
        else:
            lines.extend(_page_changes(key, before[key], after[key]))
    return lines


def _changed(prefix: str, old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        return [change for k in sorted(old.keys() | new.keys())
                for change in _changed(f"{prefix}.{k}" if prefix else k, old.get(k), new.get(k))]
    return [] if old == new else [(prefix, old, new)]


def _page_changes(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = [f"page {key} {name}: {a!r} → {b!r}" for name, a, b in _changed(
        "", {k: v for k, v in old.items() if k != "findings"},
        {k: v for k, v in new.items() if k != "findings"})]
    was = [_line(f) for f in old["findings"]]
    now = [_line(f) for f in new["findings"]]
    if was != now:
        lines.append(f"page {key}: {len(was)} findings → {len(now)}")
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, was, now,
                                                           autojunk=False).get_opcodes():
            if tag != "equal":
                lines.extend(f"  - #{i1 + n} {line}" for n, line in enumerate(was[i1:i2]))
                lines.extend(f"  + #{j1 + n} {line}" for n, line in enumerate(now[j1:j2]))
    return lines


def _line(finding: dict[str, Any]) -> str:
    return (f"{finding['rule']} {finding['outcome']} @{finding['place']} "
            f"value={finding['value']!r} threshold={finding['threshold']!r} "
            f"“{finding['message']}”")


def report(lines: list[str]) -> str:
    shown = lines[:SHOWN]
    if len(lines) > SHOWN:
        shown.append(f"… and {len(lines) - SHOWN} more lines")
    return "\n".join(shown)


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORDED.read_text("utf-8"))
    return data


def dumps(data: dict[str, Any]) -> str:
    """The snapshot as JSON with one finding a line, so a re-recording's git diff reads as
    the findings that changed."""
    head = json.dumps({k: v for k, v in data.items() if k != "pages"}, ensure_ascii=False,
                      indent=1)
    blocks = []
    for key, page in data["pages"].items():
        rest = {k: v for k, v in page.items() if k != "findings"}
        found = ",\n   ".join(json.dumps(f, ensure_ascii=False) for f in page["findings"])
        blocks.append(f"  {json.dumps(key)}: {json.dumps(rest, ensure_ascii=False)[:-1]}, "
                      f'"findings": [\n   {found}\n  ]}}')
    return head[:-2] + ',\n "pages": {\n' + ",\n".join(blocks) + "\n }\n}\n"


def record() -> dict[str, Any]:
    data = scan()
    RECORDED.parent.mkdir(parents=True, exist_ok=True)
    RECORDED.write_text(dumps(data), "utf-8")
    return data


if __name__ == "__main__":
    for name in [k for k in os.environ if k.startswith("ELDERSCAN_")]:
        if name != "ELDERSCAN_CHROMIUM":  # as the tests run: the defaults, not a developer's
            del os.environ[name]
    if len(sys.argv) > 1:
        raise SystemExit("usage: python -m tests.corpus_findings (no arguments)")
    written = record()
    findings = sum(len(p["findings"]) for p in written["pages"].values())
    print(f"recorded {RECORDED}: {len(written['pages'])} pages, {findings} findings")
