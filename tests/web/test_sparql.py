"""`/sparql` with real clients. The `protocol_*` tests port the W3C SPARQL 1.1 Protocol test
cases that apply to a read-only endpoint (README lists them); each runs on the embedded store
and on the same server in front of a real Oxigraph server."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from ..conftest import InProcessClient

Client = InProcessClient | httpx.Client

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/openforum/ontology#Talk> }"
ASK = "ASK { ?t a <https://w3id.org/openforum/ontology#Talk> }"
CONSTRUCT = "CONSTRUCT { ?t <http://schema.org/name> ?n } WHERE { ?t a <https://w3id.org/openforum/ontology#Talk> ; <http://schema.org/name> ?n }"
DESCRIBE = "DESCRIBE ?f WHERE { ?f a <https://w3id.org/openforum/ontology#Forum> }"
SPARQL_JSON = "application/sparql-results+json"


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# ---------------------------------------------------------------------------- W3C protocol cases


def test_protocol_query_get(endpoint: Client) -> None:
    response = endpoint.get("sparql", params={"query": COUNT}, headers={"Accept": SPARQL_JSON})
    assert response.headers["content-type"].startswith(SPARQL_JSON)
    assert _count(response) == 15


def test_protocol_query_post_form(endpoint: Client) -> None:
    response = endpoint.post("sparql", data={"query": COUNT}, headers={"Accept": SPARQL_JSON})
    assert _count(response) == 15


def test_protocol_query_post_direct(endpoint: Client) -> None:
    response = endpoint.post(
        "sparql",
        content=COUNT.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON},
    )
    assert _count(response) == 15


def test_protocol_query_dataset_default_graph(endpoint: Client) -> None:
    # One graph as the default graph: only the talks the third agenda block lists.
    graph = _graph_iri(endpoint, "web-agenda-3")
    response = endpoint.get(
        "sparql",
        params={"query": COUNT, "default-graph-uri": graph},
        headers={"Accept": SPARQL_JSON},
    )
    assert _count(response) == 4


def test_protocol_query_dataset_default_graphs_get(endpoint: Client) -> None:
    graphs = [_graph_iri(endpoint, name) for name in ("web-agenda-3", "web-agenda-4")]
    params = [
        (
            "query",
            "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a <https://w3id.org/openforum/ontology#Talk> }",
        )
    ]
    params += [("default-graph-uri", g) for g in graphs]
    assert _count(endpoint.get("sparql", params=params, headers={"Accept": SPARQL_JSON})) == 8


def test_protocol_query_dataset_default_graphs_post(endpoint: Client) -> None:
    graphs = [_graph_iri(endpoint, name) for name in ("web-agenda-1", "web-agenda-2")]
    query = "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a <https://w3id.org/openforum/ontology#Talk> }"
    response = endpoint.post(
        "sparql",
        params=[("default-graph-uri", g) for g in graphs],
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON},
    )
    assert _count(response) == 7


def test_protocol_query_dataset_named_graphs_get(endpoint: Client) -> None:
    graphs = [_graph_iri(endpoint, name) for name in ("report-vi", "web-expert")]
    params = [("query", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")]
    params += [("named-graph-uri", g) for g in graphs]
    response = endpoint.get("sparql", params=params, headers={"Accept": SPARQL_JSON})
    assert response.status_code == 200, response.text
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == sorted(graphs)


def test_protocol_query_dataset_named_graphs_post(endpoint: Client) -> None:
    graph = _graph_iri(endpoint, "web-expert")
    response = endpoint.post(
        "sparql",
        data={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": graph,
        },
        headers={"Accept": SPARQL_JSON},
    )
    assert response.status_code == 200, response.text
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [graph]


def test_protocol_query_dataset_full(endpoint: Client) -> None:
    default = _graph_iri(endpoint, "web-expert")
    named = _graph_iri(endpoint, "web-agenda-1")
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <http://schema.org/Person> GRAPH ?g { ?t <http://schema.org/performer> ?x } }"
    response = endpoint.get(
        "sparql",
        params={"query": query, "default-graph-uri": default, "named-graph-uri": named},
        headers={"Accept": SPARQL_JSON},
    )
    assert (
        _count(response) == 3
    )  # the moderator alone in the default graph, three talks in the named one


def test_protocol_query_multiple_dataset_protocol_wins_over_from(endpoint: Client) -> None:
    agenda = _graph_iri(endpoint, "web-agenda-3")
    expert = _graph_iri(endpoint, "web-expert")
    query = f"SELECT (COUNT(*) AS ?n) FROM <{expert}> WHERE {{ ?t a <https://w3id.org/openforum/ontology#Talk> }}"
    response = endpoint.get(
        "sparql",
        params={"query": query, "default-graph-uri": agenda},
        headers={"Accept": SPARQL_JSON},
    )
    assert _count(response) == 4


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (SPARQL_JSON, SPARQL_JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", SPARQL_JSON),
        ("application/json", SPARQL_JSON),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ],
)
def test_protocol_query_content_type_select(endpoint: Client, accept: str, media_type: str) -> None:
    response = endpoint.get("sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    if media_type == SPARQL_JSON:
        assert _count(response) == 15
    elif media_type == "text/csv":
        assert list(csv.reader(io.StringIO(response.text))) == [["n"], ["15"]]
    elif media_type == "text/tab-separated-values":
        assert response.text.splitlines()[0] == "?n"
    else:
        results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)
        assert [s["n"].value for s in results] == ["15"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (SPARQL_JSON, SPARQL_JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_protocol_query_content_type_ask(endpoint: Client, accept: str, media_type: str) -> None:
    response = endpoint.get("sparql", params={"query": ASK}, headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == media_type
    answer = ox.parse_query_results(
        response.content,
        format=ox.QueryResultsFormat.JSON if "json" in media_type else ox.QueryResultsFormat.XML,
    )
    assert bool(answer) is True


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("*/*", "text/turtle", "turtle"),
    ],
)
def test_protocol_query_content_type_construct(
    endpoint: Client, accept: str, media_type: str, rdflib_format: str
) -> None:
    response = endpoint.get("sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    if rdflib_format in ("trig", "nquads"):
        parsed = rdflib.Dataset()
        parsed.parse(data=response.content, format=rdflib_format)
        count = sum(len(g) for g in parsed.graphs())
    else:
        count = len(rdflib.Graph().parse(data=response.content, format=rdflib_format))
    assert count == 15


def test_protocol_query_content_type_describe(endpoint: Client) -> None:
    response = endpoint.get("sparql", params={"query": DESCRIBE}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].split(";")[0] == "text/turtle"
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert (
        None,
        rdflib.URIRef("http://schema.org/startDate"),
        rdflib.Literal("2020-11-20", datatype=rdflib.XSD.date),
    ) in graph


def test_protocol_bad_query_method(endpoint: Client) -> None:
    response = endpoint.put(
        "sparql",
        content=COUNT.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 405


def test_protocol_bad_multiple_queries(endpoint: Client) -> None:
    response = endpoint.get("sparql", params=[("query", ASK), ("query", COUNT)])
    assert response.status_code == 400
    assert "one query" in response.text


def test_protocol_bad_query_wrong_media_type(endpoint: Client) -> None:
    response = endpoint.post("sparql", content=ASK.encode(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_protocol_bad_query_missing_form_type(endpoint: Client) -> None:
    response = endpoint.post("sparql", content=f"query={ASK}".encode())
    assert 400 <= response.status_code < 500


def test_protocol_bad_query_missing_direct_type(endpoint: Client) -> None:
    response = endpoint.post("sparql", content=ASK.encode(), headers={"Content-Type": ""})
    assert 400 <= response.status_code < 500


def test_protocol_bad_query_non_utf8(endpoint: Client) -> None:
    query = 'ASK { ?s ?p "caf\xe9" }'.encode("latin-1")
    response = endpoint.post(
        "sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_protocol_bad_query_syntax(endpoint: Client) -> None:
    response = endpoint.get("sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("400 Bad query")


def test_protocol_bad_update_get(endpoint: Client) -> None:
    response = endpoint.get("sparql", params={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert response.status_code == 403
    assert "read-only" in response.text


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"update=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", "application/x-www-form-urlencoded"),
        (b"DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
    ],
)
def test_protocol_update_is_refused(endpoint: Client, content: bytes, content_type: str) -> None:
    response = endpoint.post("sparql", content=content, headers={"Content-Type": content_type})
    assert response.status_code == 403
    assert "read-only" in response.text
    assert (
        _count(endpoint.get("sparql", params={"query": COUNT}, headers={"Accept": SPARQL_JSON}))
        == 15
    )


# ---------------------------------------------------------------------------- beyond the protocol


def test_a_parse_error_is_a_400_with_the_parsers_position(endpoint: Client) -> None:
    response = endpoint.get(
        "sparql",
        params={"query": "SELECT * WHERE {\n ?s ?p ?o .\n FILTER(?o > ) }"},
    )
    assert response.status_code == 400
    assert "line" in response.text or "error at" in response.text


def test_errors_come_in_the_format_asked_for(endpoint: Client) -> None:
    response = endpoint.get(
        "sparql",
        params={"query": "SELEC"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["status"] == 400 and body["detail"]
    assert response.headers["access-control-allow-origin"] == "*"


def test_nothing_acceptable_is_a_406_listing_the_offered_types(endpoint: Client) -> None:
    response = endpoint.get("sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert SPARQL_JSON in response.text and "text/csv" in response.text
    assert SPARQL_JSON in response.headers["x-openforum-offered"]


def test_a_format_parameter_serves_browsers(endpoint: Client) -> None:
    response = endpoint.get(
        "sparql",
        params={"query": COUNT, "format": "csv"},
        headers={"Accept": "text/html"},
    )
    assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (ASK, SPARQL_JSON),
        (COUNT, "text/csv"),
        (CONSTRUCT, "text/turtle"),
        (COUNT, "text/html"),
        (COUNT, "text/turtle"),
        ("nonsense", SPARQL_JSON),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", SPARQL_JSON),
        ("  ", SPARQL_JSON),
    ],
)
def test_a_query_posted_directly_is_answered_as_the_same_query_by_get(
    endpoint: Client, query: str, accept: str
) -> None:
    # The same status, headers and body, whether the answer is results, a page or a problem.
    by_get = endpoint.get("sparql", params={"query": query}, headers={"Accept": accept})
    posted = endpoint.post(
        "sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )
    assert posted.status_code == by_get.status_code
    assert posted.content == by_get.content

    def kept(response: httpx.Response) -> list[tuple[str, str]]:
        return [(k, v) for k, v in response.headers.multi_items() if k not in ("date", "server")]

    assert kept(posted) == kept(by_get)
    assert posted.headers["access-control-allow-origin"] == "*"


def test_cors_on_every_response_including_preflight_and_errors(endpoint: Client) -> None:
    for response in (
        endpoint.get("sparql", params={"query": ASK}),
        endpoint.get("sparql", params={"query": "nonsense"}),
        endpoint.get("no-such-page"),
    ):
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers
    preflight = endpoint.options(
        "sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_a_body_over_the_limit_is_refused_with_413(endpoint: Client) -> None:
    query = "ASK { " + "#" * 1_100_000 + "\n }"
    response = endpoint.post(
        "sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413


def test_service_is_refused_and_makes_no_outbound_connection(endpoint: Client) -> None:
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(2)
    touched: list[bytes] = []

    def watch() -> None:
        try:
            connection, _ = listener.accept()
            touched.append(connection.recv(100))
            connection.close()
        except OSError:
            pass

    watcher = threading.Thread(target=watch)
    watcher.start()
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    response = endpoint.get("sparql", params={"query": query})
    watcher.join()
    listener.close()
    assert response.status_code == 400
    assert "SERVICE" in response.text and "federation" in response.text
    assert touched == [], "the endpoint connected to the SERVICE address"


def test_the_row_cap_cuts_results_and_says_so(endpoint: Client) -> None:
    # The default cap (10,000) is above what the forum holds: ask for everything and check the
    # header is absent; the cap itself is exercised on a capped server in test_server.py.
    response = endpoint.get(
        "sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": SPARQL_JSON},
    )
    assert response.headers["x-openforum-row-limit"] == "10000"
    assert "x-openforum-truncated" not in response.headers


def test_without_a_query_rdf_clients_get_the_service_description(
    endpoint: Client, union_triples: int
) -> None:
    for accept in ("text/turtle", "*/*", None):
        headers = {"Accept": accept} if accept else {}
        response = endpoint.get("sparql", headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=response.content, format="turtle")
        sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
        [service] = list(graph.subjects(rdflib.RDF.type, sd.Service))
        assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
        assert (service, sd.feature, sd.UnionDefaultGraph) in graph
        assert len(list(graph.objects(service, sd.resultFormat))) == 10
        triples = next(graph.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#triples")))
        assert int(triples) == union_triples
        assert len(list(graph.subjects(rdflib.RDF.type, sd.NamedGraph))) >= 15


def test_without_a_query_browsers_get_the_query_page(endpoint: Client) -> None:
    response = endpoint.get(
        "sparql",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<textarea id="query" name="query"' in page
    assert page.count('data-example="') >= 25
    assert "Who moderated the forum?" in page
    assert "static/vendor/codemirror/codemirror.js" in page
    assert "https://" not in page.split("<body>")[0].replace("https://w3id.org", "")


def test_a_browser_running_a_query_gets_a_results_table(endpoint: Client) -> None:
    query = "SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://xmlns.com/foaf/0.1/name> ?name } ORDER BY ?name"
    response = endpoint.get("sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert '<table class="results">' in response.text
    assert "Abdelkrim Marzouk" in response.text and "Results (19 rows)" in response.text


def test_well_known_void_is_turtle_for_any_client(endpoint: Client) -> None:
    for accept in ("*/*", None, "text/turtle"):
        response = endpoint.get(".well-known/void", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=response.content, format="turtle")
        void = rdflib.Namespace("http://rdfs.org/ns/void#")
        assert str(next(graph.objects(None, void.sparqlEndpoint))).endswith("/sparql")
        assert len(list(graph.objects(None, void.dataDump))) == 6
    as_jsonld = endpoint.get(".well-known/void", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=as_jsonld.content, format="json-ld")) > 50


# ---------------------------------------------------------------------------- real clients


@pytest.mark.slow  # a real server process
def test_sparqlwrapper_reads_the_endpoint(endpoint_url: str) -> None:
    client = SPARQLWrapper(endpoint_url + "sparql")
    client.setQuery(
        "SELECT ?name WHERE { ?f a <https://w3id.org/openforum/ontology#Forum> ; <http://schema.org/name> ?name }"
    )
    client.setReturnFormat(JSON)
    results = client.queryAndConvert()
    assert [b["name"]["value"] for b in results["results"]["bindings"]] == [
        "Open Smart Regions: Convergence for Openness"
    ]
    client.setMethod("POST")
    client.setQuery(ASK)
    assert client.queryAndConvert()["boolean"] is True


@pytest.mark.slow  # a real server process
def test_rdflib_sparqlstore_reads_the_endpoint(endpoint_url: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint_url + "sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(
        graph.query("SELECT ?m WHERE { ?f <https://w3id.org/openforum/ontology#moderator> ?m }")
    )
    assert len(rows) == 1 and str(rows[0][0]).endswith("/id/person/tarik-nesh-nash")


def _graph_iri(server: Client, name: str) -> str:
    response = server.get(
        "sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": SPARQL_JSON},
    )
    graphs = [b["g"]["value"] for b in response.json()["results"]["bindings"]]
    [found] = [g for g in graphs if g.endswith(f"/graph/{name}")]
    return found


def test_results_json_is_what_the_spec_says(endpoint: Client) -> None:
    query = 'SELECT ?p ?label WHERE { ?p a <http://schema.org/Person> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(?label = "John Maritim"@en) }'
    response = endpoint.get("sparql", params={"query": query}, headers={"Accept": SPARQL_JSON})
    body = json.loads(response.content)
    assert body["head"]["vars"] == ["p", "label"]
    [row] = body["results"]["bindings"]
    assert row["p"]["type"] == "uri" and row["p"]["value"].endswith("/id/person/john-maritim")
    assert row["label"] == {"type": "literal", "value": "John Maritim", "xml:lang": "en"}


@pytest.mark.slow  # a real server process
def test_with_federation_on_a_service_call_reaches_the_other_endpoint(
    oxigraph_endpoint: str,
) -> None:
    from ..servers import openforum_server

    # The other endpoint holds the forum under its public base; ours under its own address, so
    # an answer that names public IRIs can only have come through SERVICE.
    # Oxigraph holds the union in a graph of its own, as the README says to load it.
    query = f"""PREFIX schema: <http://schema.org/>
SELECT ?person WHERE {{
  SERVICE <{oxigraph_endpoint}> {{
    GRAPH <https://w3id.org/openforum/graph/union> {{
      ?person a schema:Person ; schema:name "John Maritim"@en
    }}
  }}
}}"""
    with openforum_server("--workers", "1", "--federation") as server:
        response = httpx.get(
            server.url + "sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        description = httpx.get(server.url + "sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    people = [row["person"]["value"] for row in response.json()["results"]["bindings"]]
    assert people == ["https://w3id.org/openforum/id/person/john-maritim"]
    graph = rdflib.Graph().parse(data=description.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.feature, sd.BasicFederatedQuery) in graph


def test_a_repeated_query_gets_the_same_answer_in_the_format_each_time_asks_for(
    endpoint: Client,
) -> None:
    # Repeats may be answered from memory: the format and the dataset must still be respected.
    query = "PREFIX schema: <http://schema.org/> SELECT ?s WHERE { ?s a schema:Person } ORDER BY ?s"
    url = "sparql"
    as_json = [
        endpoint.get(
            url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        for _ in range(3)
    ]
    as_csv = endpoint.get(url, params={"query": query}, headers={"Accept": "text/csv"})
    people = len(json.loads(as_json[0].content)["results"]["bindings"])
    assert people >= 19
    assert all(r.status_code == 200 and r.content == as_json[0].content for r in as_json)
    assert {r.headers["content-type"].split(";")[0] for r in as_json} == {
        "application/sparql-results+json"
    }
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(as_csv.text)))) == people + 1
    # The same text on one source graph only: a different dataset, a different answer.
    graphs = endpoint.get(
        url,
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    one_graph = sorted(row["g"]["value"] for row in graphs)[0]
    narrowed = endpoint.get(
        url,
        params={"query": query, "default-graph-uri": one_graph},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert narrowed.status_code == 200
    assert len(narrowed.json()["results"]["bindings"]) < people


def test_relative_iris_resolve_against_the_publications_base(endpoint: Client) -> None:
    # The endpoint is {base}sparql, so the base is what the request's own URL resolves to.
    mentions = _graph_iri(endpoint, "mentions")
    absolute = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{mentions}> {{ ?s ?p ?o }} }}"
    relative = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <graph/mentions> { ?s ?p ?o } }"
    expected = _count(
        endpoint.get("sparql", params={"query": absolute}, headers={"Accept": SPARQL_JSON})
    )
    assert expected > 0
    answered = endpoint.get("sparql", params={"query": relative}, headers={"Accept": SPARQL_JSON})
    assert _count(answered) == expected


def test_a_relative_base_of_the_querys_own_resolves_against_the_publications(
    app_client: InProcessClient,
) -> None:
    # Embedded only: a remote server is sent such a query as it is, and resolves it as it does.
    mentions = _graph_iri(app_client, "mentions")
    absolute = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{mentions}> {{ ?s ?p ?o }} }}"
    nested = "BASE <graph/> SELECT (COUNT(*) AS ?n) WHERE { GRAPH <mentions> { ?s ?p ?o } }"
    expected = _count(
        app_client.get("sparql", params={"query": absolute}, headers={"Accept": SPARQL_JSON})
    )
    answered = app_client.get("sparql", params={"query": nested}, headers={"Accept": SPARQL_JSON})
    assert _count(answered) == expected > 0


def test_a_query_with_its_own_base_keeps_it(endpoint: Client) -> None:
    query = "BASE <http://elsewhere.example/> SELECT ?iri WHERE { BIND(<graph/mentions> AS ?iri) }"
    response = endpoint.get("sparql", params={"query": query}, headers={"Accept": SPARQL_JSON})
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    assert row["iri"] == {"type": "uri", "value": "http://elsewhere.example/graph/mentions"}
