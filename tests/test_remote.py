"""`serve SITE --endpoint URL` on existing SPARQL servers: a real Oxigraph and a real OpenLink
Virtuoso 7.2, each loaded as the README says (the N-Quads dump's graphs as they are, the union in
`<base>graph/union`). Queries, search, paging and the graph-aware documents ask the endpoint; the
publication's store is never opened; the answers are those of the embedded store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import rdflib

from openforum_ld.publication import read_manifest

from .servers import openforum_server

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .servers import RunningServer

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
    on_endpoint: RunningServer, public_site: Path
) -> None:
    manifest = read_manifest(public_site)
    [count] = _select(on_endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(count["n"]["value"]) == manifest.triples == 2700
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


def test_pages_documents_and_search_come_from_the_endpoint(on_endpoint: RunningServer) -> None:
    page = httpx.get(on_endpoint.url + "id/person/john-maritim", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert '<h1 lang="en" dir="auto">John Maritim</h1>' in page.text
    assert "Report, section VII" in page.text  # the sources, from the graph of each statement
    trig = httpx.get(on_endpoint.url + "id/person/john-maritim.trig")
    dataset = rdflib.Dataset()
    dataset.parse(data=trig.content, format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {PUBLIC + "graph/report-vii", PUBLIC + "graph/editorial"} <= graphs
    assert PUBLIC + "graph/union" not in graphs
    listing = httpx.get(on_endpoint.url + "id/topic/", headers={"Accept": "text/html"})
    assert "37 in all." in listing.text
    hits = httpx.get(
        on_endpoint.url + "search", params={"q": "borrman"}, headers={"Accept": "application/json"}
    ).json()["results"]
    assert [hit["iri"] for hit in hits][:1] == [PUBLIC + "id/person/rudi-borrmann"]
    graph = httpx.get(
        on_endpoint.url + "graph/web-expert", headers={"Accept": "application/n-quads"}
    )
    assert graph.status_code == 200 and f"<{PUBLIC}graph/web-expert> ." in graph.text


def test_files_come_from_the_publication_and_its_store_is_not_opened(
    on_endpoint: RunningServer, public_site: Path
) -> None:
    dump = httpx.get(on_endpoint.url + "dumps/openforum.ttl")
    assert dump.content == (public_site / "dumps" / "openforum.ttl").read_bytes()
    catalog = httpx.get(on_endpoint.url + "catalog", headers={"Accept": "text/turtle"})
    assert catalog.status_code == 200
    # One server process and nothing under it: no query workers, which open the store.
    children = [
        entry.name
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _parent_of(entry) == on_endpoint.process.pid
    ]
    assert len(children) == 1
    [server_process] = children
    assert not [
        entry
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _parent_of(entry) == int(server_process)
    ]


def _parent_of(entry: Path) -> int | None:
    try:
        stat = (entry / "stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2 :].split()[1])
