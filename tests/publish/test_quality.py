"""The quality of the data in W3C DQV: the SHACL report linked from the catalog and VoID, and
measurements of what the validation checked, as pyshacl itself would count them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rdflib
from pyshacl.shapes_graph import ShapesGraph
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, SKOS, VOID, XSD

from openforum_ld.rdf.convert import rdflib_graph
from openforum_ld.validate import load_shapes

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset
    from openforum_ld.validate import ValidationReport

    from ..conftest import InProcessClient

DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
BASE = "http://127.0.0.1:8000/"


def _measurements(graph: rdflib.Graph, dataset: rdflib.term.Node) -> dict[str, rdflib.Literal]:
    """Each measurement's value by its metric's English label."""
    found = {}
    for measurement in graph.objects(dataset, DQV.hasQualityMeasurement):
        assert (measurement, RDF.type, DQV.QualityMeasurement) in graph
        assert graph.value(measurement, DQV.computedOn) == dataset
        metric = graph.value(measurement, DQV.isMeasurementOf)
        assert (metric, RDF.type, DQV.Metric) in graph
        labels = {label.language: str(label) for label in graph.objects(metric, SKOS.prefLabel)}
        assert set(labels) == {"en", "fr"}
        value = graph.value(measurement, DQV.value)
        assert isinstance(value, rdflib.Literal)
        assert value.datatype == graph.value(metric, DQV.expectedDataType)
        assert str(graph.value(measurement, DCTERMS.date)) == "2020-12-01"  # the build's date
        found[labels["en"]] = value
    return found


def _what_pyshacl_checks(dataset: Dataset, settings: Settings) -> tuple[int, int]:
    """Distinct focus nodes of the targeted node shapes, and the value nodes of their property
    shapes, as pyshacl's own target and path code finds them."""
    shapes = ShapesGraph(load_shapes(settings.shapes_dir))
    with dataset.store.set_aside() as default_graph:
        data = rdflib_graph(default_graph)
    focus: set[rdflib.term.Node] = set()
    values = 0
    for shape in shapes.shapes:
        if shape.is_property_shape or not isinstance(shape.node, rdflib.URIRef):
            continue
        nodes = shape.focus_nodes(data)
        focus |= set(nodes)
        for node in shape.property_shapes():
            found = shapes.lookup_shape_from_node(node).value_nodes(data, nodes)
            values += sum(len(v) for v in found.values())
    return len(focus), values


def test_the_catalog_measures_what_the_validation_checked_and_found(
    built_site: Path,
    dataset: Dataset,
    settings: Settings,
    report: ValidationReport,
    shape_count: int,
) -> None:
    catalog = rdflib.Graph().parse(built_site / "catalog.ttl", format="turtle")
    [node] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    measured = _measurements(catalog, node)
    focus_nodes, value_nodes = _what_pyshacl_checks(dataset, settings)
    shapes = load_shapes(settings.shapes_dir)
    assert measured["Conformance to the SHACL shapes"] == rdflib.Literal(
        report.conforms, datatype=XSD.boolean
    )
    assert report.conforms
    assert measured["Resources checked by the shapes"].toPython() == focus_nodes > 200
    assert measured["Values checked by the shapes"].toPython() == value_nodes > focus_nodes
    assert measured["Statements validated"].toPython() == dataset.store.default_graph_size()
    assert measured["Node shapes"].toPython() == shape_count
    assert measured["Property shapes"].toPython() == len(list(shapes.objects(None, SH.property)))
    assert measured["Violations"].toPython() == len(report.violations) == 0
    assert measured["Warnings"].toPython() == sum(r.severity == "Warning" for r in report.results)


def test_the_catalog_and_void_link_the_shacl_report_as_quality_metadata(
    built_site: Path,
) -> None:
    for name in ("catalog.ttl", "void.ttl"):
        graph = rdflib.Graph().parse(built_site / name, format="turtle")
        [node] = set(graph.subjects(DQV.hasQualityMetadata, None))
        assert (node, RDF.type, DCAT.Dataset if name == "catalog.ttl" else VOID.Dataset) in graph
        [report] = list(graph.objects(node, DQV.hasQualityMetadata))
        assert str(report) == BASE + "validation/report.ttl"
        assert (report, RDF.type, DQV.QualityMetadata) in graph
        assert str(graph.value(report, rdflib.RDFS.seeAlso)) == BASE + "validation/index.html"
        assert (built_site / "validation" / "index.html").is_file()
        published = rdflib.Graph().parse(built_site / "validation" / "report.ttl")
        [verdict] = list(published.objects(None, SH.conforms))
        assert verdict.toPython() is True
        assert len(list(graph.objects(node, DQV.hasQualityMeasurement))) == 8, name


def test_a_failing_measure_is_what_the_report_says(
    dataset: Dataset, settings: Settings, report: ValidationReport
) -> None:
    from dataclasses import replace

    from openforum_ld.publish.quality import describe_quality, validation_figures
    from openforum_ld.rdf.graph import Graph

    failed = replace(report, conforms=False)
    figures = validation_figures(failed, load_shapes(settings.shapes_dir), dataset.store)
    graph = Graph()
    describe_quality(graph, BASE, BASE + "catalog#dataset", figures, "2020-12-01")
    measured = _measurements(rdflib_graph(graph.store), rdflib.URIRef(BASE + "catalog#dataset"))
    assert measured["Conformance to the SHACL shapes"].toPython() is False


def test_the_validation_page_shows_the_figures_the_catalog_gives(
    built_site: Path, app_client: InProcessClient
) -> None:
    catalog = rdflib.Graph().parse(built_site / "catalog.ttl", format="turtle")
    [node] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    measured = _measurements(catalog, node)
    resources = measured["Resources checked by the shapes"].toPython()
    values = measured["Values checked by the shapes"].toPython()
    expected = f"The shapes checked {resources:,} resources and {values:,} of their values"
    assert expected in (built_site / "validation" / "index.html").read_text(encoding="utf-8")
    served = app_client.get("/validation")
    assert served.status_code == 200, served.text
    assert expected in served.text
    french = (built_site / "validation" / "index.fr.html").read_text(encoding="utf-8")
    assert "Les formes ont vérifié" in french
