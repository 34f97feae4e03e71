"""The `json` report: the result contract itself, as `--json` writes it."""

from __future__ import annotations

from elderscan.reports.digest import Lang
from elderscan.reports.source import ReportSource
from elderscan.result import json_bytes


def render(source: ReportSource, lang: Lang = "zh") -> bytes:
    return json_bytes(source.report.to_json_dict())
