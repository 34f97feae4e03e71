"""Reading a result back: from a file or the store, with what the API lays over it taken off."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic import ValidationError

from elderscan.contract.report import ScanReport
from elderscan.errors import UsageError
from elderscan.terminal_lang import field_reason, say

OVERLAY_FIELDS = ("finding_id", "decision")
"""What the API lays over a stored result's `review` findings when it is read (a person's
decision, `elderscan.api.reviews`); a result saved from the API reads as the engine wrote it."""


def _without_overlay(data: Any) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
        return data
    pages = [{**page, "findings": [
        {k: v for k, v in f.items() if k not in OVERLAY_FIELDS} if isinstance(f, dict) else f
        for f in page["findings"]]}
        if isinstance(page, dict) and isinstance(page.get("findings"), list) else page
        for page in data["pages"]]
    return {**data, "pages": pages}


def parse_report(data: Any, label: str) -> ScanReport:
    """A result read from a file, or UsageError naming `label` ("result.json is not …") and
    the first field that is wrong."""
    data = _without_overlay(data)
    try:
        return ScanReport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(say("err.field", what=label, field=where,
                             reason=field_reason(first))) from exc


def load_schema() -> dict[str, Any]:
    text = resources.files("elderscan").joinpath("schemas/scan-result.v1.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
