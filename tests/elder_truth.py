"""The elder-mode candidates a truth file expects, checked against a scan's `elder_mode`."""

from __future__ import annotations

from typing import Any


def assert_candidates(elder: dict[str, Any], truth: dict[str, Any]) -> None:
    """Every candidate the truth lists, in its order (best first), tried or not as it says,
    with the phrases its reason (and outcome) must contain; the entry and vendor as expected."""
    want = truth.get("candidates")
    if want is None:
        return
    got = elder["candidates"]
    assert [c["text"] for c in got] == [c["text"] for c in want], got
    for have, expect in zip(got, want, strict=True):
        where = f"{expect['text']}: {have['reason']} | {have['outcome']}"
        assert (have["how"], have["result"], have["role"]) == (
            expect["how"], expect["result"], expect["role"]), where
        if expect["selector"].startswith("#"):
            assert have["selector"] == expect["selector"], where
        for phrase in expect["reason_contains"]:
            assert phrase in have["reason"], where
        for phrase in expect.get("outcome_contains", []):
            assert phrase in have["outcome"], where
    entry = elder["entry"] or {}
    assert truth["entry_text"] in (entry.get("text") or ""), entry
    if truth["entry_selector"].startswith("#"):
        assert entry.get("selector") == truth["entry_selector"], entry
    if "vendor" in truth:
        assert elder["toolbar_vendor"] == truth["vendor"], elder
    if truth["kind"] == "broken":
        assert elder["failure"], elder
