"""ASGI middleware: the request body's size cap (413) and time limit (408), and security
headers on every response."""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from elderscan.api.errors import ApiError
from elderscan.api.lang import scope_lang
from elderscan.i18n import Lang, text


class BodyTooLarge(ApiError):
    """Raised from `receive` when a streamed body passes the cap. An HTTPException, so
    FastAPI's body parsing lets it through and the error handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "too_large", key="api.body-too-large", values={"limit": limit})


class BodyTimeout(ApiError):
    """Raised from `receive` when the body has not fully arrived in time (a client that sends
    its headers and then stalls or trickles holds a connection and a worker); answered 408, and
    the connection is closed, since the rest of the body may still be on its way."""

    def __init__(self, seconds: float, lang: Lang) -> None:
        super().__init__(408, "timeout", text("err.body-timeout", lang, seconds=f"{seconds:g}"),
                         headers={"Connection": "close"})


def _json(status: int, code: str, message: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps({"error": code, "message": message, "details": None},
                      ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    if status == 408:
        headers.append((b"connection", b"close"))
    return body, headers


class BodyLimit:
    """Refuse bodies over `limit` bytes (at once from Content-Length, else while streaming) and
    bodies not complete `timeout` seconds after the request began."""

    def __init__(self, app: ASGIApp, limit: int, timeout: float) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                await self._answer(send, 400, "bad_request",
                                   text("api.bad-content-length", scope_lang(scope)))
                return
            if declared > self.limit:
                await self._answer(send, 413, "too_large",
                                   BodyTooLarge(self.limit).said(scope_lang(scope)))
                return
        received = 0
        started = False
        complete = False
        deadline = asyncio.get_running_loop().time() + self.timeout

        async def limited() -> Message:
            nonlocal received, complete
            if complete:  # waiting for a disconnect now, not for the body: no time limit
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(self.timeout, scope_lang(scope)) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
                complete = not message.get("more_body", False)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracked)
        except BodyTooLarge as exc:
            if started:
                raise
            await self._answer(send, 413, "too_large", exc.said(scope_lang(scope)))
        except BodyTimeout as exc:
            if started:
                raise
            await self._answer(send, 408, exc.code, exc.message)

    @staticmethod
    async def _answer(send: Send, status: int, code: str, message: str) -> None:
        body, headers = _json(status, code, message)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """`nosniff` everywhere (a JSON body holding page text is never sniffed as HTML), and a
    no-script CSP on the API's own responses (the Swagger page at /docs needs its scripts)."""

    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self.app = app
        self.prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = str(scope.get("path", "")).startswith(self.prefix)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((b"x-content-type-options", b"nosniff"))
                has_csp = any(k.lower() == b"content-security-policy" for k, _ in headers)
                if api and not has_csp:  # a route that set its own (the HTML report) keeps it
                    headers.append((b"content-security-policy",
                                    b"default-src 'none'; frame-ancestors 'none'"))
                if api and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))  # unless a route chose
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
