"""HTTP for the checks: one httpx client that stays on the deployment's origins, counts its
requests, and describes each exchange so that an operator can repeat it with curl."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from openforum_ld import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

#: Request headers a description shows: the ones that change what the server answers.
_SHOWN = (
    "accept",
    "content-type",
    "if-none-match",
    "if-modified-since",
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
)
_REDIRECTS = 10


class FetchError(Exception):
    """A request that got no HTTP answer: refused, timed out, or led to another origin. The
    message says what was sent and what went wrong."""


class LeftOriginError(FetchError):
    """A redirect to an origin the check may not contact; it was not followed."""


class _RefusedError(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def origin_of(url: str) -> str:
    """`scheme://host:port` of a URL, lowercased; the default port left out."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def media_type(response: httpx.Response) -> str:
    """The response's media type without parameters, lowercased ('' when it has none)."""
    value: str = response.headers.get("content-type", "")
    return value.split(";")[0].strip().lower()


def header_tokens(response: httpx.Response, name: str) -> set[str]:
    """The comma-separated tokens of a header (every occurrence), lowercased."""
    return {
        token.strip().lower()
        for value in response.headers.get_list(name)
        for token in value.split(",")
        if token.strip()
    }


def _request_line(request: httpx.Request) -> str:
    shown = [f"{name}: {request.headers[name]}" for name in _SHOWN if name in request.headers]
    line = f"{request.method} {request.url}"
    if shown:
        line += " (" + "; ".join(_capitalize(s) for s in shown) + ")"
    if request.method == "POST":
        body = request.content.decode("utf-8", "replace")
        line += f" body: {body[:300]}" + ("..." if len(body) > 300 else "")
    return line


def _capitalize(header: str) -> str:
    name, _, value = header.partition(": ")
    return "-".join(part.capitalize() for part in name.split("-")) + ": " + value


def describe(response: httpx.Response) -> str:
    """`GET url (Accept: ...) -> 303 url -> 200 media/type`: the request as sent, every
    redirect, and the final status and Content-Type."""
    first = response.history[0] if response.history else response
    text = _request_line(first.request)
    for hop in response.history:
        text += f" -> {hop.status_code} {hop.headers.get('location', '(no Location)')}"
    content_type = response.headers.get("content-type", "(no Content-Type)")
    return text + f" -> {response.status_code} {content_type}"


class Client:
    """Sends the checks' requests. It only talks to the origins it was given (a redirect
    elsewhere is reported, not followed), and counts what it sends."""

    def __init__(
        self,
        origins: Iterable[str],
        timeout: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.origins = {origin_of(o) for o in origins}
        self.timeout = timeout
        self.requests = 0
        self._lock = threading.Lock()
        self._http = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": f"openforum-ld-check/{__version__}", "Accept-Encoding": "gzip"},
            event_hooks={"request": [self._on_request]},
            transport=transport,
        )

    def allows(self, url: str) -> bool:
        """True when the URL is on one of the origins the check may contact."""
        return origin_of(url) in self.origins

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _on_request(self, request: httpx.Request) -> None:
        if origin_of(str(request.url)) not in self.origins:
            raise _RefusedError(str(request.url))
        with self._lock:
            self.requests += 1

    def send(
        self,
        method: str,
        url: str,
        *,
        accept: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        content: bytes | str | None = None,
        follow: bool = True,
    ) -> httpx.Response:
        """Send one request (following redirects like a Linked Data client unless told not
        to) and read the whole answer. FetchError when no HTTP answer comes."""
        request = self._build(method, url, accept, headers, params, content)
        try:
            response = self._http.send(request, follow_redirects=follow)
            response.read()
            response.close()
        except (_RefusedError, httpx.HTTPError) as error:
            raise self._failure(request, error) from None
        return response

    def stream(
        self, url: str, *, accept: str | None = None, headers: Mapping[str, str] | None = None
    ) -> _Stream:
        """A GET whose body is read piece by piece (for dumps): `with client.stream(url) as r`."""
        return _Stream(self, self._build("GET", url, accept, headers, None, None))

    def _build(
        self,
        method: str,
        url: str,
        accept: str | None,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        content: bytes | str | None,
    ) -> httpx.Request:
        all_headers = dict(headers or {})
        if accept is not None:
            all_headers["Accept"] = accept
        return self._http.build_request(
            method, url, headers=all_headers, params=params, content=content
        )

    def _failure(self, request: httpx.Request, error: Exception) -> FetchError:
        line = _request_line(request)
        if isinstance(error, _RefusedError):
            return LeftOriginError(
                f"{line} -> redirected to {error.url}, on another origin: the check only "
                f"contacts {', '.join(sorted(self.origins))}"
            )
        if isinstance(error, httpx.TimeoutException):
            return FetchError(f"{line} -> no answer within {self.timeout:g} s")
        reason = str(error) or type(error).__name__
        return FetchError(f"{line} -> {reason}")


class _Stream:
    def __init__(self, client: Client, request: httpx.Request) -> None:
        self.client = client
        self.request = request
        self.response: httpx.Response | None = None

    def __enter__(self) -> httpx.Response:
        try:
            self.response = self.client._http.send(self.request, follow_redirects=True, stream=True)
        except (_RefusedError, httpx.HTTPError) as error:
            raise self.client._failure(self.request, error) from None
        return self.response

    def __exit__(self, *exc_info: object) -> None:
        if self.response is not None:
            self.response.close()


def iter_body(response: httpx.Response) -> Iterator[bytes]:
    """The decoded body of a streamed response; FetchError if the connection breaks."""
    try:
        yield from response.iter_bytes()
    except httpx.HTTPError as error:
        raise FetchError(f"{describe(response)} -> the download broke off: {error}") from None
