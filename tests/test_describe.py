"""What the dataset says about one resource, as pages and RDF documents read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import ONTOLOGY_IRI, SKOS
from openforum_ld.rdf.terms import TermLabels
from openforum_ld.views.describe import Describer

from .conftest import ROOT

if TYPE_CHECKING:
    from openforum_ld.load import Dataset

LABEL = ox.NamedNode(SKOS + "prefLabel")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_a_document_gives_each_neighbours_label_once_in_the_first_graph_stating_it(
    dataset: Dataset,
) -> None:
    store = dataset.store.oxigraph
    describer = Describer(
        dataset.store, dataset.iris, TermLabels(sorted((ROOT / "ontology").glob("*.ttl")))
    )
    # A section that mentions a topic whose label several sections state.
    rows = dataset.store.select(
        'SELECT ?section WHERE { ?t skos:prefLabel "transparency"@en . '
        "?section a ofo:SourceSection ; schema:mentions ?t } ORDER BY ?section LIMIT 1"
    )
    section = ox.NamedNode(rows[0]["section"].value)
    quads = describer.resource_quads(section.value)

    # Every statement about the section, in every graph that states it.
    about = {
        q
        for q in store.quads_for_pattern(section, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != ONTOLOGY_IRI
    } | {
        q
        for q in store.quads_for_pattern(None, None, section, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != ONTOLOGY_IRI
    }
    assert about <= set(quads)

    neighbours = {q.object for q in about if q.subject == section and q.predicate.value != RDF_TYPE}
    neighbours |= {q.subject for q in about if q.object == section}
    neighbours = {n for n in neighbours if isinstance(n, ox.NamedNode) and n != section}
    expected: dict[tuple[ox.NamedNode, ox.Literal], str] = {}
    restated = 0
    for neighbour in neighbours:
        stated: dict[ox.Literal, list[str]] = {}
        for q in store.quads_for_pattern(neighbour, LABEL, None, None):
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != ONTOLOGY_IRI:
                stated.setdefault(q.object, []).append(q.graph_name.value)  # type: ignore[arg-type]
        for label, graphs in stated.items():
            expected[(neighbour, label)] = min(graphs)
            restated += len(graphs) > 1
    assert restated, "the test needs a neighbour whose label several graphs state"

    found = {
        (q.subject, q.object): q.graph_name.value
        for q in quads
        if q.predicate == LABEL and q.subject != section
    }
    assert len(found) == sum(1 for q in quads if q.predicate == LABEL and q.subject != section)
    assert found == expected


def test_a_page_shows_a_value_once_under_the_refining_property_the_document_keeps_both(
    dataset: Dataset,
) -> None:
    describer = Describer(
        dataset.store, dataset.iris, TermLabels(sorted((ROOT / "ontology").glob("*.ttl")))
    )
    talk = dataset.iris.base + "id/talk/scaling-up-open-regions-in-morocco"
    position = "http://schema.org/position"
    agenda_order = "https://w3id.org/openforum/ontology#agendaOrder"
    shown = {group.predicate for group in describer.describe_resource(talk).properties}
    assert agenda_order in shown and position not in shown
    documented = {q.predicate.value for q in describer.resource_quads(talk)}
    assert {agenda_order, position} <= documented
    # Incoming: the forum's page lists what was stated in it, not again as "subject of".
    forum = dataset.iris.base + "id/forum/open-smart-regions-2020"
    incoming = {g.predicate for g in describer.describe_resource(forum).incoming}
    assert "https://w3id.org/openforum/ontology#statedIn" in incoming
    assert "http://schema.org/subjectOf" not in incoming
