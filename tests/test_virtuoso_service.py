"""The build's dumps in a real OpenLink Virtuoso 7.2, loaded by `scripts/virtuoso` the way the
README tells an operator to load any SPARQL server before `serve --endpoint`: each named graph of
the N-Quads dump as it is, and the Turtle dump (the union of the data graphs) in one graph.

Virtuoso has no default graph of its own (without `default-graph-uri` a query reads every graph,
its system graphs included), so the union goes into `graph/union` and a client names it."""

from __future__ import annotations

import collections
import gzip
import io
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox
import pytest

from openforum_ld.config import Settings

from .virtuoso import virtuoso_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from .virtuoso import VirtuosoServer

pytestmark = pytest.mark.slow

PUBLIC_BASE = "https://w3id.org/openforum/"
UNION = PUBLIC_BASE + "graph/union"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The forum's dataset-level files (dumps, VoID, catalog) for the public base."""
    from openforum_ld import publish

    out = tmp_path_factory.mktemp("virtuoso-publication") / "site"
    publish.build(Settings.load(base_uri=PUBLIC_BASE), out, pages=False)
    return out


@pytest.fixture(scope="module")
def virtuoso(
    publication: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[VirtuosoServer]:
    with virtuoso_server(publication, tmp_path_factory.mktemp("virtuoso"), UNION) as server:
        yield server


def _turtle_dump(publication: Path) -> set[ox.Triple]:
    return {
        q.triple
        for q in ox.parse(path=publication / "dumps" / "openforum.ttl", format=ox.RdfFormat.TURTLE)
    }


def _quads_per_graph(publication: Path) -> dict[str, int]:
    data = gzip.decompress((publication / "dumps" / "openforum.nq.gz").read_bytes())
    quads = ox.parse(data, format=ox.RdfFormat.N_QUADS)
    return dict(
        collections.Counter(
            q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)
        )
    )


def _select(server: VirtuosoServer, query: str, *, union: bool = True) -> list[dict[str, str]]:
    """A SELECT by form POST (Virtuoso 7.2 never answers a POST of application/sparql-query)."""
    data = {"query": query, **({"default-graph-uri": UNION} if union else {})}
    response = httpx.post(server.url, data=data, headers={"Accept": JSON_RESULTS}, timeout=60)
    assert response.status_code == 200, response.text
    results = ox.parse_query_results(
        io.BytesIO(response.content), format=ox.QueryResultsFormat.JSON
    )
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in results]


def test_the_union_graph_holds_as_many_triples_as_the_turtle_dump(
    virtuoso: VirtuosoServer, publication: Path
) -> None:
    expected = len(_turtle_dump(publication))
    assert expected > 1000
    assert virtuoso.union_count == expected
    [row] = _select(virtuoso, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(row["n"]) == expected
    [row] = _select(
        virtuoso, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{UNION}> {{ ?s ?p ?o }} }}", union=False
    )
    assert int(row["n"]) == expected


def test_the_union_graph_gives_back_exactly_the_turtle_dump(
    virtuoso: VirtuosoServer, publication: Path
) -> None:
    """Every IRI, language tag and datatype survives the load and the CONSTRUCT as N-Triples."""
    response = httpx.post(
        virtuoso.url,
        data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "default-graph-uri": UNION},
        headers={"Accept": "application/n-triples"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/n-triples")
    triples = {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}
    assert triples == _turtle_dump(publication)


def test_every_named_graph_of_the_nquads_dump_is_there_with_its_triples(
    virtuoso: VirtuosoServer, publication: Path
) -> None:
    expected = _quads_per_graph(publication)
    assert len(expected) > 10
    assert virtuoso.graph_counts == expected
    rows = _select(
        virtuoso,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        union=False,
    )
    found = {row["g"]: int(row["n"]) for row in rows}
    ours = {g: n for g, n in found.items() if g.startswith(PUBLIC_BASE)}
    # Besides the dump's graphs, only the union graph is under our base; Virtuoso's own graphs
    # (virtrdf#, its service description, ldp#, DAV) are not.
    assert ours == {**expected, UNION: virtuoso.union_count}


def test_a_query_by_get_answers_sparql_json(virtuoso: VirtuosoServer) -> None:
    query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { ?s skos:prefLabel ?label FILTER(lang(?label) = 'fr') } ORDER BY STR(?label) LIMIT 3"
    response = httpx.get(
        virtuoso.url,
        params={"query": query, "default-graph-uri": UNION},
        headers={"Accept": JSON_RESULTS},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(JSON_RESULTS)
    results = ox.parse_query_results(
        io.BytesIO(response.content), format=ox.QueryResultsFormat.JSON
    )
    assert isinstance(results, ox.QuerySolutions)
    labels = [row["label"] for row in results]
    assert len(labels) == 3
    assert all(isinstance(label, ox.Literal) and label.language == "fr" for label in labels)


def test_a_query_by_form_post_answers_sparql_json(virtuoso: VirtuosoServer) -> None:
    response = httpx.post(
        virtuoso.url,
        data={
            "query": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?type }",
            "default-graph-uri": UNION,
        },
        headers={"Accept": JSON_RESULTS},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(JSON_RESULTS)
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 100


def test_ask_answers_a_boolean(virtuoso: VirtuosoServer) -> None:
    """With Virtuoso's built-in CaseMode an ASK comes back as a SELECT of __ASK_RETVAL; the ini
    that scripts/virtuoso writes sets CaseMode = 2, as Debian's does."""
    for query, answer in (("ASK { ?s ?p ?o }", True), ("ASK { <urn:nothing> ?p ?o }", False)):
        response = httpx.post(
            virtuoso.url,
            data={"query": query, "default-graph-uri": UNION},
            headers={"Accept": JSON_RESULTS},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is answer
