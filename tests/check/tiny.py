"""A tiny Linked Data deployment for the check's tests: conformant in every way the check
looks at, unless told to break in one (`faults`). It runs http.server in a thread on 127.0.0.1
with a free port; SPARQL runs on an in-memory pyoxigraph store."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import socket
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from openforum_ld.check import run_check

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openforum_ld.check import CheckReport

#: What each fault breaks, and the checks that must fail because of it (and only those).
FAULTS = {
    "dump-size": {"dumps.size"},
    "dump-checksum": {"dumps.checksum"},
    "no-vary": {"http.vary", "sparql.vary"},
    "no-cors-on-errors": {"cors.not-found", "cors.sparql-error"},
    "accepts-updates": {"sparql.update-direct", "sparql.update-form", "sparql.update-no-effect"},
    "no-void": {"void.reachable"},
    "dangling-link": {"links.rdf", "links.html"},
    "head-differs": {"http.head"},
    "no-406": {"conneg.not-acceptable"},
    "html-only": {
        "conneg.rapper",
        "conneg.rdflib",
        "conneg.jena",
        "conneg.turtle",
        "conneg.jsonld",
        "conneg.ntriples",
        "conneg.rdfxml",
        "links.entities",
    },
    "no-signposting": {"fair.signposting"},
    "no-dataset-markup": {"fair.dataset-markup"},
    "no-license-header": {"fair.license"},
    "no-release-versions": {"fair.release-versioning"},
    "release-checksum": {"dumps.checksum", "fair.release-versioning"},
}
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

DATA = """
@prefix schema: <http://schema.org/> .
<{o}/id/thing/a> a schema:Thing ; schema:name "A" ; schema:about <{o}/id/thing/b> .
<{o}/id/thing/b> a schema:Thing ; schema:name "B" .
<{o}/id/place/c> a schema:Place ; schema:name "C" ; schema:containedInPlace <{o}/id/thing/a> ;
    schema:subjectOf <{o}/id/document/d> .
<{o}/id/document/d> schema:name "D, which has no type, so it is not sampled" .
"""
DANGLING = "<{o}/id/thing/a> <http://schema.org/about> <{o}/id/thing/gone> .\n"

VOID = """
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{o}/void#dataset> a void:Dataset ;
    void:sparqlEndpoint <{o}/sparql> ;
    void:dataDump <{o}/dumps/data.ttl>, <{o}/dumps/data.nt.gz> ;
    void:exampleResource <{o}/id/thing/a> ;
    void:uriSpace "{o}/id/" ;
    rdfs:seeAlso <{o}/catalog> .
"""

CATALOG = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix iana: <http://www.iana.org/assignments/media-types/> .
<{o}/catalog#catalog> a dcat:Catalog ; dcat:dataset <{o}/catalog#dataset> .
<{o}/catalog#dataset> a dcat:Dataset ;
    dcat:distribution <{o}/catalog#ttl>, <{o}/catalog#nt-gz> .
<{o}/catalog#release-1.0> a dcat:Dataset ;
    dcat:version "1.0" ;
    dcat:distribution <{o}/catalog#release-1.0-ttl> .
<{o}/catalog#release-1.0-ttl> a dcat:Distribution ;
    dcat:downloadURL <{o}/releases/1.0/data.ttl> ;
    dcat:mediaType iana:text\\/turtle ;
    dcat:byteSize "{release_size}"^^xsd:nonNegativeInteger ;
    spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue "{release_sha}"^^xsd:hexBinary ] .
<{o}/catalog#ttl> a dcat:Distribution ;
    dcat:downloadURL <{o}/dumps/data.ttl> ;
    dcat:mediaType iana:text\\/turtle ;
    dcat:byteSize "{ttl_size}"^^xsd:nonNegativeInteger ;
    spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue "{ttl_sha}"^^xsd:hexBinary ] .
<{o}/catalog#nt-gz> a dcat:Distribution ;
    dcat:downloadURL <{o}/dumps/data.nt.gz> ;
    dcat:mediaType iana:application\\/n-triples ;
    dcat:compressFormat iana:application\\/gzip ;
    dcat:byteSize "{gz_size}"^^xsd:nonNegativeInteger ;
    spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue "{gz_sha}"^^xsd:hexBinary ] .
"""
#: The release's place among the dataset's versions (DCAT 3).
VERSIONS = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<{o}/catalog#dataset> dcat:hasVersion <{o}/catalog#release-1.0> ;
    dcat:hasCurrentVersion <{o}/catalog#release-1.0> .
"""

ENTITY_OFFERS = {
    "text/html": None,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
RESULT_OFFERS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_OFFERS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
LAST_MODIFIED = "Fri, 20 Nov 2020 00:00:00 GMT"


@dataclass
class Answer:
    status: int
    body: bytes = b""
    media_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _best(accept: str | None, offers: list[str]) -> str | None:
    if not accept:
        return offers[0]
    return parse_accept_header(accept, MIMEAccept).best_match(offers)


class TinyDeployment:
    """The deployment's state and its answers; `faults` names what to get wrong."""

    def __init__(self, origin: str, faults: frozenset[str]) -> None:
        self.o = origin
        self.faults = faults
        data = DATA.format(o=origin) + (
            DANGLING.format(o=origin) if "dangling-link" in faults else ""
        )
        self.store = ox.Store()
        self.store.load(data.encode(), format=ox.RdfFormat.TURTLE)
        self.lock = threading.Lock()
        ttl = data.encode()
        nt = b"".join(
            f"{t} .\n".encode() for t in ox.parse(data.encode(), format=ox.RdfFormat.TURTLE)
        )
        nt_gz = gzip.compress(nt, mtime=0)
        self.dumps = {
            "/dumps/data.ttl": (ttl, "text/turtle"),
            "/releases/1.0/data.ttl": (ttl, "text/turtle"),
            "/dumps/data.nt.gz": (nt_gz, "application/gzip"),
        }
        ttl_sha = hashlib.sha256(ttl).hexdigest()
        if "dump-checksum" in faults:
            ttl_sha = hashlib.sha256(b"something else").hexdigest()
        self.void = VOID.format(o=origin).encode()
        self.catalog = CATALOG.format(
            o=origin,
            ttl_size=len(ttl) + (1 if "dump-size" in faults else 0),
            ttl_sha=ttl_sha,
            gz_size=len(nt_gz),
            gz_sha=hashlib.sha256(nt_gz).hexdigest(),
            release_size=len(ttl),
            release_sha=hashlib.sha256(
                b"other bytes" if "release-checksum" in faults else ttl
            ).hexdigest(),
        ).encode()
        if "no-release-versions" not in faults:
            self.catalog += VERSIONS.format(o=origin).encode()

    # -------------------------------------------------------------- routing

    def answer(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Answer:
        if method == "OPTIONS":
            return self._preflight(headers)
        if path == "/sparql":
            return self._sparql(method, query, headers, body)
        if method not in ("GET", "HEAD"):
            return Answer(405, b"405 Method not allowed\n", "text/plain")
        if path == "/":
            return self._home(headers)
        if path == "/style.css":
            return self._document(b"body { margin: 0 }\n", "text/css", headers)
        if path == "/.well-known/void" and "no-void" not in self.faults:
            return self._document(self.void, "text/turtle", headers)
        if path == "/catalog":
            return self._document(self.catalog, "text/turtle", headers)
        if path in self.dumps:
            data, media_type = self.dumps[path]
            return self._document(data, media_type, headers)
        if path.startswith("/id/"):
            return self._entity(self.o + path, headers)
        return Answer(404, b"404 Not found\n", "text/plain")

    def _home(self, headers: dict[str, str]) -> Answer:
        links = '<a href="/id/thing/a">A</a> <a href="/id/place/c">C</a>'
        markup = ""
        if "no-dataset-markup" not in self.faults:
            dataset = {
                "@context": "https://schema.org/",
                "@type": "Dataset",
                "name": "Tiny",
                "description": "A tiny dataset for the check's tests.",
                "license": LICENSE,
                "distribution": [
                    {"@type": "DataDownload", "contentUrl": self.o + "/dumps/data.ttl"}
                ],
            }
            markup = '<script type="application/ld+json">' + json.dumps(dataset) + "</script>"
        answer = self._document(self._page("Home", links, markup), "text/html", headers)
        if "no-signposting" not in self.faults:
            answer.headers["Link"] = (
                f'<{self.o}/>; rel="cite-as", <{self.o}/.well-known/void>; rel="describedby"'
            )
        return answer

    def _page(self, title: str, links: str, head: str = "") -> bytes:
        return (
            '<!DOCTYPE html><html lang="en"><head><title>'
            + title
            + "</title>"
            + '<link rel="stylesheet" href="/style.css">'
            + head
            + "</head><body><h1>"
            + title
            + "</h1>"
            + links
            + "</body></html>"
        ).encode()

    def _document(
        self, body: bytes, media_type: str, headers: dict[str, str], vary: bool = False
    ) -> Answer:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        extra = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if vary and "no-vary" not in self.faults:
            extra["Vary"] = "Accept"
        if headers.get("if-none-match") == etag or (
            "if-none-match" not in headers and headers.get("if-modified-since") == LAST_MODIFIED
        ):
            return Answer(304, b"", None, extra)
        return Answer(200, body, media_type, extra)

    # -------------------------------------------------------------- entities

    def _entity(self, iri: str, headers: dict[str, str]) -> Answer:
        node = ox.NamedNode(iri)
        if not any(self.store.quads_for_pattern(node, None, None)):
            return Answer(404, b"404 Not found\n", "text/plain")
        offers = list(ENTITY_OFFERS)
        if "html-only" in self.faults:
            offers = ["text/html"]
        chosen = _best(headers.get("accept"), offers)
        if chosen is None:
            if "no-406" in self.faults:
                chosen = "text/html"
            else:
                return Answer(406, b"406 Not acceptable\n", "text/plain", {"Vary": "Accept"})
        if chosen == "text/html":
            linked = sorted(
                {
                    q.object.value
                    for q in self.store.quads_for_pattern(node, None, None)
                    if isinstance(q.object, ox.NamedNode)
                }
            )
            links = " ".join(f'<a href="{u.removeprefix(self.o)}">{u}</a>' for u in linked)
            return self._document(
                self._page(iri, links + ' <a href="/">Home</a>'), "text/html", headers, vary=True
            )
        triples = self.store.query(
            f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
        )
        assert isinstance(triples, ox.QueryTriples)
        body = triples.serialize(format=ENTITY_OFFERS[chosen])
        assert body is not None
        return self._document(body, chosen, headers, vary=True)

    # -------------------------------------------------------------- SPARQL

    def _preflight(self, headers: dict[str, str]) -> Answer:
        if "access-control-request-method" not in headers:
            return Answer(405, b"405 Method not allowed\n", "text/plain")
        return Answer(
            204,
            b"",
            None,
            {
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept",
                "Access-Control-Max-Age": "600",
            },
        )

    def _sparql(self, method: str, query: str, headers: dict[str, str], body: bytes) -> Answer:
        params = parse_qsl(query)
        content_type = headers.get("content-type", "").split(";")[0].strip()
        if method == "POST":
            if content_type == "application/x-www-form-urlencoded":
                params += parse_qsl(body.decode())
            elif content_type == "application/sparql-query":
                params.append(("query", body.decode()))
            elif content_type == "application/sparql-update":
                params.append(("update", body.decode()))
            else:
                return Answer(415, b"415 Unsupported media type\n", "text/plain")
        elif method not in ("GET", "HEAD"):
            return Answer(405, b"405 Method not allowed\n", "text/plain")
        values = dict(params)
        if "update" in values:
            if "accepts-updates" in self.faults and method == "POST":
                with self.lock:
                    self.store.update(values["update"])
                return Answer(204)
            return Answer(403, b"403 This endpoint is read-only\n", "text/plain")
        if "query" not in values:
            return Answer(400, b"400 No query\n", "text/plain")
        try:
            with self.lock:
                result = self.store.query(values["query"])
        except SyntaxError as error:
            return Answer(400, f"400 Bad query: {error}\n".encode(), "text/plain")
        vary = {} if "no-vary" in self.faults else {"Vary": "Accept"}
        if isinstance(result, ox.QueryTriples):
            chosen = _best(headers.get("accept"), list(GRAPH_OFFERS))
            results = result.serialize(format=GRAPH_OFFERS[chosen]) if chosen else None
        else:
            chosen = _best(headers.get("accept"), list(RESULT_OFFERS))
            results = result.serialize(format=RESULT_OFFERS[chosen]) if chosen else None
        if chosen is None or results is None:
            return Answer(406, b"406 Not acceptable\n", "text/plain")
        return Answer(200, results, chosen, vary)


def _handler(deployment: TinyDeployment) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, each response waits for a
            # delayed ACK (40 ms).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _respond(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = deployment.answer(self.command, parts.path, parts.query, headers, body)
            self.send_response(answer.status)
            if answer.media_type:
                charset = "; charset=utf-8" if answer.media_type.startswith("text/") else ""
                self.send_header("Content-Type", answer.media_type + charset)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if "no-license-header" not in deployment.faults:
                self.send_header("Link", f'<{LICENSE}>; rel="license"')
            if answer.status < 400 or "no-cors-on-errors" not in deployment.faults:
                self.send_header("Access-Control-Allow-Origin", "*")
            length_sent = len(answer.body)
            if self.command == "HEAD" and "head-differs" in deployment.faults:
                length_sent = 0
            if answer.status != 304 and answer.status != 204:
                self.send_header("Content-Length", str(length_sent))
            self.end_headers()
            if self.command != "HEAD" and answer.status not in (204, 304):
                self.wfile.write(answer.body)

        # http.server dispatches on these names.
        do_GET = do_HEAD = do_POST = do_OPTIONS = _respond  # noqa: N815

    return Handler


def check_tiny(*faults: str, **options: Any) -> CheckReport:
    """`run_check` on a tiny deployment with these faults."""
    with tiny_deployment(*faults) as url:
        return run_check(url, timeout=10, **options)


def failed_ids(report: CheckReport) -> set[str]:
    """The ids of the checks that failed."""
    return {c.id for c in report.failures}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # The check closes a download early on purpose (size limit, conditional GETs).
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def tiny_deployment(*faults: str) -> Iterator[str]:
    """Serve a tiny deployment with these faults; yields its base URL (ending in /)."""
    unknown = set(faults) - set(FAULTS)
    assert not unknown, f"unknown faults: {unknown}"
    server = _Server(("127.0.0.1", 0), BaseHTTPRequestHandler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = _handler(TinyDeployment(origin, frozenset(faults)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield origin + "/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
