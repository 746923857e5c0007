"""A shared HTTP cache in front of the application, inside each server process.

The data cannot change while a server runs, so a finished response the application marked
`Cache-Control: public` with an ETag can be sent again as it is to the next request for the same
URL that agrees on every header the response's `Vary` names, without routing, negotiating or
building a response object again. This is what a caching proxy in front of the server would
do (RFC 9111, for immutable content), here without a second hop. Conditional requests go to the
application, which answers 304 itself; so do other methods and responses that are not 200.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from openforum_ld.web.cache import ResponseCache

# Request headers that make a request conditional or ask caches to step aside.
_BYPASS = frozenset(
    (
        b"if-none-match",
        b"if-modified-since",
        b"if-match",
        b"if-range",
        b"range",
        b"authorization",
    )
)
_LARGEST = 1 << 20  # a larger body (a dump) is streamed by the application every time
_KNOWN_URLS = 1 << 16
_VARY_SETS = 4  # the different Vary sets kept for one URL


@dataclass(frozen=True)
class _Stored:
    vary: tuple[bytes, ...]  # the request headers the response depends on, lower case
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _header_values(
    headers: Iterable[tuple[bytes, bytes]], names: tuple[bytes, ...]
) -> tuple[bytes, ...]:
    if not names:
        return ()
    found: dict[bytes, bytes] = {}
    for name, value in headers:
        if name in names:  # ASGI servers give header names in lower case
            found[name] = found[name] + b", " + value if name in found else value
    return tuple(found.get(name, b"") for name in names)


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
    kept in the server process's one cache."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache
        # URL -> the sets of request headers its responses vary on (an entity IRI's HTML
        # varies on Accept-Language, its Turtle does not), for the URLs answered so far;
        # forgotten all at once when there are too many (a URL forgotten is answered again).
        self._vary: dict[bytes, tuple[tuple[bytes, ...], ...]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or self.cache.capacity <= 0
        ):
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        for name, _ in headers:
            if name in _BYPASS:  # ASGI servers give header names in lower case
                await self.app(scope, receive, send)
                return
        url = scope.get("raw_path") or scope["path"].encode()
        url += b"?" + scope.get("query_string", b"")
        for names in self._vary.get(url, ()):
            # A stored response answers a request that agrees with the request it answered on
            # every header its Vary names (RFC 9111, 4.1): whichever set that is.
            stored = self.cache.get(("front", url, names, _header_values(headers, names)))
            if stored is not None:
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
        known = self._vary.get(url, ())
        if vary not in known:
            if len(known) >= _VARY_SETS:
                return  # a URL whose answers vary in ever more ways is not worth keeping
            if len(self._vary) >= _KNOWN_URLS:
                self._vary.clear()
            self._vary[url] = (*known, vary)
        cost = len(url) + len(body) + sum(len(name) + len(value) for name, value in headers)
        key = ("front", url, vary, _header_values(scope["headers"], vary))
        self.cache.put(key, _Stored(vary, headers, body), cost)
