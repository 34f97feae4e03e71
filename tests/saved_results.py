"""Results of real scans kept as files (tests/saved_results/<name>/: result.json, shots/), so that
tests which only read a result (reports, dashboard pages) need no browser.

`test_saved_results.py` scans each site again in Chromium and fails when the live result no longer
agrees with the file; `python -m tests.saved_results` then writes the files anew.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURE_SITES, ROOT, TEST_SITES, settings

from elderscan.devserver import SiteServer
from elderscan.reports import ReportSource
from elderscan.reports.source import load_report_file

RECORDED = Path(__file__).resolve().parent / "saved_results"
PAIR = ROOT / "fixtures" / "compare"
VERSIONS = ROOT / "fixtures" / "versions"


@dataclass(frozen=True)
class Recording:
    site: Path
    options: dict[str, Any]
    shots: bool = False
    """Whether screenshots are kept (which also changes which pages are shot)."""
    start: str = ""
    """The start page, relative to the site's root."""
    status: str = "ok"
    """The scan's status (a version page that does not load leaves it `partial`)."""
    lang_site: bool = False
    """A lang-* site of fixtures/versions/, served as `tests/langsites.py` serves it (its pages
    name the origin of its English version, served beside it)."""


RECORDINGS = {
    "report": Recording(TEST_SITES / "report", {"max_pages": 2, "probes": True}, shots=True),
    "compare-before": Recording(PAIR / "before", {"max_pages": 2}),
    "compare-after": Recording(PAIR / "after", {"max_pages": 2}),
    "gov-image-text": Recording(FIXTURE_SITES / "gov-image-text", {"max_pages": 1}),
    "fixhelp": Recording(ROOT / "fixtures" / "fixhelp", {"max_pages": 1}, start="index.html"),
    "lang-tibet-broken": Recording(VERSIONS / "lang-tibet-broken", {
        "max_pages": 1, "probe_elder": False, "probe_voice": False, "region": "西藏"},
        status="partial", lang_site=True),
    "lang-trad": Recording(VERSIONS / "lang-trad", {
        "max_pages": 1, "probe_elder": False, "probe_voice": False}, lang_site=True),
}
"""The report test site (tests/sites/report) as its format and dashboard tests scanned it; the
before/after pair of fixtures/compare/ as the comparison tests scanned it; gov-image-text's home
page, whose hero leaves a finding for human review, as the review tests scanned it; the fix-help
page as the dashboard's fix-help tests scanned it; two lang-* sites' home pages (a Tibetan version
that does not load, a traditional Chinese, English and Russian set) as the dashboard's
version tests scanned them."""


def load(name: str, dest: Path | None = None) -> ReportSource:
    """The recorded result, with a copy of its screenshots under `dest` (which a test may
    change freely) when it kept any."""
    shots = RECORDED / name / "shots"
    if dest is None or not shots.is_dir():
        return load_report_file(RECORDED / name / "result.json")
    shutil.copytree(shots, dest)
    return load_report_file(RECORDED / name / "result.json", dest)


def scan_live(name: str, shots: Path) -> ReportSource:
    """The site scanned now, in Chromium, with the recording's options."""
    from elderscan.runner.scan import scan_site

    recording = RECORDINGS[name]
    kept = shots if recording.shots else None
    with _served(recording) as url:
        report = asyncio.run(scan_site(url + recording.start, settings(axe=True,
            screenshots_dir=kept, **recording.options)))
    assert report.status == recording.status, report.error
    return ReportSource(report, kept)


@contextmanager
def _served(recording: Recording) -> Iterator[str]:
    """The recorded site served on loopback: its base URL."""
    if not recording.lang_site:
        with SiteServer(recording.site) as server:
            yield server.url
        return
    from langsites import LangFarm  # tests/ is on the path (see __main__)

    with tempfile.TemporaryDirectory(prefix="elderscan-langsite-") as tmp:
        farm = LangFarm(Path(tmp))
        try:
            yield farm.url(recording.site.name)
        finally:
            farm.close()


_HOST = re.compile(r"http://127\.0\.0\.1:\d+")
_UNSTABLE = ("started_at", "finished_at", "timings", "chromium", "browser")
"""What differs between two scans of the same site: times, the local server's port, the
screenshots' names (only whether a page has one is compared), the browser's version."""


def comparable(source: ReportSource) -> Any:
    """The result without what differs from run to run."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: bool(v) if k == "screenshot" else strip(v) for k, v in value.items()
                    if k not in _UNSTABLE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    text = _HOST.sub("http://127.0.0.1", source.report.model_dump_json())
    return strip(json.loads(text))


def record(name: str) -> None:
    folder = RECORDED / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = scan_live(name, folder / "shots")
    (folder / "result.json").write_text(
        source.report.model_dump_json(indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # as pytest has it: `langsites`
    for wanted in sys.argv[1:] or RECORDINGS:
        record(wanted)
        print(f"recorded {RECORDED / wanted}")
