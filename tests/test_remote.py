"""`serve SITE --endpoint URL` on existing SPARQL servers: a real Oxigraph and a real OpenLink
Virtuoso 7.2, each loaded as the README says (the N-Quads dump's graphs as they are, the union in
`<base>graph/union`). Queries, search, paging and the graph-aware documents ask the endpoint; the
publication's store is never opened; the answers are those of the embedded store."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import rdflib

from openforum_ld.errors import QueryError
from openforum_ld.publication import read_manifest
from openforum_ld.remote import LONGEST_GET, RemoteEndpointError, RemoteStore

from .servers import child_processes, free_port, openforum_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from .servers import RunningServer

# Real Oxigraph and Virtuoso servers behind real server processes.
pytestmark = pytest.mark.slow

SPARQL_JSON = "application/sparql-results+json"
PUBLIC = "https://w3id.org/openforum/"


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def on_endpoint(request: pytest.FixtureRequest, public_site: Path) -> Iterator[RunningServer]:
    """`serve SITE --endpoint` in front of each engine, one server process."""
    endpoint = request.getfixturevalue(f"{request.param}_endpoint")
    with openforum_server(str(public_site), "--workers", "1", "--endpoint", endpoint) as server:
        yield server


def _select(server: RunningServer, query: str) -> list[dict[str, dict[str, str]]]:
    response = httpx.get(
        server.url + "sparql", params={"query": query}, headers={"Accept": SPARQL_JSON}
    )
    assert response.status_code == 200, response.text
    return list(response.json()["results"]["bindings"])


def test_a_query_that_names_no_dataset_reads_the_union_and_the_data_graphs(
    on_endpoint: RunningServer, public_site: Path, union_triples: int
) -> None:
    manifest = read_manifest(public_site)
    [count] = _select(on_endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    # The dumps the endpoint was loaded with also state the dataset's licence.
    assert int(count["n"]["value"]) == manifest.triples + 1 == union_triples + 1
    [licence] = _select(
        on_endpoint, f"SELECT ?l WHERE {{ <{PUBLIC}catalog#dataset> dcterms:license ?l }}"
    )
    assert licence["l"]["value"] == manifest.license
    graphs = _select(on_endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert sorted(row["g"]["value"] for row in graphs) == sorted(manifest.graphs)


def test_a_long_query_goes_as_a_form_and_is_answered(on_endpoint: RunningServer) -> None:
    # Longer than a GET may be: sent as a form (Virtuoso 7.2 never answers a direct POST).
    padding = "\n".join(f"# {'x' * 70} {n}" for n in range(60))
    query = padding + "\nASK { ?t a <https://w3id.org/openforum/ontology#Talk> }"
    assert len(query) > 4000
    response = httpx.get(
        on_endpoint.url + "sparql", params={"query": query}, headers={"Accept": SPARQL_JSON}
    )
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True


def test_pages_documents_and_search_come_from_the_endpoint(
    on_endpoint: RunningServer, entities_of_kind: dict[str, int]
) -> None:
    page = httpx.get(on_endpoint.url + "id/person/john-maritim", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    assert '<h1 lang="en" dir="auto">John Maritim</h1>' in page.text
    assert "Report, section VII" in page.text  # the sources, from the graph of each statement
    trig = httpx.get(on_endpoint.url + "id/person/john-maritim.trig")
    dataset = rdflib.Dataset()
    dataset.parse(data=trig.content, format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {PUBLIC + "graph/report-vii", PUBLIC + "graph/editorial"} <= graphs
    assert PUBLIC + "graph/union" not in graphs
    listing = httpx.get(on_endpoint.url + "id/topic/", headers={"Accept": "text/html"})
    assert f"{entities_of_kind['topic']} in all." in listing.text
    hits = httpx.get(
        on_endpoint.url + "search", params={"q": "borrman"}, headers={"Accept": "application/json"}
    ).json()["results"]
    assert [hit["iri"] for hit in hits][:1] == [PUBLIC + "id/person/rudi-borrmann"]
    graph = httpx.get(
        on_endpoint.url + "graph/web-expert", headers={"Accept": "application/n-quads"}
    )
    assert graph.status_code == 200 and f"<{PUBLIC}graph/web-expert> ." in graph.text
    page = httpx.get(on_endpoint.url + "graph/web-expert", headers={"Accept": "text/html"})
    assert page.status_code == 200 and ">Tarik Nesh-Nash</a>" in page.text
    section = httpx.get(on_endpoint.url + "id/section/web-expert", headers={"Accept": "text/html"})
    assert section.status_code == 200 and '<pre class="source-lines"' in section.text


def test_files_come_from_the_publication_and_its_store_is_not_opened(
    on_endpoint: RunningServer, public_site: Path
) -> None:
    dump = httpx.get(on_endpoint.url + "dumps/openforum.ttl")
    assert dump.content == (public_site / "dumps" / "openforum.ttl").read_bytes()
    catalog = httpx.get(on_endpoint.url + "catalog", headers={"Accept": "text/turtle"})
    assert catalog.status_code == 200
    # One server process and nothing under it: no query workers, which open the store.
    [server_process] = child_processes(on_endpoint.process.pid)
    assert child_processes(server_process) == []


# ---------------------------------------------------------------------------- the client itself


def test_the_remote_store_reads_the_union_and_the_data_graphs(
    oxigraph_endpoint: str, public_site: Path, union_triples: int
) -> None:
    manifest = read_manifest(public_site)
    store = RemoteStore(oxigraph_endpoint, 30, PUBLIC + "graph/union", manifest.graphs)
    try:
        [row] = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(row["n"].value) == union_triples + 1  # and the dataset's licence, from the dumps
        graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert sorted(r["g"].value for r in graphs) == sorted(manifest.graphs)
        # A dataset the query or the request names is sent as it is.
        [named] = store.select(
            f"SELECT (COUNT(*) AS ?n) FROM <{PUBLIC}graph/web-expert> WHERE {{ ?s ?p ?o }}"
        )
        [given] = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            default_graphs=[PUBLIC + "graph/web-expert"],
        ).rows()
        assert int(named["n"].value) == int(given[0].value) < union_triples
        construct = store.query("CONSTRUCT WHERE { ?s a <http://schema.org/Person> }")
        assert len(list(construct.triples())) == 19
        assert store.query("ASK { ?s ?p ?o }").boolean is True
        with pytest.raises(QueryError):
            store.select("SELECT * WHERE { ?s ?p }")
    finally:
        store.close()


class _Recorder(BaseHTTPRequestHandler):
    """An endpoint that notes how each query came and answers an empty result."""

    seen: ClassVar[list[tuple[str, str, dict[str, str]]]] = []

    def do_GET(self) -> None:
        self._note(dict(parse_qsl(urlsplit(self.path).query)), "")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        kind = self.headers.get("Content-Type", "")
        self._note(dict(parse_qsl(body)) if "form" in kind else {"query": body}, kind)

    def _note(self, params: dict[str, str], kind: str) -> None:
        self.seen.append((self.command, kind, params))
        body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_queries_go_by_get_or_as_a_form_never_as_a_direct_post() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    store = RemoteStore(url, 10, "urn:union", ("urn:g1", "urn:g2"))
    try:
        _Recorder.seen.clear()
        store.select("SELECT * WHERE { ?s ?p ?o }")
        store.select("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } # " + "x" * LONGEST_GET)
        store.query("SELECT * WHERE { ?s ?p ?o }", default_graphs=["urn:chosen"])
    finally:
        store.close()
        server.shutdown()
        server.server_close()
    (short, _, first), (long, kind, second), (_, _, third) = _Recorder.seen
    assert short == "GET" and first["default-graph-uri"] == "urn:union"
    assert "named-graph-uri" not in first  # it reads no named graph
    assert long == "POST" and kind == "application/x-www-form-urlencoded"
    assert second["default-graph-uri"] == "urn:union" and "named-graph-uri" in second
    assert third["default-graph-uri"] == "urn:chosen"


def test_an_endpoint_that_cannot_be_reached_or_is_too_slow_says_so() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql", 2)
    try:
        with pytest.raises(RemoteEndpointError) as refused:
            store.select("ASK {}")
        assert refused.value.status == 502 and "cannot be reached" in str(refused.value)
    finally:
        store.close()
