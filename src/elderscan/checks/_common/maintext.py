"""Main-content text: what the text-size rules and the elder-mode verdict measure."""

from __future__ import annotations

from elderscan.capture import TextRun

MAIN_LANDMARKS = {None, "main"}


def main_runs(runs: list[TextRun]) -> list[TextRun]:
    """Main-content text: outside header, nav, footer and aside, when the page marks them."""
    inside = [r for r in runs if r.landmark in MAIN_LANDMARKS]
    return inside or runs
