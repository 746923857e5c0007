"""SHACL Core run on the store finds what pyshacl finds: every invalid case, result by result."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from openforum_ld.load import load_dataset
from openforum_ld.rdf.convert import rdflib_graph
from openforum_ld.validate import load_shapes, validate_dataset
from openforum_ld.validate.core_sparql import compile_core
from openforum_ld.validate.sparql_constraints import lift_constraints, split_shapes

from ..conftest import ROOT, TEST_DATA
from ..invalid_cases import InvalidCase, invalid_cases, load_broken

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings

Finding = tuple[str, str | None, str, str | None]


def _shown(term: rdflib.term.Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return "_:"  # each graph has its own labels (a path that is not an IRI, a blank node)
    return term.n3()


def _core_findings(report: rdflib.Graph) -> set[Finding]:
    found = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        component = report.value(node, SH.sourceConstraintComponent)
        if component == SH.SPARQLConstraintComponent:
            continue
        found.add(
            (
                _shown(report.value(node, SH.focusNode)) or "",
                _shown(report.value(node, SH.resultPath)),
                str(component),
                _shown(report.value(node, SH.value)),
            )
        )
    return found


def test_every_shipped_node_shape_is_compiled_so_pyshacl_has_nothing_left() -> None:
    shapes = load_shapes(ROOT / "shapes")
    _, lifted = lift_constraints(shapes)
    core = compile_core(shapes, lifted)
    assert core.compiled == set(shapes.subjects(RDF.type, SH.NodeShape))
    assert core.left(shapes) is None


@pytest.mark.parametrize("case", invalid_cases(), ids=lambda c: c.name)
def test_each_invalid_case_gives_the_results_pyshacl_gives(
    case: InvalidCase, settings: Settings
) -> None:
    dataset = load_broken(case, settings)
    ours = validate_dataset(dataset, settings.shapes_dir)
    core, _ = split_shapes(load_shapes(settings.shapes_dir))
    _, theirs, _ = pyshacl.validate(
        dataset.store.to_rdflib(),
        shacl_graph=core,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(theirs, rdflib.Graph)
    expected = _core_findings(theirs)
    assert _core_findings(ours.graph) == expected


_SHAPES_NOT_ALL_COMPILED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix ex: <http://example.org/> .
ex:OneKindShape a sh:NodeShape ;
    sh:targetClass schema:Person ;
    sh:xone ( [ sh:class schema:Person ] [ sh:class foaf:Person ] ) .
ex:ShoeSizeShape a sh:NodeShape ;
    sh:targetClass schema:Person ;
    sh:property [ sh:path ex:shoeSize ; sh:minCount 1 ] .
"""


def test_a_shape_the_compiler_does_not_take_is_checked_by_pyshacl(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "shapes.ttl").write_text(_SHAPES_NOT_ALL_COMPILED, encoding="utf-8")
    valid = load_dataset(TEST_DATA / "valid", settings.ontology_dir, settings.base_uri)
    report = validate_dataset(valid, tmp_path)
    with valid.store.set_aside() as default_graph:
        data = rdflib_graph(default_graph)
    people = set(data.subjects(RDF.type, rdflib.URIRef("http://schema.org/Person")))
    assert people
    by_shape: dict[str | None, set[str]] = {}
    for result in report.violations:
        by_shape.setdefault(result.node_shape, set()).add(result.focus)
    assert by_shape == {
        "http://example.org/OneKindShape": {str(p) for p in people},
        "http://example.org/ShoeSizeShape": {str(p) for p in people},
    }
