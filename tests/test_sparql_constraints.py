"""The SPARQL-based constraints run on the store must find what pyshacl finds."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from openforum_ld.validate import load_shapes, validate_dataset
from openforum_ld.validate.sparql_constraints import split_shapes

from .conftest import ROOT, without_named_graph_constraints
from .invalid_cases import InvalidCase, invalid_cases, load_broken

SPARQL_CASES = [
    case
    for case in invalid_cases()
    if case.shape
    in {
        "AgendaRulesShape",
        "SourcedEntityShape",
        "NoDanglingLinkShape",
        "SpeakerShape",
        "TalkInForumShape",
        "PostShape",
        "OrganizationShape",
        "MembershipShape",
        "PlaceShape",
        "ActionPlanShape",
        "CommitmentShape",
        "PositionRulesShape",
        "ConceptShape",
        "SourceDocumentShape",
        "SourceSectionShape",
        "SourcedGraphShape",
        "EntityShape",
        "ForumShape",
    }
]


def _sparql_results(report_graph) -> set[tuple[str, str]]:
    found = set()
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        if report_graph.value(result, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent:
            found.add(
                (
                    str(report_graph.value(result, SH.focusNode)),
                    str(report_graph.value(result, SH.sourceShape)),
                )
            )
    return found


def _sparql_only(shapes: Graph) -> Graph:
    """The node shapes' targets and SPARQL constraints alone, so pyshacl's slow per-node
    evaluation has nothing else to do."""
    kept = Graph()
    for shape, constraint in shapes.subject_objects(SH.sparql):
        kept.add((shape, RDF.type, SH.NodeShape))
        kept.add((shape, SH.sparql, constraint))
        for target in shapes.objects(shape, SH.targetClass):
            kept.add((shape, SH.targetClass, target))
        for triple in shapes.cbd(constraint):
            kept.add(triple)
    for triple in shapes.cbd(URIRef("https://w3id.org/openforum/shapes#")):
        kept.add(triple)
    return kept


def test_the_shapes_have_sparql_constraints_to_lift() -> None:
    core, constraints = split_shapes(load_shapes(ROOT / "shapes"))
    assert len(constraints) >= 20
    assert not any(p == SH.sparql for _, p, _ in core)


@pytest.mark.slow  # pyshacl evaluates each SPARQL constraint once per focus node: ~3 s a case
@pytest.mark.parametrize("case", SPARQL_CASES, ids=lambda c: c.name)
def test_the_store_finds_the_same_sparql_violations_as_pyshacl(case: InvalidCase, settings) -> None:
    dataset = load_broken(case, settings)
    ours = validate_dataset(dataset, settings.shapes_dir)
    _, pyshacl_graph, _ = pyshacl.validate(
        dataset.store.to_rdflib(),
        shacl_graph=_sparql_only(without_named_graph_constraints(load_shapes(settings.shapes_dir))),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert _sparql_results(ours.graph) == _sparql_results(pyshacl_graph)
