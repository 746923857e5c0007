"""The superterms of `ofo:` terms, stated by the loader: a client that knows only schema.org or
FOAF, and does no reasoning, finds what the data says with the project's own terms."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

from openforum_ld.infer import materialize_superterms
from openforum_ld.iris import FOAF, NAMESPACES, OFO, ONTOLOGY_IRI, SCHEMA
from openforum_ld.load import Dataset, list_source_files, load_dataset

from .conftest import LOCAL_BASE, TEST_DATA

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings

ONTOLOGY = ox.NamedNode(ONTOLOGY_IRI)

# What the ontology's subClassOf and subPropertyOf axioms on ofo: terms entail in each data graph
# and the graph does not state, worked out by SPARQL on the files alone.
ENTAILED = f"""
SELECT DISTINCT ?s ?p ?o ?g WHERE {{
  {{
    GRAPH <{ONTOLOGY_IRI}> {{ ?sub rdfs:subPropertyOf+ ?p }}
    FILTER(STRSTARTS(STR(?sub), "{OFO}") && isIRI(?p))
    GRAPH ?g {{ ?s ?sub ?o }}
  }} UNION {{
    GRAPH <{ONTOLOGY_IRI}> {{ ?class rdfs:subClassOf+ ?o }}
    FILTER(STRSTARTS(STR(?class), "{OFO}") && isIRI(?o))
    BIND(rdf:type AS ?p)
    GRAPH ?g {{ ?s a ?class }}
  }}
  FILTER(?g != <{ONTOLOGY_IRI}>)
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }}
}}
"""


def files_only(data_dir: Path, ontology_dir: Path) -> ox.Store:
    """The quads of the files as they are written: the ontology in its graph, nothing added."""
    store = ox.Store()
    for path in list_source_files(ontology_dir, "ontology"):
        store.load(
            path=str(path), format=ox.RdfFormat.TURTLE, base_iri=LOCAL_BASE, to_graph=ONTOLOGY
        )
    for path in list_source_files(data_dir, "data"):
        store.load(path=str(path), format=ox.RdfFormat.TRIG, base_iri=LOCAL_BASE)
    return store


def entailed(store: ox.Store) -> set[ox.Quad]:
    return {
        ox.Quad(row["s"], row["p"], row["o"], row["g"])
        for row in store.query(ENTAILED, prefixes=NAMESPACES)
    }


def added_by_the_loader(dataset: Dataset, written: ox.Store) -> set[ox.Quad]:
    """The named graphs' quads the files do not hold, but the loader's own mentions graph."""
    mentions = ox.NamedNode(dataset.iris.mentions_graph)
    return {
        q
        for q in dataset.store.oxigraph.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != mentions and q not in written
    }


@pytest.fixture(scope="module")
def written(settings: Settings) -> ox.Store:
    return files_only(settings.data_dir, settings.ontology_dir)


def test_the_loader_adds_exactly_what_the_ontology_entails(
    dataset: Dataset, written: ox.Store
) -> None:
    expected = entailed(written)
    assert expected, "the forum's data uses ofo: terms the ontology maps"
    assert added_by_the_loader(dataset, written) == expected


def test_every_agenda_order_is_a_schema_position_in_the_same_graph(dataset: Dataset) -> None:
    rows = dataset.store.select(
        "SELECT ?g ?event ?order ?position WHERE { GRAPH ?g { ?event ofo:agendaOrder ?order } "
        "OPTIONAL { GRAPH ?g { ?event schema:position ?position } } }"
    )
    assert rows, "the forum's sections and talks have agenda orders"
    assert all(row.get("position") == row["order"] for row in rows), rows


def test_a_talk_is_a_schema_event_in_the_graph_that_says_it_is_a_talk(dataset: Dataset) -> None:
    missing = dataset.store.select(
        "SELECT ?g ?talk WHERE { GRAPH ?g { ?talk a ofo:Talk } "
        "FILTER NOT EXISTS { GRAPH ?g { ?talk a schema:Event } } }"
    )
    talks = dataset.store.select("SELECT DISTINCT ?talk WHERE { ?talk a ofo:Talk }")
    assert talks and missing == []


def test_a_foaf_only_client_finds_the_source_documents(dataset: Dataset, written: ox.Store) -> None:
    rdf_type = ox.NamedNode(NAMESPACES["rdf"] + "type")
    documents = {
        q.subject
        for q in written.quads_for_pattern(None, rdf_type, ox.NamedNode(OFO + "SourceDocument"))
    }
    foaf_in_files = list(written.quads_for_pattern(None, rdf_type, ox.NamedNode(FOAF + "Document")))
    assert documents and foaf_in_files == [], "the files type documents with ofo: terms only"
    found = dataset.store.select("SELECT ?d WHERE { ?d a foaf:Document }")
    assert {row["d"] for row in found} == documents


def test_schema_org_and_foaf_queries_find_what_the_files_say_only_with_ofo_terms(
    dataset: Dataset, written: ox.Store
) -> None:
    # Everything the files state with an ofo: term, a query in the reused vocabularies finds in
    # the union: a schema.org or FOAF type or property the files never state for that subject.
    only_by_ofo = {
        (q.subject, q.predicate, q.object)
        for q in entailed(written)
        if q.predicate.value.startswith((SCHEMA, FOAF)) or q.object.value.startswith((SCHEMA, FOAF))
    }
    stated_anywhere = {
        (q.subject, q.predicate, q.object)
        for q in written.quads_for_pattern(None, None, None, None)
    }
    only_by_ofo -= stated_anywhere
    assert only_by_ofo, "schema:position of talks and foaf:Document are stated nowhere in the files"
    for subject, predicate, obj in only_by_ofo:
        assert dataset.store.query(f"ASK {{ {subject} {predicate} {obj} }}").boolean


def test_materializing_again_adds_nothing(settings: Settings) -> None:
    dataset = load_dataset(TEST_DATA / "valid", settings.ontology_dir, LOCAL_BASE)
    before = set(dataset.store.oxigraph)
    materialize_superterms(dataset.store)
    assert set(dataset.store.oxigraph) == before


def test_materializing_adds_as_many_quads_as_are_entailed(settings: Settings) -> None:
    from openforum_ld.store import Store

    store = Store()
    store.add_quads(files_only(TEST_DATA / "valid", settings.ontology_dir))
    expected = entailed(store.oxigraph)
    before = len(store)
    materialize_superterms(store)
    assert len(store) - before == len(expected) > 0
    assert {q for q in store.oxigraph if q in expected} == expected


EXTRA_ONTOLOGY = """
@prefix ofo: <https://w3id.org/openforum/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
ofo:Keynote rdfs:subClassOf ofo:Talk .
ofo:keynoteOrder rdfs:subPropertyOf ofo:agendaOrder .
schema:Statement rdfs:subClassOf schema:CreativeWork .
"""

EXTRA_DATA = """
@prefix ofo: <https://w3id.org/openforum/ontology#> .
@prefix schema: <http://schema.org/> .
<graph/extra> {
  <id/talk/keynote> a ofo:Keynote ; ofo:keynoteOrder 3 ; ofo:moderator <id/person/someone> .
  <id/conclusion/plain> a schema:Statement .
}
"""


def test_new_axioms_are_followed_along_their_chains_and_no_further(
    tmp_path: Path, settings: Settings
) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(settings.ontology_dir, ontology)
    (ontology / "extra.ttl").write_text(EXTRA_ONTOLOGY, encoding="utf-8")
    data = tmp_path / "data"
    shutil.copytree(TEST_DATA / "valid", data)
    (data / "extra.trig").write_text(EXTRA_DATA, encoding="utf-8")
    dataset = load_dataset(data, ontology, LOCAL_BASE)

    def in_extra(subject: str) -> set[tuple[str, str]]:
        quads = dataset.store.oxigraph.quads_for_pattern(
            ox.NamedNode(LOCAL_BASE + subject), None, None, ox.NamedNode(LOCAL_BASE + "graph/extra")
        )
        return {(q.predicate.value, q.object.value) for q in quads}

    rdf_type = NAMESPACES["rdf"] + "type"
    keynote = in_extra("id/talk/keynote")
    # A new ofo: class and property: through ofo:Talk and ofo:agendaOrder, up to schema.org.
    assert {(rdf_type, OFO + "Talk"), (rdf_type, SCHEMA + "Event")} <= keynote
    assert {(OFO + "agendaOrder", "3"), (SCHEMA + "position", "3")} <= keynote
    assert (SCHEMA + "contributor", LOCAL_BASE + "id/person/someone") in keynote
    # Domains and ranges are not applied: the moderator is not made a schema:Person.
    assert in_extra("id/person/someone") == set()
    # An axiom on a schema.org term is schema.org's to apply: a plain statement gets nothing...
    assert in_extra("id/conclusion/plain") == {(rdf_type, SCHEMA + "Statement")}
    # ... but a chain from an ofo: term goes through it: a conclusion is a schema:CreativeWork.
    conclusions = dataset.store.select(
        "SELECT ?g ?c ?work WHERE { GRAPH ?g { ?c a ofo:Conclusion } "
        "OPTIONAL { GRAPH ?g { ?c a ?work FILTER(?work = schema:CreativeWork) } } }"
    )
    assert conclusions and all("work" in row for row in conclusions), conclusions
    # Nothing of the extra graph's leaks into another graph.
    elsewhere = dataset.store.select(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ <{LOCAL_BASE}id/talk/keynote> ?p ?o }} }}"
    )
    assert {row["g"].value for row in elsewhere} <= {
        LOCAL_BASE + "graph/extra",
        dataset.iris.mentions_graph,
    }
