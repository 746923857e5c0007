"""Pure ASGI middleware: CORS and security headers on every response, and a cap on request
bodies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.views.pages import CONTENT_SECURITY_POLICY
from openforum_ld.web.errors import problem_response
from openforum_ld.web.jobs import Problem

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

_CORS = [
    (b"access-control-allow-origin", b"*"),
    (
        b"access-control-expose-headers",
        b"ETag, Link, Location, X-Openforum-Truncated, X-Openforum-Row-Limit, X-Openforum-Offered",
    ),
]
_SECURITY = [
    (b"content-security-policy", f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'".encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
_EVERY_RESPONSE = [*_CORS, *_SECURITY]
_PREFLIGHT = [
    *_CORS,
    (b"access-control-allow-methods", b"GET, HEAD, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Accept, Accept-Language, Content-Type, If-None-Match"),
    (b"access-control-max-age", b"86400"),
    (b"content-length", b"0"),
]


def every_response_headers(license: str | None) -> list[tuple[bytes, bytes]]:
    """The headers every response carries: CORS, security, and the licence when there is one."""
    headers = list(_EVERY_RESPONSE)
    if license:
        headers.append((b"link", f'<{license}>; rel="license"'.encode()))
    return headers


class ResponseHeadersMiddleware:
    """`Access-Control-Allow-Origin: *` on every response, errors included, never with
    credentials, and the security headers; preflight requests are answered here. With a
    `license`, every response names it in a `Link` header: the licence travels with each
    document, dump and result, not only with the catalog."""

    def __init__(self, app: ASGIApp, license: str | None = None) -> None:
        self.app = app
        self.every_response = every_response_headers(license)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in dict(
            scope["headers"]
        ):
            await send(
                {"type": "http.response.start", "status": 204, "headers": [*_PREFLIGHT, *_SECURITY]}
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A new message, not the one passed in: the front cache keeps that one as the
                # application made it, and these headers go on each time it is sent.
                message = {
                    **message,
                    "headers": [*message.get("headers", []), *self.every_response],
                }
            await send(message)

        await self.app(scope, receive, send_with_cors)


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLargeError:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
        problem = Problem(
            413,
            "Request body too large",
            f"Requests may carry at most {self.limit:,} bytes.",
        )
        await problem_response(problem, accept)(scope, receive, send)


class _BodyTooLargeError(Exception):
    pass
