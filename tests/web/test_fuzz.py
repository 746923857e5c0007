"""Hostile and random requests against the running server: it never answers 5xx, and every error
is a 4xx whose message a person can read, in the format asked for.

The examples are drawn deterministically (the same ones every run, so CI is reproducible);
FUZZ_EXAMPLES=N draws N per property instead of the default, for a longer run by hand. What was
sent and what came back is counted in test-artifacts/fuzz-summary.json.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import ROOT
from ..rawhttp import RawResponse, send

if TYPE_CHECKING:
    from collections.abc import Iterator

# Real server processes, fuzzed over real sockets.
pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STATUSES: Counter[str] = Counter()

# The HTTP parser's own answer to bytes that are not an HTTP request; it comes before any of our
# code runs, so it cannot be in the format asked for, but it is a readable 400.
_PROTOCOL_REJECTION = b"Invalid HTTP request received."
_ERROR_TYPES = {"text/plain", "text/html", "application/json", "application/problem+json"}
# A 404 for an entity asked for in an RDF format is an empty document of that format, saying why.
_RDF_404_TYPES = {
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
}


@pytest.fixture(scope="module", autouse=True)
def fuzz_summary() -> Iterator[None]:
    yield
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    summary = artifacts / "fuzz-summary.json"
    previous = json.loads(summary.read_text()) if summary.exists() else {}
    previous[os.environ.get("PYTEST_XDIST_WORKER", "run")] = {
        "requests": sum(STATUSES.values()),
        "by_status": dict(sorted(STATUSES.items())),
        "server_errors": sum(n for s, n in STATUSES.items() if s.startswith("5")),
    }
    summary.write_text(json.dumps(previous, indent=2) + "\n")


def assert_answered(
    status: int, media_type: str, body: bytes, accept: str | None, what: str
) -> None:
    """No 5xx; an error says what went wrong, in the format the client asked for."""
    STATUSES[str(status)] += 1
    assert status < 500, f"{what}: {status} {body[:300]!r}"
    if status < 400 or (status == 405 and not body):
        return
    if body == _PROTOCOL_REJECTION:
        assert status == 400, what
        return
    text = body.decode("utf-8")  # an error message is UTF-8, whatever came in
    assert text.strip(), f"{what}: an empty {status}"
    if media_type in _RDF_404_TYPES:
        assert status == 404 and "Not found" in text, what
        return
    assert media_type in _ERROR_TYPES, f"{what}: a {status} as {media_type}"
    if media_type in ("application/json", "application/problem+json"):
        problem = json.loads(text)
        assert problem["ok"] is False and problem["status"] == status and problem["detail"], what
    elif media_type == "text/html":
        assert "<h1" in text and "</html>" in text, what
    else:
        assert text.startswith(str(status)), what
    if accept in ("application/json", "text/html", "text/plain"):
        assert media_type == accept, f"{what}: asked for {accept}, got {media_type}"


def assert_raw(response: RawResponse, accept: str | None, what: str) -> None:
    assert_answered(response.status, response.media_type, response.body, accept, what)


def assert_httpx(response: httpx.Response, accept: str | None, what: str) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    assert_answered(response.status_code, media_type, response.content, accept, what)


# ---------------------------------------------------------------------------- strategies

PREFIXES = [
    b"/",
    b"/id/",
    b"/id/person/",
    b"/id/person/john-maritim",
    b"/id/place/",
    b"/dumps/",
    b"/graph/",
    b"/static/",
    b"/sparql?query=",
    b"/sparql?format=",
    b"/search?q=",
    b"/id/person/?page=",
    b"/id/person/john-maritim?lang=",
    b"/id/person/john-maritim?incoming=",
    b"/validation?",
    b"/.well-known/void?format=",
    b"/catalog?format=",
]
BROKEN_ESCAPES = [
    b"%",
    b"%G1",
    b"%C3%28",
    b"%FF%FE",
    b"%00",
    b"%E2%82",
    b"%ED%A0%80",
    b"%C0%AF",
    b"%25",
    b"..%2f",
    b"%2e%2e/",
    b"%0d%0aSet-Cookie:%20x=1",
    b"/../../../etc/passwd",
    b"\\..\\..\\",
]
ACCEPTS = [None, "application/json", "text/html", "text/plain", "text/turtle", "*/*"]
# Bytes that cannot end a request line early (CR, LF), so each example is one request.
request_bytes = st.binary(max_size=120).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b""))
percent_escapes = st.lists(st.integers(0, 255), max_size=12).map(
    lambda codes: "".join(f"%{c:02X}" for c in codes).encode()
)
target_fragments = st.one_of(request_bytes, percent_escapes, st.sampled_from(BROKEN_ESCAPES))
request_targets = st.builds(
    lambda prefix, parts: prefix + b"".join(parts),
    st.sampled_from(PREFIXES),
    st.lists(target_fragments, max_size=4),
)

SPARQL_TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FROM", "NAMED", "GRAPH", "OPTIONAL",
    "UNION", "MINUS", "FILTER", "BIND", "VALUES", "SERVICE", "LIMIT", "OFFSET", "ORDER BY",
    "GROUP BY", "HAVING", "DISTINCT", "COUNT", "AS", "PREFIX", "BASE", "INSERT DATA", "DELETE",
    "LOAD", "CLEAR", "{", "}", "(", ")", "[", "]", ".", ";", ",", "*", "a", "?s", "?p", "?o",
    "$x", "<http://schema.org/name>", "<>", "<id/person/john-maritim>", "schema:name",
    "skos:prefLabel", "ofo:", '"x"', '"x"@en', "'y'^^xsd:integer", '"""z"""', "1", "-2.5",
    "1e9", "true", "_:b", "STR(", "REGEX(", "LANG(", "&&", "||", "!", "=", "!=", "<", ">",
    "+", "/", "^", "|", "#", "\\", "\x00", "\u202e", "\U0001f600",
]  # fmt: skip
sparql_like = st.lists(
    st.one_of(st.sampled_from(SPARQL_TOKENS), st.text(max_size=6)), max_size=30
).map(" ".join)
header_text = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"),
    max_size=200,
)


# ---------------------------------------------------------------------------- properties


@FUZZ
@given(
    target=request_targets,
    accept=st.sampled_from(ACCEPTS),
    method=st.sampled_from([b"GET", b"HEAD", b"POST", b"OPTIONS"]),
)
def test_random_request_targets(
    live_server: str, target: bytes, accept: str | None, method: bytes
) -> None:
    headers = [(b"Accept", accept.encode())] if accept else []
    response = send(live_server, target, method=method, headers=headers)
    what = f"{method.decode()} {target!r} Accept: {accept}"
    if method == b"HEAD":  # the status and headers of a GET, and no body to read
        STATUSES[str(response.status)] += 1
        # (the HTTP parser's rejection of what is not HTTP comes with its text even so)
        assert response.status < 500 and response.body in (b"", _PROTOCOL_REJECTION), what
        return
    assert_raw(response, accept, what)
    assert b"root:" not in response.body  # nothing from outside the publication


@FUZZ
@given(
    segment=st.text(max_size=80),
    value=st.text(max_size=80),
    route=st.sampled_from(
        [
            "id/person/{segment}",
            "id/{segment}/x",
            "id/{segment}/",
            "graph/{segment}",
            "dumps/{segment}",
            "static/{segment}",
            "search?q={value}",
            "sparql?query={value}",
            "id/person/?page={value}",
            "id/person/john-maritim?lang={value}&incoming={value}&page={value}",
            "{segment}?format={value}",
        ]
    ),
    accept=st.sampled_from(ACCEPTS),
)
def test_random_unicode_in_paths_and_parameters(
    live_server: str, segment: str, value: str, route: str, accept: str | None
) -> None:
    path = route.format(segment=quote(segment, safe=""), value=quote(value, safe=""))
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(live_server + path, headers=headers, timeout=60)
    assert_httpx(response, accept, f"GET /{path} Accept: {accept}")


@FUZZ
@given(query=sparql_like, method=st.sampled_from(["get", "form", "direct"]))
def test_random_sparql_like_queries(endpoint_url: str, query: str, method: str) -> None:
    accept = "application/json"  # errors in JSON, whatever the results format
    headers = {"Accept": f"application/sparql-results+json, text/turtle;q=0.9, {accept};q=0.1"}
    url = endpoint_url + "sparql"
    if method == "get":
        response = httpx.get(url, params={"query": query}, headers=headers, timeout=60)
    elif method == "form":
        response = httpx.post(url, data={"query": query}, headers=headers, timeout=60)
    else:
        response = httpx.post(
            url,
            content=query.encode("utf-8", "surrogatepass"),
            headers={**headers, "Content-Type": "application/sparql-query"},
            timeout=60,
        )
    assert_httpx(response, None, f"{method} {query!r}")
    assert response.status_code in (200, 400), f"{method} {query!r}: {response.status_code}"


@FUZZ
@given(accept=header_text, language=header_text, path=st.sampled_from(PREFIXES))
def test_odd_accept_and_accept_language_headers(
    live_server: str, accept: str, language: str, path: bytes
) -> None:
    headers = [
        (b"Accept", accept.encode("latin-1")),
        (b"Accept-Language", language.encode("latin-1")),
    ]
    response = send(live_server, path, headers=headers)
    assert_raw(response, None, f"{path!r} Accept: {accept!r} Accept-Language: {language!r}")


# ---------------------------------------------------------------------------- hostile cases


def _nested(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth


CHAINS = {
    "nested groups": _nested,
    "nested expressions": lambda n: "SELECT ((" + "(" * n + "1" + ")" * n + ") AS ?x) {}",
    "negations": lambda n: "SELECT (" + "!" * n + "true AS ?x) {}",
    "sums": lambda n: "SELECT (" + "+".join(["1"] * n) + " AS ?x) {}",
    "unions": lambda n: "SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
    "binds": lambda n: "SELECT * { " + " ".join(f"BIND({i} AS ?b{i})" for i in range(n)) + " }",
    "filters": lambda n: "SELECT * { ?s ?p ?o " + "FILTER(?o != 1) " * n + "}",
    "paths": lambda n: "SELECT * { ?s " + "/".join(["<http://x/p>"] * n) + " ?o }",
    "blank nodes": lambda n: "SELECT * { ?s <http://x/p> " + "[ <http://x/p> " * n + "?o" + " ]" * n + " }",
    "triples": lambda n: "SELECT * { " + " . ".join(f"?s{i} <http://x/p> ?s{i + 1}" for i in range(n)) + " }",
}  # fmt: skip


@pytest.mark.parametrize("size", [1_500, 20_000])  # under the 1 MB body limit
@pytest.mark.parametrize("construct", sorted(CHAINS))
def test_deep_and_long_queries_are_refused_before_they_reach_the_engine(
    endpoint_url: str, construct: str, size: int
) -> None:
    # Thousands of these overflow the query engine's stack, which would abort a worker (or a
    # remote `oxigraph serve` altogether); they get a 400 saying which limit they passed.
    query = CHAINS[construct](size)
    response = httpx.post(
        endpoint_url + "sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
        timeout=60,
    )
    assert_httpx(response, "application/json", f"{construct} x {size}")
    assert response.status_code == 400
    assert response.json()["title"] == "Query too complex"
    assert "at most" in response.json()["detail"]
    assert httpx.get(endpoint_url + "healthz").status_code == 200


def test_queries_within_the_limits_are_answered(endpoint_url: str) -> None:
    for query in (_nested(60), CHAINS["unions"](300), CHAINS["sums"](900)):
        response = httpx.post(
            endpoint_url + "sparql",
            content=query,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
            timeout=60,
        )
        assert response.status_code == 200, response.text[:300]


def test_thousands_of_variables(endpoint_url: str) -> None:
    names = [f"?v{i}" for i in range(5_000)]
    query = f"SELECT ?s {' '.join(names)} WHERE {{ ?s ?p ?o }} LIMIT 3"
    response = httpx.post(
        endpoint_url + "sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200
    assert len(response.json()["head"]["vars"]) == 5_001
    assert len(response.json()["results"]["bindings"]) == 3


@pytest.mark.parametrize("megabytes", [2, 8])
@pytest.mark.parametrize("how", ["direct", "form", "get"])
def test_huge_queries_are_refused(endpoint_url: str, megabytes: int, how: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * (megabytes << 20)
    accept = "application/json"
    url = endpoint_url + "sparql"
    if how == "direct":
        response = httpx.post(
            url,
            content=query,
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
    elif how == "form":
        response = httpx.post(url, data={"query": query}, headers={"Accept": accept})
    else:
        raw = send(
            endpoint_url,
            b"/sparql?query=" + quote(query).encode(),
            headers=[(b"Accept", accept.encode())],
        )
        assert_raw(raw, None, f"GET of {megabytes} MB")
        assert 400 <= raw.status < 500
        return
    assert_httpx(response, accept, f"{how} of {megabytes} MB")
    assert response.status_code == 413
    assert "at most" in response.json()["detail"] or "too large" in response.text


@pytest.mark.parametrize("length", [8_000, 64_000, 1_000_000])
def test_very_long_paths(live_server: str, length: int) -> None:
    for prefix in (b"/id/person/", b"/dumps/", b"/static/", b"/graph/", b"/search?q="):
        response = send(live_server, prefix + b"a" * length, headers=[(b"Accept", b"text/html")])
        assert_raw(response, None, f"{prefix!r} + {length} bytes")
        assert 400 <= response.status < 500


@pytest.mark.parametrize(
    "headers",
    [
        [(b"X-Long", b"a" * 64_000)],
        [(b"Accept", b"text/html," * 10_000)],
        [(b"Accept-Language", b"fr;q=0.5," * 10_000)],
        [(f"X-Header-{i}".encode(), b"x") for i in range(2_000)],
        [(b"If-None-Match", b'"' + b"a" * 50_000 + b'"')],
    ],
    ids=["64 kB header", "long Accept", "long Accept-Language", "2000 headers", "long ETag"],
)
def test_very_long_and_many_headers(live_server: str, headers: list[tuple[bytes, bytes]]) -> None:
    response = send(live_server, b"/id/person/john-maritim", headers=headers)
    assert_raw(response, None, "long headers")
    assert httpx.get(live_server + "healthz").status_code == 200


TRAVERSALS = [
    b"/dumps/../../etc/passwd",
    b"/dumps/..%2f..%2f..%2fetc%2fpasswd",
    b"/dumps/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    b"/dumps/%252e%252e/%252e%252e/etc/passwd",
    b"/dumps/..\\..\\..\\etc\\passwd",
    b"/dumps/%00../../etc/passwd",
    b"/dumps/openforum.ttl%00.html",
    b"/dumps//etc/passwd",
    b"/static/../../../../etc/passwd",
    b"/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    b"/graph/..%2f..%2f..%2fetc%2fpasswd",
    b"/id/person/..%2f..%2f..%2fetc%2fpasswd",
    b"/../../../../etc/passwd",
    b"/version.json/../../../etc/passwd",
    b"/.store/",
    b"/dumps/.hidden",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=[t.decode() for t in TRAVERSALS])
def test_path_traversal_is_refused(live_server: str, target: bytes) -> None:
    response = send(live_server, target, headers=[(b"Accept", b"text/plain")])
    assert_raw(response, "text/plain", target.decode())
    assert response.status in (400, 404), response.status
    assert b"root:" not in response.body


INJECTIONS = [
    b"/id/person/john-maritim%0d%0aSet-Cookie:%20hacked=1",
    b"/id/Person/John-Maritim%0d%0aLocation:%20http://evil.example/",
    b"/id/person/John%20Maritim%0d%0a%0d%0a<script>alert(1)</script>",
    b"/id/person%0d%0aX-Injected:%201",
    b"/id/person/john-maritim.ttl%0aX-Injected:%201",
    b"/id/Person?lang=fr%0d%0aX-Injected:%201",
    b"/id/Person/%E5%98%8A%E5%98%8DX-Injected:%201",  # UTF-8 that some servers fold into CR LF
]
OPEN_REDIRECTS = [
    b"//evil.example/",
    b"//evil.example/%2e%2e",
    b"/%2F%2Fevil.example/",
    b"/%5Cevil.example/",
    b"/\\evil.example/",
    b"/id//evil.example/",
    b"/id/%2F%2Fevil.example",
    b"/id/person/%2F%2Fevil.example",
    b"/id/Person/%2F%2Fevil.example",
    b"/id/%5C%5Cevil.example",
    b"/id/http:%2F%2Fevil.example",
    b"/id/person/John-Maritim?next=http://evil.example/",
    b"/id/person/John-Maritim/http://evil.example",
    b"/sparql?query=&redirect=http://evil.example/",
    b"/id/person/john-maritim/..%2f..%2f%2F%2Fevil.example",
]


@pytest.mark.parametrize(
    "target", INJECTIONS + OPEN_REDIRECTS, ids=[t.decode() for t in INJECTIONS + OPEN_REDIRECTS]
)
def test_no_header_injection_and_no_open_redirect(live_server: str, target: bytes) -> None:
    response = send(live_server, target, headers=[(b"Accept", b"text/html")])
    assert_raw(response, "text/html", target.decode())
    assert "x-injected" not in response.headers
    assert "set-cookie" not in response.headers
    location = response.headers.get("location")
    if location is not None:
        assert "\r" not in location and "\n" not in location
        # A redirect stays on this server: a path, never a scheme-relative or foreign URL.
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert "evil.example" not in location.split("?")[0].split("/")[1:2], location
        followed = httpx.get(live_server.rstrip("/") + location, headers={"Accept": "text/html"})
        assert followed.status_code == 200, (
            f"{target!r} redirects to {location}, which is {followed.status_code}"
        )
