"""The quality of the data, stated the W3C way (Data Quality Vocabulary): the SHACL report the
build wrote, linked as the dataset's quality metadata, and measurements of what the validation
checked and found, each of a metric defined here, computed on the dataset at the publication's
date.

The verdict and the results come from the validation report; what the shapes checked (the
resources they target and the values their property shapes reach) is counted on the same
data, with the shapes' own targets and paths, since pyshacl reports findings, not coverage."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import RDF as RDF_NS
from rdflib.namespace import SH

from openforum_ld.config import usable_cpus
from openforum_ld.iris import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from openforum_ld.rdf.graph import DQV, text, typed
from openforum_ld.validate.core_sparql import sparql_path

if TYPE_CHECKING:
    from openforum_ld.publication import Manifest
    from openforum_ld.rdf.graph import Graph
    from openforum_ld.store import SparqlStore
    from openforum_ld.validate import ValidationReport

#: The linked-data quality dimensions the DQV note publishes (Zaveri et al.'s survey).
LDQD = "http://www.w3.org/2016/05/ldqd#"
SHACL_SPEC = "https://www.w3.org/TR/shacl/"
#: Where the build writes the validation report and the page that explains it.
REPORT_PATH = "validation/report.ttl"
REPORT_PAGE = "validation/index.html"
RDFS_CLASS = rdflib.URIRef(RDFS + "Class")


@dataclass(frozen=True)
class ValidationFigures:
    """What one validation checked and found."""

    conforms: bool
    focus_nodes: int  # distinct resources a node shape targets
    value_nodes: int  # (resource, value) pairs the targeted node shapes' property shapes reach
    triples: int  # statements in the data validated
    node_shapes: int
    property_shapes: int
    violations: int
    warnings: int


@dataclass(frozen=True)
class _Metric:
    key: str
    datatype: str
    label_en: str
    label_fr: str
    definition: str


_METRICS = (
    _Metric(
        "shacl-conformance",
        "boolean",
        "Conformance to the SHACL shapes",
        "Conformité aux formes SHACL",
        "Whether the data conforms to the publication's SHACL shapes: true when validation "
        "finds no violation.",
    ),
    _Metric(
        "shacl-focus-nodes",
        "integer",
        "Resources checked by the shapes",
        "Ressources vérifiées par les formes",
        "How many distinct resources the node shapes target (their focus nodes).",
    ),
    _Metric(
        "shacl-value-nodes",
        "integer",
        "Values checked by the shapes",
        "Valeurs vérifiées par les formes",
        "How many values the property shapes of the targeted node shapes reach from their "
        "focus nodes (SHACL value nodes; each resource and value counted once per shape).",
    ),
    _Metric(
        "shacl-triples",
        "integer",
        "Statements validated",
        "Affirmations validées",
        "How many triples the validated data holds.",
    ),
    _Metric(
        "shacl-node-shapes",
        "integer",
        "Node shapes",
        "Formes de nœuds",
        "How many node shapes the data was validated against.",
    ),
    _Metric(
        "shacl-property-shapes",
        "integer",
        "Property shapes",
        "Formes de propriétés",
        "How many property shapes those node shapes hold.",
    ),
    _Metric(
        "shacl-violations",
        "integer",
        "Violations",
        "Violations",
        "How many validation results of severity sh:Violation the report holds.",
    ),
    _Metric(
        "shacl-warnings",
        "integer",
        "Warnings",
        "Avertissements",
        "How many validation results of severity sh:Warning the report holds.",
    ),
)


def validation_figures(
    report: ValidationReport, shapes: rdflib.Graph, store: SparqlStore
) -> ValidationFigures:
    """The figures of a validation: its verdict and results from the report, what the shapes
    checked counted on the data in `store` (the data the report is about)."""
    targets: list[str] = []
    counts: list[str] = []
    node_shapes = set(shapes.subjects(RDF_NS.type, SH.NodeShape))
    property_shapes = 0
    for shape in node_shapes:
        property_shapes += sum(1 for _ in shapes.objects(shape, SH.property))
        pattern = _target_pattern(shapes, shape, store)
        if pattern is None:
            continue  # checked only where another shape points to it, through those values
        targets.append(pattern)
        for property_shape in shapes.objects(shape, SH.property):
            path = shapes.value(property_shape, SH.path)
            if path is not None:
                counts.append(
                    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?this ?value WHERE { "
                    f"{pattern} ?this {sparql_path(shapes, path)} ?value }} }}"
                )
    union = " UNION ".join(f"{{ {p} }}" for p in targets)
    if union:
        counts.append(f"SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {union} }}")
    # The store answers a query without holding the GIL: the counts run side by side.
    with ThreadPoolExecutor(usable_cpus()) as pool:
        found = list(pool.map(_count, [store] * len(counts), counts))
    return ValidationFigures(
        conforms=report.conforms,
        focus_nodes=found.pop() if union else 0,
        value_nodes=sum(found),
        triples=int(report.stats.get("triples", 0)),
        node_shapes=len(node_shapes),
        property_shapes=property_shapes,
        violations=sum(1 for r in report.results if r.severity == "Violation"),
        warnings=sum(1 for r in report.results if r.severity == "Warning"),
    )


def _count(store: SparqlStore, query: str) -> int:
    [row] = store.select(query)
    return int(row["n"].value)


def _target_pattern(
    shapes: rdflib.Graph, shape: rdflib.term.Node, store: SparqlStore
) -> str | None:
    """A SPARQL pattern binding ?this to the shape's focus nodes, as SHACL defines its targets
    (a class's instances include those of its subclasses); None for a shape with no target."""
    classes = [c.n3() for c in shapes.objects(shape, SH.targetClass)]
    if (shape, RDF_NS.type, RDFS_CLASS) in shapes:
        classes.append(shape.n3())  # implicit target
    patterns = []
    if classes:
        # The classes and their subclasses listed once: `?this a/rdfs:subClassOf* C` for each
        # target class made the counts of a shape with twenty targets four times as slow.
        rows = store.select(
            f"SELECT DISTINCT ?class WHERE {{ VALUES ?target {{ {' '.join(classes)} }} "
            f"?class <{RDFS}subClassOf>* ?target FILTER(isIRI(?class)) }}"
        )
        listed = " ".join(sorted(f"<{row['class'].value}>" for row in rows))
        patterns.append(f"{{ VALUES ?class {{ {listed} }} ?this a ?class }}")
    patterns += [f"{{ ?this <{p}> [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"{{ [] <{p}> ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    nodes = [n.n3() for n in shapes.objects(shape, SH.targetNode)]
    if nodes:
        patterns.append(f"{{ VALUES ?this {{ {' '.join(nodes)} }} }}")
    return " UNION ".join(patterns) if patterns else None


def describe_quality(
    graph: Graph, base: str, dataset: str, figures: ValidationFigures, date: str
) -> None:
    """State the validation's quality in DQV on `dataset`: the report as its quality metadata
    (with the page that explains it), the metrics, and a measurement of each."""
    report = base + REPORT_PATH
    build = base + "build.ttl#build"
    graph.add(dataset, DQV + "hasQualityMetadata", report)
    graph.add(report, RDF + "type", DQV + "QualityMetadata")
    graph.add(report, DCTERMS + "title", text("SHACL validation report"))
    graph.add(report, DCTERMS + "title", text("Rapport de validation SHACL", "fr"))
    graph.add(report, DCTERMS + "conformsTo", SHACL_SPEC)
    graph.add(report, DCTERMS + "format", "http://www.w3.org/ns/formats/Turtle")
    graph.add(report, DCTERMS + "created", typed(date, "date"))
    graph.add(report, PROV + "wasGeneratedBy", build)
    graph.add(report, RDFS + "seeAlso", base + REPORT_PAGE)
    graph.add(report, DCTERMS + "subject", dataset)
    values = {
        "shacl-conformance": typed("true" if figures.conforms else "false", "boolean"),
        "shacl-focus-nodes": typed(figures.focus_nodes, "integer"),
        "shacl-value-nodes": typed(figures.value_nodes, "integer"),
        "shacl-triples": typed(figures.triples, "integer"),
        "shacl-node-shapes": typed(figures.node_shapes, "integer"),
        "shacl-property-shapes": typed(figures.property_shapes, "integer"),
        "shacl-violations": typed(figures.violations, "integer"),
        "shacl-warnings": typed(figures.warnings, "integer"),
    }
    for metric in _METRICS:
        metric_iri = base + "catalog#metric-" + metric.key
        graph.add(metric_iri, RDF + "type", DQV + "Metric")
        graph.add(metric_iri, SKOS + "prefLabel", text(metric.label_en))
        graph.add(metric_iri, SKOS + "prefLabel", text(metric.label_fr, "fr"))
        graph.add(metric_iri, SKOS + "definition", text(metric.definition))
        graph.add(metric_iri, DQV + "expectedDataType", XSD + metric.datatype)
        graph.add(metric_iri, DQV + "inDimension", LDQD + "consistency")
        measurement = base + "catalog#measurement-" + metric.key
        graph.add(dataset, DQV + "hasQualityMeasurement", measurement)
        graph.add(measurement, RDF + "type", DQV + "QualityMeasurement")
        graph.add(measurement, DQV + "isMeasurementOf", metric_iri)
        graph.add(measurement, DQV + "computedOn", dataset)
        graph.add(measurement, DQV + "value", values[metric.key])
        graph.add(measurement, DCTERMS + "date", typed(date, "date"))
        graph.add(measurement, PROV + "wasGeneratedBy", build)
        graph.add(measurement, PROV + "wasDerivedFrom", report)
    graph.add(LDQD + "consistency", RDF + "type", DQV + "Dimension")
    graph.add(LDQD + "consistency", SKOS + "prefLabel", text("Consistency"))
    graph.add(LDQD + "consistency", DQV + "inCategory", LDQD + "intrinsicDimensions")


def with_checked_counts(manifest: Manifest, figures: ValidationFigures) -> Manifest:
    """The manifest with what the shapes checked, for the validation page to show the figures
    the catalog gives."""
    checked = replace(
        manifest.validation, focus_nodes=figures.focus_nodes, value_nodes=figures.value_nodes
    )
    return replace(manifest, validation=checked)
