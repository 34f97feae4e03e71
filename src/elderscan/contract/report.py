"""The result's models: what a scan writes and users' scripts parse (schema version 1).

Fields are only ever added; `schemas/scan-result.v1.json` is the published schema and the tests
validate every result written against it. `score`, `elder_mode` and `voice` stay absent until
the checks that measure them exist: absent, never invented.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticSerializationError

from elderscan.capture import GuardLog, Skipped
from elderscan.contract.sections import ElderMode, Score, Version, Voice
from elderscan.finding import Finding
from elderscan.shelf import Shelf

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class PageResult(_Model):
    url: str
    final_url: str | None
    http_status: int | None
    mode: Literal["standard", "elder"]
    viewport: Literal["desktop", "mobile"]
    title: str | None
    screenshot: str | None
    metrics: dict[str, Any] = Field(description="a `PageMetrics`; empty for a page that failed")
    findings: list[Finding]
    lang: str | None = None
    warnings: list[str] = Field(default_factory=list)
    errors: dict[str, str] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    rule_errors: list[dict[str, str]] = Field(
        default_factory=list, description="rules that could not run on this page, and why"
    )
    console_errors: list[str] = Field(
        default_factory=list, description="errors the page's own scripts logged or threw while "
        "it was loaded and probed (up to 100): the page's, never a reason a rule cannot run")


class Engine(_Model):
    elderscan: str
    chromium: str
    axe_core: str
    ruleset: str | None = None
    scoring_model: str | None = None
    browser: str | None = Field(
        default=None, description="the Chromium binary that rendered the pages: "
        "chromium-headless-shell (preferred where installed) or chromium, the full browser")


class ScanFailure(_Model):
    code: str
    message: str


class Summary(_Model):
    pages: int
    fail: int
    review: int
    pass_: int = Field(alias="pass")
    failed_pages: int = 0
    skipped: int = 0


class ScanReport(_Model):
    schema_version: str = SCHEMA_VERSION
    target: str
    started_at: str
    finished_at: str
    status: Literal["ok", "partial", "failed"]
    error: ScanFailure | None
    engine: Engine
    score: Score | None = None
    elder_mode: ElderMode | None = None
    voice: Voice | None = None
    pages: Shelf[PageResult]
    summary: Summary
    skipped: list[Skipped] = Field(default_factory=list)
    guard: GuardLog | None = Field(
        default=None, description="connections the address guard refused; only when it was on")
    versions: list[Version] | None = Field(
        default=None, description="language, 繁體 and 简洁版 versions found on the start page; "
        "only when the version probe ran")

    def to_json_dict(self, *, pages: bool = True) -> dict[str, Any]:
        data = self.model_dump(mode="json", by_alias=True,
                               exclude=None if pages else {"pages"})
        for key in ("score", "elder_mode", "voice", "guard", "versions"):
            if data.get(key) is None:
                data.pop(key, None)
        return data

    def json_chunks(self) -> Iterator[bytes]:
        """`json_bytes(self.to_json_dict())`, a page at a time: the whole result as Python
        objects is ~70× its compressed pages. The same JSON value, and the same text but for
        how a number under 10⁻⁴ is spelt (`0.00001`, not `1e-05`: see `_page_bytes`)."""
        mark = f"\x00{uuid.uuid4().hex}"
        rest = self.to_json_dict(pages=False)
        data = {k: mark if k == "pages" else rest[k] for k in ScanReport.model_fields
                if k in rest or k == "pages"}
        head, tail = json_bytes(data).split(json_bytes(mark))
        yield head
        if not self.pages:
            yield b"[]"
        for n, page in enumerate(self.pages):
            text = _page_bytes(page).replace(b"\n", b"\n    ")
            yield (b"[\n    " if n == 0 else b",\n    ") + text
        if self.pages:
            yield b"\n  ]"
        yield tail

    def write_json(self, path: Path) -> None:
        with path.open("wb") as out:
            out.writelines(self.json_chunks())


def _page_bytes(page: PageResult) -> bytes:
    """One page as `json_bytes` writes it, by pydantic-core: `json.dumps` with an indent runs
    its pure-Python encoder (the C one takes no indent), 9.5 ms a page of a 50-page corpus
    scan's `--json` against 1.7 ms. A page holding a lone surrogate, which pydantic-core cannot
    write, goes the slow way."""
    try:
        return page.model_dump_json(indent=2).encode("utf-8")
    except PydanticSerializationError:
        return json_bytes(page.model_dump(mode="json"))


def json_bytes(data: Any) -> bytes:
    """UTF-8 JSON that survives a lone surrogate in page text (a JS string cut between the two
    halves of an emoji): it is written as the JSON escape `\\udxxx`, which reads back as-is."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8", "backslashreplace")
