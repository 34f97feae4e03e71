"""The body of `POST /batches`: JSON (an object, or just the list of sites) or an uploaded
CSV/XLSX list read by `elderscan.sitelist`, as a validated `BatchCreate` or a 4xx naming what is
wrong (for an upload, by the file's line)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from elderscan.api.context import ctx
from elderscan.api.errors import (
    ApiError,
    Phrase,
    field_where,
    form_refusal,
    refused_field,
    validation_details,
)
from elderscan.api.lang import choose, scope_lang
from elderscan.api.schemas import BatchCreate
from elderscan.i18n import Lang, text
from elderscan.sitelist import SiteListError, as_api_details, parse
from elderscan.terminal_lang import json_place_phrase

BATCH_BODY: dict[str, Any] = {
    "required": True,
    "description": "JSON (an object with name, sites and options, or just the list of "
    "sites), or a multipart/form-data upload of a CSV or XLSX file with columns name,url,"
    "category,region and the form fields name, max_pages, max_depth, viewport.",
    "content": {
        "application/json": {"schema": {"anyOf": [
            {"$ref": "#/components/schemas/BatchCreate"},
            {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/SiteIn"}},
        ]}},
        "multipart/form-data": {"schema": {"$ref": "#/components/schemas/BatchUpload"}},
    },
}
"""The OpenAPI request body of `POST /batches`: its handler reads the request itself, so
FastAPI cannot describe it."""


async def read_batch_body(request: Request) -> BatchCreate:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        raw = await request.body()
        try:
            data: Any = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ApiError(422, "invalid_request", details=[
                {"loc": ["body"], "msg": "not JSON", "type": "json_invalid"}], key="api.not-json",
                values={"detail": _not_json(exc)}) from exc
        if isinstance(data, list):
            data = {"sites": data}
        _check_count(data.get("sites") if isinstance(data, dict) else None, request)
        try:
            return BatchCreate.model_validate(data)
        except ValidationError as exc:
            errors = list(exc.errors())
            details = validation_details(errors)
            for d in details:
                d["loc"] = ["body", *d["loc"]]
            raise ApiError(422, "invalid_request", _first(details, errors, scope_lang(
                request.scope)), details) from exc
    if media == "multipart/form-data":
        return await _read_upload(request)
    raise ApiError(415, "unsupported_media_type", key="api.media-type")


def _not_json(exc: BaseException) -> object:
    """Where the body stopped being JSON, or that it nests too deeply, said in the request's
    language (Python's own words are English)."""
    if isinstance(exc, RecursionError):
        return Phrase("api.json-too-deep")
    place = json_place_phrase(exc)
    return Phrase(*place) if place else str(exc)


def _check_count(sites: Any, request: Request) -> None:
    cap = ctx(request).settings.MAX_BATCH_SITES
    if isinstance(sites, list) and len(sites) > cap:
        raise ApiError(413, "too_large", key="api.too-many-sites",
                       values={"n": len(sites), "cap": cap})


def _first(details: list[dict[str, Any]], errors: list[Any], lang: Lang) -> str:
    """The first refused field (where it is in the body or the file, why in `lang`)."""
    if not details:
        return text("api.status.422", lang)
    where = field_where(details[0], lang)
    more = text("api.invalid.more", lang, n=len(details) - 1) if len(details) > 1 else ""
    return refused_field(where, errors[0], lang) + more


async def _read_upload(request: Request) -> BatchCreate:
    try:
        form = await request.form(max_files=1, max_fields=10)
    except ApiError:
        raise
    except Exception as exc:
        if getattr(exc, "status_code", None) == 413:
            raise
        why = form_refusal(str(getattr(exc, "detail", "") or exc)) or Phrase("api.form.broken")
        raise ApiError(400, "bad_request", key="api.bad-form", values={"detail": why}) from exc
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(422, "invalid_request", details=[
            {"loc": ["body", "file"], "msg": "a CSV or XLSX file is required",
             "type": "missing"}], key="api.file-required")
    data = await upload.read()
    lang = choose(request.url.query, request.headers.get("accept-language", ""))
    sites = await run_in_threadpool(parse, data, upload.filename or "sites.csv")
    _check_count(sites.rows, request)
    if not sites.ok:
        details = as_api_details(sites.all_problems, lang)
        raise ApiError(422, "invalid_request", str(SiteListError(sites, lang)).splitlines()[0],
                       details)
    fields: dict[str, Any] = {k: v for k, v in form.items()
                              if k in ("name", "max_pages", "max_depth", "viewport")
                              and isinstance(v, str) and v.strip()}
    options = {k: fields.pop(k) for k in ("max_pages", "max_depth", "viewport") if k in fields}
    rows = [r.fields() for r in sites.good]
    lines = [r.line for r in sites.good]
    try:
        return BatchCreate.model_validate({**fields, "sites": rows, "options": options})
    except ValidationError as exc:
        errors = list(exc.errors())
        details = validation_details(errors)
        for d in details:
            loc = d["loc"]
            if len(loc) >= 2 and loc[0] == "sites" and isinstance(loc[1], int):
                d["loc"] = ["body", "file", f"line {lines[loc[1]]}", *loc[2:]]
            else:
                d["loc"] = ["body", *loc]
        raise ApiError(422, "invalid_request", _first(details, errors, lang), details) from exc
