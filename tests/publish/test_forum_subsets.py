"""VoID of a publication with two forums: a subset per forum, the catalog's dataset of that forum,
whose counts are those of the forum's named graphs in the published dumps."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, VOID

from ..test_vocabulary import _exists
from .test_forum_datasets import FORUMS

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset

OFO = rdflib.Namespace("https://w3id.org/openforum/ontology#")
SCHEMA = rdflib.Namespace("http://schema.org/")
Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]


def _void(site: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(site / "void.ttl", format="turtle")


def _whole(void: rdflib.Graph) -> rdflib.term.Node:
    [node] = set(void.subjects(VOID.dataDump, None))
    return node


def _forum_graphs(dump: rdflib.Dataset, base: str) -> dict[str, set[rdflib.URIRef]]:
    """Each forum's named graphs as the dump's graph/sources states them: the sourced graphs
    derived from a document about that forum."""
    sources = dump.graph(rdflib.URIRef(base + "graph/sources"))
    found: dict[str, set[rdflib.URIRef]] = {}
    for graph in sources.subjects(RDF.type, OFO.SourcedGraph):
        for document in sources.objects(graph, PROV.wasDerivedFrom):
            if (document, RDF.type, OFO.SourceDocument) in sources:
                for forum in sources.objects(document, SCHEMA.about):
                    found.setdefault(str(forum), set()).add(graph)
    return found


def _statements(dump: rdflib.Dataset, graphs: set[rdflib.URIRef]) -> set[Triple]:
    return {triple for g in graphs for triple in dump.graph(g)}


def test_each_forum_is_a_subset_of_the_whole_by_its_catalog_iri_with_its_graphs(
    two_forums_site: Path, two_forums_dataset: Dataset
) -> None:
    void = _void(two_forums_site)
    catalog = rdflib.Graph().parse(two_forums_site / "catalog.ttl", format="turtle")
    base = two_forums_dataset.iris.base
    whole = _whole(void)
    subsets = {
        s for s in void.objects(whole, VOID.subset) if (s, RDF.type, VOID.Linkset) not in void
    }
    assert subsets == {rdflib.URIRef(f"{base}catalog#forum-{slug}") for slug in FORUMS}
    for subset in subsets:
        assert (subset, RDF.type, VOID.Dataset) in void
        assert (subset, RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")) in catalog
        graphs = set(void.objects(subset, DCTERMS.hasPart))
        assert graphs and graphs == set(catalog.objects(subset, DCTERMS.hasPart))
        assert set(void.objects(subset, DCTERMS.title)) == set(
            catalog.objects(subset, DCTERMS.title)
        )


def test_each_forums_counts_are_those_of_its_graphs_in_the_dumps(
    two_forums_site: Path, two_forums_dataset: Dataset
) -> None:
    void = _void(two_forums_site)
    base = two_forums_dataset.iris.base
    dump = rdflib.Dataset()
    dump.parse(two_forums_site / "dumps" / "openforum.trig", format="trig")
    union = {triple for g in dump.graphs() for triple in g}
    withdrawn = {s for s, p, o in union if p == OWL.deprecated and o.toPython() is True}
    graphs_of = _forum_graphs(dump, base)
    assert set(graphs_of) == {f"{base}id/forum/{slug}" for slug in FORUMS}
    for slug in FORUMS:
        subset = rdflib.URIRef(f"{base}catalog#forum-{slug}")
        graphs = graphs_of[f"{base}id/forum/{slug}"]
        assert set(void.objects(subset, DCTERMS.hasPart)) == graphs
        statements = _statements(dump, graphs)
        subjects = {s for s, _, _ in statements}
        typed = {(s, o) for s, p, o in statements if p == RDF.type}
        expected = {
            VOID.triples: len(statements),
            VOID.entities: len(
                {s for s in subjects if str(s).startswith(base + "id/") and s not in withdrawn}
            ),
            VOID.distinctSubjects: len(subjects),
            VOID.distinctObjects: len({o for _, _, o in statements}),
            VOID.properties: len({p for _, p, _ in statements}),
            VOID.classes: len({c for _, c in typed}),
        }
        stated = {prop: int(void.value(subset, prop)) for prop in expected}
        assert stated == expected, slug
        classes = {
            void.value(node, VOID["class"]): int(void.value(node, VOID.entities))
            for node in void.objects(subset, VOID.classPartition)
        }
        assert classes == dict(Counter(c for _, c in typed))
        properties = {
            void.value(node, VOID.property): int(void.value(node, VOID.triples))
            for node in void.objects(subset, VOID.propertyPartition)
        }
        assert properties == dict(Counter(p for _, p, _ in statements))


def test_a_shared_entity_counts_in_each_forum_and_the_shared_graphs_in_the_whole_only(
    two_forums_site: Path, two_forums_dataset: Dataset
) -> None:
    void = _void(two_forums_site)
    base = two_forums_dataset.iris.base
    dump = rdflib.Dataset()
    dump.parse(two_forums_site / "dumps" / "openforum.trig", format="trig")
    graphs_of = _forum_graphs(dump, base)
    person = rdflib.URIRef(base + "id/person/slobodan-milic")
    for graphs in graphs_of.values():
        assert any((person, None, None) in dump.graph(g) for g in graphs)
    subsets = [rdflib.URIRef(f"{base}catalog#forum-{slug}") for slug in FORUMS]
    whole = _whole(void)
    # The editorial and sources graphs are no forum's: the forums' triples add up to less.
    assert sum(int(void.value(s, VOID.triples)) for s in subsets) < int(
        void.value(whole, VOID.triples)
    )
    shared = set.intersection(
        *({s for s, _, _ in _statements(dump, graphs)} for graphs in graphs_of.values())
    )
    assert person in shared
    assert sum(int(void.value(s, VOID.distinctSubjects)) for s in subsets) >= len(shared) + max(
        int(void.value(s, VOID.distinctSubjects)) for s in subsets
    )


def test_the_void_of_two_forums_uses_only_terms_its_vocabularies_define(
    two_forums_site: Path,
) -> None:
    void = _void(two_forums_site)
    used = {str(p) for p in void.predicates()} | {str(c) for c in void.objects(None, RDF.type)}
    assert sorted(t for t in used if not _exists(t)) == []


def test_a_publication_of_one_forum_describes_no_forum_apart(built_site: Path) -> None:
    void = _void(built_site)
    whole = _whole(void)
    assert all((s, RDF.type, VOID.Linkset) in void for s in void.objects(whole, VOID.subset))
    for name in ("void.ttl", "catalog.ttl"):
        assert "catalog#forum-" not in (built_site / name).read_text(encoding="utf-8"), name
