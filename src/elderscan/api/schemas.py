"""Request and response bodies of the API (the OpenAPI schema is generated from these).

Read responses reuse the store's views (`SiteOut`, `HistoryPoint`, `BatchProgress`,
`RankingRow`, `Comparison`) so the API and the store cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from elderscan.api.settings import ABSOLUTE_MAX_BATCH_SITES, ABSOLUTE_MAX_DEPTH, ABSOLUTE_MAX_PAGES
from elderscan.errors import PhrasedValueError
from elderscan.store.reviews import ReviewedScore
from elderscan.store.views import BatchProgress, HistoryPoint, RankingRow

MAX_ID = 9_223_372_036_854_775_807
"""Largest id (BIGINT); a larger one in a path is a 422, not a database overflow."""


def clean_text(value: str) -> str:
    """Text the databases can store: valid Unicode (no lone surrogates), no NUL or other C0
    control characters but tab."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PhrasedValueError("text.not_unicode") from exc
    if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in value):
        raise PhrasedValueError("text.control")
    return value


_Clean = AfterValidator(clean_text)
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), _Clean]
BatchName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=200), _Clean]
Region = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), _Clean]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50),
                _Clean]


Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
                _Clean, Field(
                    description="http(s) address of the site (a bare host gets https://)",
                    examples=["https://www.example.gov.cn/"])]
Category = Literal["gov", "bank", "other"]
Viewport = Literal["desktop", "mobile", "both"]
Tags = Annotated[list[Tag], Field(max_length=20)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScanOptions(_In):
    """What a request may choose about a scan; everything else comes from the service's
    settings. The service's `ELDERSCAN_API_MAX_PAGES` caps `max_pages` (422 above it)."""

    max_pages: int | None = Field(None, ge=1, le=ABSOLUTE_MAX_PAGES,
                                  description="pages (URLs) captured [service default: 10]")
    max_depth: int | None = Field(None, ge=0, le=ABSOLUTE_MAX_DEPTH,
                                  description="link hops from the start page [3]")
    viewport: Viewport | None = Field(None, description="desktop, mobile or both [desktop]")


class ScanCreate(_In):
    url: Url
    name: Name | None = Field(None, description="site name; kept as stored if omitted")
    category: Category | None = None
    region: Region | None = None
    tags: Tags | None = None
    options: ScanOptions = Field(default_factory=ScanOptions)

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"url": "https://www.example.gov.cn/", "name": "某市人民政府", "category": "gov",
         "region": "某省", "options": {"max_pages": 10, "viewport": "both"}}]})


class ScanAccepted(BaseModel):
    id: int = Field(description="the scan's id: poll GET /api/v1/scans/{id}")
    site_id: int
    status: str = Field(description="queued (or the state of the scan an idempotency key "
                        "already created)")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": 12, "site_id": 3, "status": "queued"}]})


class ScanError(BaseModel):
    code: str = Field(description="dns, connect, tls, timeout, http, blocked, attempts, …")
    message: str | None


class ScanScore(BaseModel):
    total: float | None = Field(description="0–100; null when it could not be computed")
    grade: str | None
    passed: bool | None
    dimensions: dict[str, float | None]
    vetoes: list[dict[str, Any]]
    scoring_model: str | None


class ScanOut(BaseModel):
    """A scan: where it is, and once done its score and the whole result."""

    id: int
    site_id: int
    batch_id: int | None
    status: Literal["queued", "running", "done", "failed"]
    target: str
    options: dict[str, Any] = Field(description="the options the request chose")
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: dict[str, Any] | None = Field(
        description="while running: e.g. {\"pages_done\": 3, \"pages_total\": 10}")
    result_status: Literal["ok", "partial", "failed"] | None = Field(
        description="the result's status: partial when some pages failed")
    error: ScanError | None
    score: ScanScore | None
    result: dict[str, Any] | None = Field(
        description="the scan result contract v1 (schemas/scan-result.v1.json), as "
        "`elderscan scan --json` writes it; null until the scan is finished. Page text in it "
        "is data: escape it before putting it in HTML. Each finding with outcome `review` "
        "also carries `finding_id` and `decision` (a person's confirm or waive, null if "
        "undecided), laid over the stored result when it is read")
    review: ReviewedScore | None = Field(None, description=(
        "once done: counts and score after human review, beside the engine's score"))

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 12, "site_id": 3, "batch_id": None, "status": "done",
        "target": "https://www.example.gov.cn/", "options": {"max_pages": 10},
        "attempts": 1, "created_at": "2026-11-24T08:00:00Z",
        "started_at": "2026-11-24T08:00:01Z", "finished_at": "2026-11-24T08:01:30Z",
        "progress": None, "result_status": "ok", "error": None,
        "score": {"total": 71.5, "grade": "C", "passed": True,
                  "dimensions": {"elder_mode": 80, "font": 65, "contrast": 70, "voice": 60,
                                 "ads": 100, "accessibility": 74},
                  "vetoes": [], "scoring_model": "elderscan-score-1"},
        "result": {"schema_version": "1", "status": "ok", "score": {"total": 71.5}}}]})


class SiteIn(_In):
    url: Url
    name: Name | None = None
    category: Category | None = None
    region: Region | None = None
    tags: Tags | None = None


class BatchCreate(_In):
    name: BatchName = Field(
        "api", description="the audit's name: posting the same name again starts its next "
        "round, so history per site shows round after round")
    sites: list[SiteIn] = Field(min_length=1, max_length=ABSOLUTE_MAX_BATCH_SITES)
    options: ScanOptions = Field(default_factory=ScanOptions)

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "2026 Q4 省级政府网站",
        "sites": [{"name": "某省人民政府", "url": "https://www.example.gov.cn/",
                   "category": "gov", "region": "某省"},
                  {"name": "某银行", "url": "https://www.example-bank.com.cn/",
                   "category": "bank", "region": "某省"}],
        "options": {"max_pages": 5}}]})


class BatchUpload(BaseModel):
    """multipart/form-data: a CSV file plus the batch's name and options as form fields."""

    file: bytes = Field(json_schema_extra={"format": "binary"}, description=(
        "CSV, UTF-8 (with or without BOM) or GB18030/GBK, or XLSX (first sheet); columns "
        "name,url,category,region,tags (a header row names them, in any order; 名称,网址,类别,"
        "地区,标签 work too). Every bad row is listed in the 422's details"))
    name: str = Field("api", max_length=200)
    max_pages: int | None = Field(None, ge=1, le=ABSOLUTE_MAX_PAGES)
    max_depth: int | None = Field(None, ge=0, le=ABSOLUTE_MAX_DEPTH)
    viewport: Viewport | None = None


class BatchAccepted(BaseModel):
    id: int
    name: str
    round: int = Field(description="1 for a new name, then 2, 3 … each time it is posted")
    total: int = Field(description="scans queued (one per distinct site)")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": 4, "name": "2026 Q4 省级政府网站", "round": 2, "total": 2}]})


class BatchOut(BaseModel):
    progress: BatchProgress
    ranking: list[RankingRow] = Field(
        description="every site of the round: scored ones best first (ties share a rank), "
        "then failed and unfinished ones, unranked, with `status` and `reason` (paginated "
        "with ranking_limit/ranking_offset, filtered by category/region)")


class History(BaseModel):
    site_id: int
    items: list[HistoryPoint] = Field(description="finished scans, oldest first")


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str = Field(description="the database backend: sqlite or postgresql")
    schema_revision: str | None
    runner: Literal["local", "celery"]
    public_reads: bool
