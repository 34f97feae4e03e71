"""The json report is the contract, byte for byte what `--json` writes, whatever the page text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from elderscan.contract import load_schema
from elderscan.reports import ReportSource, load_report_file
from elderscan.reports.contract import render
from elderscan.reports.html import render as render_html

from .variants import CONTROL_TITLE, with_hostile_cells


def test_json_report_is_the_contract_and_round_trips(source: ReportSource,
                                                     tmp_path: Path) -> None:
    hostile = with_hostile_cells(source)
    body = render(hostile)
    data = json.loads(body)
    jsonschema.validate(data, load_schema())
    assert data["pages"][1]["title"] == CONTROL_TITLE  # lone surrogate kept, as a JSON escape
    path = tmp_path / "result.json"
    hostile.report.write_json(path)
    assert path.read_bytes() == body
    again = load_report_file(path, source.screenshots_root)
    assert again.report.to_json_dict() == hostile.report.to_json_dict()
    assert render_html(again, "zh")  # and the HTML report renders it
