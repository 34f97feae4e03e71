"""One JSON shape for every error the API returns, and the handlers that produce it.

    {"error": "not_found", "message": "no scan 12", "details": null}

`error` is a stable code a client can branch on; `message` is for people, in the request's
language (`?lang=`, else Accept-Language: see `api/lang.py`; phrases from the catalogue's
`api.*`); `details` lists field-level problems (validation errors, bad CSV lines, refused site
addresses).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from elderscan.api.lang import scope_lang
from elderscan.errors import Phrased
from elderscan.i18n import COLON, SEMICOLON, Lang, has, text
from elderscan.netguard import AddressRefused
from elderscan.terminal_lang import field_reason

log = logging.getLogger("elderscan.api")
_STATUSES = frozenset(s.value for s in HTTPStatus)


class ErrorDetail(BaseModel):
    loc: list[str | int] = Field(description="where: e.g. [\"body\", \"options\", \"max_pages\"]")
    msg: str
    type: str


class ErrorBody(BaseModel):
    error: str = Field(description="stable code: unauthorized, forbidden, not_found, "
                       "invalid_request, address_refused, too_large, conflict, unavailable, …")
    message: str
    details: list[ErrorDetail] | None = None

    model_config = {"json_schema_extra": {"examples": [
        {"error": "address_refused", "message": "refused to scan this address: 127.0.0.1 is a "
         "loopback address (…)",
         "details": None}]}}


@dataclass(frozen=True)
class Phrase:
    """A value of an error message that is itself a catalogue phrase (a role's name, where a
    body stopped being JSON), said in the same language as the message."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def said_in(value: object, lang: Lang) -> object:
    """A message's value in `lang`: a Phrase, or an error that says itself (a phrased
    validator's refusal, the address guard's, another ApiError's); anything else as it is."""
    if isinstance(value, Phrase):
        return text(value.key, lang, **value.values)
    if isinstance(value, Phrased | AddressRefused | ApiError):
        return value.said(lang)
    return value


class ApiError(StarletteHTTPException):
    """An error with a code, raised anywhere in a request; rendered as ErrorBody. With a
    catalogue `key` (and `values`), the message is said in the request's language, and its
    English (`message`, what logs show) is derived from the phrase; without one, `message` is
    the words, already in the request's language."""

    def __init__(self, status: int, code: str, message: str | None = None,
                 details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, *, key: str | None = None,
                 values: dict[str, object] | None = None) -> None:
        if message is None:
            if key is None:
                raise TypeError("an ApiError needs a message or a catalogue key")
            message = phrase_said(key, values or {}, "en")
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code
        self.message = message
        self.details = details
        self.key = key
        self.values = values or {}

    def said(self, lang: Lang) -> str:
        return phrase_said(self.key, self.values, lang) if self.key else self.message


def phrase_said(key: str, values: Mapping[str, object], lang: Lang) -> str:
    """A catalogue phrase with its values, each said in `lang` too (`said_in`): an error's
    message, or its English fallback."""
    return text(key, lang, **{k: said_in(v, lang) for k, v in values.items()})


def not_found(exc: Phrased) -> ApiError:
    """404 for a store's NotFound, said in the request's language."""
    return ApiError(404, "not_found", key=exc.key, values=exc.values)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 406: "not_acceptable", 408: "timeout", 409: "conflict",
          413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
          429: "too_many_requests", 500: "internal", 503: "unavailable"}


def error_response(status: int, code: str, message: str,
                   details: list[dict[str, Any]] | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": code, "message": message, "details": details}
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


def _clean_loc(loc: Any) -> list[str | int]:
    return [p if isinstance(p, int) else str(p) for p in (loc or ())]


def validation_details(errors: Any) -> list[dict[str, Any]]:
    """pydantic errors as ErrorDetail dicts: no echoed input, nothing unserialisable."""
    return [{"loc": _clean_loc(e.get("loc")), "msg": str(e.get("msg", "")),
             "type": str(e.get("type", "value_error"))} for e in errors]


def refused_field(where: str, error: Any, lang: Lang) -> str:
    """`where: why` for one of pydantic's errors, why said in `lang` (the details keep
    pydantic's English wording, for scripts)."""
    return f"{where}{COLON[lang]}{field_reason(error, lang)}"


def field_where(detail: dict[str, Any], lang: Lang) -> str:
    """A field by its path below the body (`options.max_pages`, `query.limit`); the body
    itself in words (JSON that does not parse is placed by a character offset, not a field)."""
    loc = [] if detail["type"] == "json_invalid" else detail["loc"]
    return ".".join(str(p) for p in loc if p != "body") or text("api.where.body", lang)


def _summary(errors: list[Any], lang: Lang = "en") -> str:
    """The first field problems, named by where they are."""
    details = validation_details(errors)
    parts = [refused_field(field_where(d, lang), error, lang)
             for d, error in zip(details[:3], errors, strict=False)]
    more = text("api.invalid.more", lang, n=len(details) - 3) if len(details) > 3 else ""
    return text("api.invalid", lang, summary=SEMICOLON[lang].join(parts) + more)


def form_refusal(said: str) -> Phrase | None:
    """Why Starlette's multipart parser refused a form, or None for a refusal that is not the
    parser's. Its words are English, so they are only read for the limit that was met and the
    number they end with ("Too many fields. Maximum number of fields is 10.")."""
    limit = said.rstrip(".").rsplit(" ", 1)[-1]
    if said.startswith("Too many files") and limit.isdigit():
        return Phrase("api.form.files", {"max": int(limit)})
    if said.startswith("Too many fields") and limit.isdigit():
        return Phrase("api.form.fields", {"max": int(limit)})
    if "exceeded maximum size" in said:
        return Phrase("api.form.part-size")
    if "multipart" in said or "Content-Disposition" in said:
        return Phrase("api.form.broken")
    return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = scope_lang(request.scope)
        if isinstance(exc, ApiError):
            return error_response(exc.status_code, exc.code, exc.said(lang), exc.details,
                                  exc.headers)
        key = f"api.status.{exc.status_code}"
        phrase = text(key if has(key) else "api.status.other", lang)
        generic = {HTTPStatus(exc.status_code).phrase} if exc.status_code in _STATUSES else set()
        # Starlette's own detail is its status phrase (English): say it in `lang` instead
        message = (exc.detail if isinstance(exc.detail, str) and exc.detail not in generic
                   else phrase)
        if exc.status_code == 400 and isinstance(exc.detail, str):  # a form of a dashboard page
            refusal = form_refusal(exc.detail)
            if refusal is not None:
                message = text("api.bad-form", lang, detail=said_in(refusal, lang))
        code = _CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, message, None, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        return error_response(422, "invalid_request", _summary(errors, scope_lang(request.scope)),
                              validation_details(errors))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error in %s %s", request.method, request.url.path)
        return error_response(500, "internal", text("api.internal", scope_lang(request.scope)))


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries with the ErrorBody model, for a route decorator."""
    text = {400: "Malformed request", 401: "Missing or unknown token",
            403: "The token's role may not do this", 404: "No such id",
            408: "The request body did not arrive in time", 409: "Conflict with the current state",
            413: "Request too large",
            422: "Invalid input (details per field)", 503: "Service unavailable"}
    return {s: {"model": ErrorBody, "description": text.get(s, "Error")} for s in statuses}
