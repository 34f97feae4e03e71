"""The `json` report: the result contract itself, as `--json` writes it."""

from __future__ import annotations

from elderscan.reports.digest import Lang
from elderscan.reports.source import ReportSource


def render(source: ReportSource, lang: Lang = "zh") -> bytes:
    return b"".join(source.report.json_chunks())
