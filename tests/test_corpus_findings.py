"""A scan of the benchmark corpus finds what it found before the speed work: the same pages, the
same findings in the same order, the same elder-mode and read-aloud verdicts and score
(tests/corpus_findings.py says what is kept and how to record it again)."""

from __future__ import annotations

import pytest
from tests.corpus_findings import (
    CONCURRENCY,
    PAGES,
    RECORDED,
    SEED,
    differences,
    dumps,
    load,
    report,
    scan,
)


@pytest.mark.browser
def test_a_live_scan_finds_what_the_recording_found() -> None:
    recorded = load()
    assert recorded["corpus"] == {"pages": PAGES, "seed": SEED, "max_depth": 1,
                                  "concurrency": CONCURRENCY}, recorded["corpus"]
    changed = differences(recorded, scan())
    if changed:  # the readable difference alone, not pytest's dump of the list as well
        pytest.fail(
            f"a scan of the {PAGES}-page corpus no longer finds what {RECORDED.name} recorded "
            f"(- recorded, + now, #n the finding's place in its page):\n{report(changed)}\n"
            "If the change is meant to change findings, record again with "
            "`python -m tests.corpus_findings` and read the file's diff before committing it.",
            pytrace=False)


def test_the_file_is_written_as_it_is_read() -> None:
    """The one-finding-a-line writer gives back the snapshot it was given, so recording again
    changes only what the scan changed."""
    recorded = load()
    assert RECORDED.read_text("utf-8") == dumps(recorded)


def test_a_lost_finding_is_named_with_its_page() -> None:
    """The difference a failure prints: the page, the finding gone and the verdict changed,
    not a dump of the whole snapshot."""
    recorded = load()
    live = load()
    key = next(iter(live["pages"]))
    lost = live["pages"][key]["findings"].pop(1)
    live["site"]["voice"]["functional"] = False
    count = len(recorded["pages"][key]["findings"])
    assert differences(recorded, live) == [
        "site.voice.functional: True → False",
        f"page {key}: {count} findings → {count - 1}",
        f"  - #1 {lost['rule']} {lost['outcome']} @{lost['place']} value={lost['value']!r} "
        f"threshold={lost['threshold']!r} “{lost['message']}”",
    ]
