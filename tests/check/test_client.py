"""The check's HTTP client: it stays on the deployment's origins and describes each exchange."""

from __future__ import annotations

import httpx
import pytest

from openforum_ld.check.client import (
    Client,
    FetchError,
    LeftOriginError,
    describe,
    header_tokens,
    origin_of,
)


def _answer(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/id/a":
        return httpx.Response(303, headers={"Location": "/doc/a.ttl"})
    if request.url.path == "/id/away":
        return httpx.Response(301, headers={"Location": "https://w3id.org/elsewhere"})
    if request.url.path == "/slow":
        raise httpx.ReadTimeout("timed out", request=request)
    return httpx.Response(
        200, headers={"Content-Type": "text/turtle; charset=utf-8", "Vary": "Accept"}, text="# ok"
    )


def _client() -> Client:
    return Client(["http://127.0.0.1:8000/"], 5, transport=httpx.MockTransport(_answer))


def test_client_follows_redirects_and_describes_every_hop() -> None:
    client = _client()
    response = client.send("GET", "http://127.0.0.1:8000/id/a", accept="text/turtle")
    assert describe(response) == (
        "GET http://127.0.0.1:8000/id/a (Accept: text/turtle) -> 303 /doc/a.ttl "
        "-> 200 text/turtle; charset=utf-8"
    )
    assert client.requests == 2


def test_client_does_not_leave_the_origin() -> None:
    client = _client()
    with pytest.raises(LeftOriginError) as caught:
        client.send("GET", "http://127.0.0.1:8000/id/away")
    assert "redirected to https://w3id.org/elsewhere, on another origin" in str(caught.value)
    assert client.requests == 1
    with pytest.raises(LeftOriginError):
        client.send("GET", "http://example.org/")
    assert client.requests == 1


def test_client_reports_a_timeout_with_the_request() -> None:
    with pytest.raises(
        FetchError,
        match=r"^GET http://127.0.0.1:8000/slow \(Accept: \*/\*\) -> no answer within 5 s$",
    ):
        _client().send("GET", "http://127.0.0.1:8000/slow")


def test_client_describes_a_post_with_its_body() -> None:
    response = _client().send(
        "POST",
        "http://127.0.0.1:8000/sparql",
        headers={"Content-Type": "application/sparql-update"},
        content="INSERT DATA {}",
    )
    assert describe(response).startswith(
        "POST http://127.0.0.1:8000/sparql (Accept: */*; Content-Type: application/sparql-update) "
        "body: INSERT DATA {} -> 200"
    )


def test_origin_and_header_tokens() -> None:
    assert origin_of("HTTP://Example.ORG:8080/a/b?c") == "http://example.org:8080"
    response = httpx.Response(200, headers=[("Vary", "Accept-Encoding"), ("Vary", "accept, *")])
    assert header_tokens(response, "vary") == {"accept-encoding", "accept", "*"}
