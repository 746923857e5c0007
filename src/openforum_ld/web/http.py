"""HTTP done right for representations: strong ETags, 304s, Last-Modified, Cache-Control, gzip.

A representation's ETag is derived from the data version and what the representation is (its
path, media type and language), so it changes exactly when what is served changes. Gzipped
bodies get an ETag of their own, since their bytes differ.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from email.utils import format_datetime
from typing import TYPE_CHECKING

from starlette.responses import Response
from werkzeug.datastructures import Accept
from werkzeug.http import parse_accept_header, parse_etags

if TYPE_CHECKING:
    from starlette.requests import Request

_COMPRESSIBLE = (
    "text/",
    "application/ld+json",
    "application/json",
    "application/rdf+xml",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/sparql-results",
    "application/xml",
    "image/svg+xml",
)
_MIN_GZIP = 512


@dataclass(frozen=True)
class Representation:
    """Bytes ready to send, with the headers that describe them."""

    body: bytes
    media_type: str
    etag: str
    gzipped: bytes | None
    headers: dict[str, str]
    status: int = 200


def strong_etag(*parts: str) -> str:
    """A strong ETag from what identifies a representation."""
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def http_date(iso_date: str) -> str:
    """An ISO date (YYYY-MM-DD) as an HTTP date."""
    from datetime import UTC, datetime

    return format_datetime(datetime.fromisoformat(iso_date).replace(tzinfo=UTC), usegmt=True)


def prepare(
    body: bytes,
    media_type: str,
    *,
    etag: str,
    last_modified: str | None,
    cache_control: str,
    vary: str | None = None,
    headers: dict[str, str] | None = None,
    status: int = 200,
) -> Representation:
    """A representation with its headers and, when worth it, a gzipped body (mtime 0: the same
    bytes every time)."""
    extra = {"ETag": etag, "Cache-Control": cache_control, **(headers or {})}
    if last_modified:
        extra["Last-Modified"] = last_modified
    compressible = len(body) >= _MIN_GZIP and media_type.startswith(_COMPRESSIBLE)
    if vary or compressible:
        extra["Vary"] = ", ".join(
            v for v in ((vary or ""), "Accept-Encoding" if compressible else "") if v
        )
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if compressible else None
    return Representation(body, media_type, etag, gzipped, extra, status)


def _accepts_gzip(request: Request) -> bool:
    header = request.headers.get("accept-encoding")
    if not header:
        return False
    try:
        return bool(parse_accept_header(header, Accept)["gzip"])
    except ValueError:
        return False


def respond(request: Request, representation: Representation) -> Response:
    """The response to a GET or HEAD: 304 when the client's copy is current, gzip when asked."""
    use_gzip = representation.gzipped is not None and _accepts_gzip(request)
    etag = representation.etag[:-1] + '-gzip"' if use_gzip else representation.etag
    headers = {**representation.headers, "ETag": etag}
    if representation.status == 200 and _not_modified(
        request, etag, representation.headers.get("Last-Modified")
    ):
        kept = {k: v for k, v in headers.items() if k in _KEPT_IN_304}
        return Response(status_code=304, headers=kept)
    if use_gzip:
        assert representation.gzipped is not None
        headers["Content-Encoding"] = "gzip"
        return Response(
            representation.gzipped,
            representation.status,
            headers,
            media_type=representation.media_type,
        )
    return Response(
        representation.body, representation.status, headers, media_type=representation.media_type
    )


_KEPT_IN_304 = ("ETag", "Cache-Control", "Vary", "Last-Modified", "Link", "Content-Location")


def not_modified(request: Request, etag: str, headers: dict[str, str]) -> Response | None:
    """A 304 when the client already holds the representation with this ETag (gzipped or not),
    before anything is rendered; None otherwise."""
    if not request.headers.get("if-none-match") and not request.headers.get("if-modified-since"):
        return None
    if not _not_modified(request, etag, headers.get("Last-Modified")):
        return None
    held = request.headers.get("if-none-match")
    if held and _accepts_gzip(request):
        gzipped = etag[:-1] + '-gzip"'
        if parse_etags(held).contains_weak(gzipped.strip('"')):
            etag = gzipped  # the client holds the gzipped bytes: that is the ETag it knows
    kept = {k: v for k, v in {**headers, "ETag": etag}.items() if k in _KEPT_IN_304}
    return Response(status_code=304, headers=kept)


def _not_modified(request: Request, etag: str, last_modified: str | None) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        plain = etag.strip('"').removesuffix("-gzip")
        return tags.star_tag or tags.contains_weak(plain) or tags.contains_weak(plain + "-gzip")
    if_modified_since = request.headers.get("if-modified-since")
    return bool(last_modified and if_modified_since == last_modified)
