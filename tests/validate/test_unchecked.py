"""The shapes handed to the SHACL Core processor leave out what checks nothing, and find the same."""

from __future__ import annotations

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from openforum_ld.validate import load_shapes
from openforum_ld.validate.sparql_constraints import split_shapes
from openforum_ld.validate.unchecked import without_unchecked_shapes

from ..conftest import ROOT

_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:closed true ;
    sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
    sh:property [ sh:name "note"@en ; sh:description "A note."@en ; sh:path ex:note ] ,
        [ sh:name "size"@en ; sh:path ex:size ; sh:maxCount 1 ] .
ex:DocumentedShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:name "label"@en ; sh:path ex:label ] .
"""


def _results(data: str, shapes: rdflib.Graph) -> set[tuple[str, str, str]]:
    graph = rdflib.Graph().parse(data=data, format="turtle")
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert isinstance(report, rdflib.Graph)
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.sourceConstraintComponent)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def test_a_closed_shape_still_allows_the_path_of_a_property_shape_that_checks_nothing() -> None:
    shapes = rdflib.Graph().parse(data=_SHAPES, format="turtle")
    pruned = without_unchecked_shapes(shapes)
    assert len(set(pruned.objects(None, SH.property))) == 1
    data = """@prefix ex: <http://example.org/> .
        ex:a a ex:Thing ; ex:note "kept" ; ex:size 1, 2 ; ex:colour "red" ."""
    found = _results(data, pruned)
    assert found == _results(data, shapes)
    assert {(c.rsplit("#", 1)[-1], p) for _, p, c in found} == {
        ("MaxCountConstraintComponent", "http://example.org/size"),
        ("ClosedConstraintComponent", "http://example.org/colour"),
    }


def test_no_property_shape_left_for_the_processor_checks_nothing() -> None:
    shapes = load_shapes(ROOT / "shapes")
    core, _ = split_shapes(shapes)
    pruned = without_unchecked_shapes(core)
    documented = set(shapes.objects(None, SH.property))
    left = set(pruned.objects(None, SH.property))
    assert left < documented
    for shape in left:
        assert set(pruned.predicates(shape, None)) - {SH.path, SH.name, SH.description, SH.message}
    # The shapes as written are untouched: their documentation is what the workbooks show.
    assert set(shapes.objects(None, SH.property)) == documented
