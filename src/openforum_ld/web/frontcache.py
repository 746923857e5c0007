"""A shared HTTP cache in front of the application, inside each server process.

The data cannot change while a server runs, so a finished response the application marked
`Cache-Control: public` with an ETag can be sent again as it is to the next request for the same
URL that agrees on every header the response's `Vary` names, without routing, negotiating or
building a response object again. This is what a caching proxy in front of the server would
do (RFC 9111, for immutable content), here without a second hop. Conditional requests go to the
application, which answers 304 itself; so do other methods and responses that are not 200.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Request headers that make a request conditional or ask caches to step aside.
_BYPASS = (
    b"if-none-match",
    b"if-modified-since",
    b"if-match",
    b"if-range",
    b"range",
    b"authorization",
)
_LARGEST = 1 << 20  # a larger body (a dump) is streamed by the application every time


@dataclass(frozen=True)
class _Stored:
    vary: tuple[bytes, ...]  # the request headers the response depends on, lower case
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _header_values(scope: Scope, names: tuple[bytes, ...]) -> tuple[bytes, ...]:
    found: dict[bytes, list[bytes]] = {}
    for name, value in scope["headers"]:
        lowered = name.lower()
        if lowered in names:
            found.setdefault(lowered, []).append(value)
    return tuple(b", ".join(found.get(name, ())) for name in names)


def _storable(status: int, headers: list[tuple[bytes, bytes]]) -> tuple[bytes, ...] | None:
    """The Vary names of a response a shared cache may keep, or None."""
    if status != 200:
        return None
    fields = {name.lower(): value for name, value in headers}
    control = fields.get(b"cache-control", b"").lower()
    if b"etag" not in fields or b"public" not in control or b"no-store" in control:
        return None
    if b"set-cookie" in fields or b"content-range" in fields:
        return None
    vary = tuple(
        sorted(
            {part.strip().lower() for part in fields.get(b"vary", b"").split(b",") if part.strip()}
        )
    )
    return None if b"*" in vary else vary


class FrontCache:
    """Finished GET responses by URL and by the values of the request headers they vary on,
    least recently used out first, within a byte budget."""

    def __init__(self, app: ASGIApp, capacity: int) -> None:
        self.app = app
        self.capacity = capacity
        self.size = 0
        # URL -> the Vary names its responses declare and how many variants are stored; the
        # variants by URL and the values of those headers
        self._vary: dict[bytes, tuple[tuple[bytes, ...], int]] = {}
        self._entries: OrderedDict[tuple[bytes, tuple[bytes, ...]], _Stored] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.capacity <= 0
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or any(name.lower() in _BYPASS for name, _ in scope["headers"])
        ):
            await self.app(scope, receive, send)
            return
        url = scope.get("raw_path") or scope["path"].encode()
        url += b"?" + scope.get("query_string", b"")
        known = self._vary.get(url)
        if known is not None:
            key = (url, _header_values(scope, known[0]))
            stored = self._entries.get(key)
            if stored is not None:
                self._entries.move_to_end(key)
                await send(
                    {"type": "http.response.start", "status": 200, "headers": stored.headers}
                )
                body = b"" if scope["method"] == "HEAD" else stored.body
                await send({"type": "http.response.body", "body": body})
                return
        if scope["method"] == "HEAD":  # no body to keep: let the application answer
            await self.app(scope, receive, send)
            return
        await self._answer_and_keep(url, scope, receive, send)

    async def _answer_and_keep(
        self, url: bytes, scope: Scope, receive: Receive, send: Send
    ) -> None:
        start: Message | None = None
        vary: tuple[bytes, ...] | None = None
        chunks: list[bytes] = []
        size = 0

        async def keeping_send(message: Message) -> None:
            nonlocal start, vary, size
            if message["type"] == "http.response.start":
                start = message
                vary = _storable(message["status"], list(message.get("headers", [])))
            elif message["type"] == "http.response.body" and vary is not None:
                body = message.get("body", b"")
                size += len(body)
                if size > _LARGEST:
                    vary = None
                    chunks.clear()
                else:
                    chunks.append(body)
                    if not message.get("more_body", False):
                        assert start is not None
                        self._keep(
                            url, scope, vary, list(start.get("headers", [])), b"".join(chunks)
                        )
            await send(message)

        await self.app(scope, receive, keeping_send)

    def _keep(
        self,
        url: bytes,
        scope: Scope,
        vary: tuple[bytes, ...],
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> None:
        names, variants = self._vary.get(url, (vary, 0))
        if names != vary:
            return  # the URL's answers disagree on what they vary on: keep the first kind only
        key = (url, _header_values(scope, vary))
        cost = _cost(url, headers, body)
        if key in self._entries or cost > self.capacity // 16:
            return
        self._vary[url] = (vary, variants + 1)
        self._entries[key] = _Stored(vary, headers, body)
        self.size += cost
        while self.size > self.capacity and self._entries:
            (old_url, _), old = self._entries.popitem(last=False)
            self.size -= _cost(old_url, old.headers, old.body)
            old_names, left = self._vary[old_url]
            if left > 1:
                self._vary[old_url] = (old_names, left - 1)
            else:
                del self._vary[old_url]


def _cost(url: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> int:
    return len(url) + len(body) + sum(len(name) + len(value) for name, value in headers)
