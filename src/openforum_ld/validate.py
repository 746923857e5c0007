"""SHACL over shapes/ -> a report that says what is wrong and in which file and line."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import pyshacl
import rdflib
import rdflib.collection
from rdflib.namespace import RDF, SH

from openforum_ld.errors import DataError
from openforum_ld.iris import NAMESPACES
from openforum_ld.load import list_source_files, read_text
from openforum_ld.sparql_constraints import run_constraints, split_shapes

if TYPE_CHECKING:
    from openforum_ld.load import Dataset


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with the places in the data files where its focus node is described."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None
    node_shape: str | None
    constraint: str | None
    locations: tuple[tuple[Path, int], ...]


@dataclass
class ValidationReport:
    """What pyshacl found, in the program's terms; `graph` is the sh:ValidationReport itself."""

    conforms: bool
    results: list[ValidationResult]
    graph: rdflib.Graph
    base: str
    stats: dict[str, float | int] = field(default_factory=dict)

    @property
    def violations(self) -> list[ValidationResult]:
        """The results of severity sh:Violation."""
        return [r for r in self.results if r.severity == "Violation"]

    def summary_line(self) -> str:
        """The verdict and the counts that end the human-readable report."""
        s = self.stats
        verdict = "Valid" if self.conforms else f"Invalid: {len(self.violations)} violation(s) in"
        return (
            f"{verdict} {s.get('files', 0)} files, {s.get('triples', 0):,} triples, "
            f"{s.get('entities', 0):,} entities; {s.get('shapes', 0)} shapes; "
            f"{s.get('seconds', 0.0):.2f} s"
        )

    def to_text(self, relative_to: Path | None = None) -> str:
        """The report for people: one block per result, then the summary line."""
        lines = []
        for result in self.results:
            where = "(not found in the data files)"
            if result.locations:
                path, line = result.locations[0]
                where = f"{_shown_path(path, relative_to)}:{line}"
            head = f"{where}: {result.severity}: {self._short(result.focus)}"
            if result.path:
                head += f" {self._short(result.path)}"
            lines.append(head)
            lines.append(f"    {result.message}")
            if result.value is not None:
                lines.append(f"    value: {result.value}")
            for path, line in result.locations[1:]:
                lines.append(f"    also described at {_shown_path(path, relative_to)}:{line}")
        lines.append(self.summary_line())
        return "\n".join(lines)

    def to_json(self, relative_to: Path | None = None) -> str:
        """The report as JSON, for scripts."""
        return json.dumps(
            {
                "conforms": self.conforms,
                "results": [
                    {
                        "severity": r.severity,
                        "focus": r.focus,
                        "path": r.path,
                        "value": r.value,
                        "message": r.message,
                        "shape": r.node_shape,
                        "constraint": r.constraint,
                        "locations": [
                            {"file": _shown_path(p, relative_to), "line": n} for p, n in r.locations
                        ],
                    }
                    for r in self.results
                ],
                "stats": self.stats,
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_turtle(self) -> str:
        """The sh:ValidationReport graph as Turtle."""
        return self.graph.serialize(format="turtle")

    def _short(self, iri: str) -> str:
        for prefix, namespace in NAMESPACES.items():
            if iri.startswith(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        if iri.startswith(self.base):
            return f"<{iri[len(self.base) :]}>"
        return f"<{iri}>"


def _shown_path(path: Path, relative_to: Path | None) -> str:
    if relative_to is not None:
        try:
            return str(path.resolve().relative_to(relative_to.resolve()))
        except ValueError:
            pass
    return str(path)


def load_shapes(shapes_dir: Path) -> rdflib.Graph:
    """Every shapes file in one graph; a syntax error is reported at its file and line."""
    graph = rdflib.Graph()
    for path in list_source_files(shapes_dir, "shapes"):
        _data, text = read_text(path)
        try:
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as error:  # rdflib raises several types; all mean bad syntax here
            raise DataError(
                f"syntax error: {_first_line(error)}", path, _error_line(error)
            ) from None
    return graph


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _error_line(error: Exception) -> int | None:
    line = getattr(error, "lines", None)
    if isinstance(line, int):
        return line + 1
    return None


def validate_dataset(dataset: Dataset, shapes_dir: Path) -> ValidationReport:
    """Validate the union of the dataset's data graphs against the shapes.

    pyshacl checks SHACL Core; the SPARQL-based constraints of node shapes run on the store
    (see `sparql_constraints`), and their results join the same sh:ValidationReport.
    """
    started = time.perf_counter()
    shapes = load_shapes(shapes_dir)
    core_shapes, sparql_constraints = split_shapes(shapes)
    data_graph = dataset.store.to_rdflib()
    conforms, report_graph, _ = pyshacl.validate(
        data_graph,
        shacl_graph=core_shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(report_graph, rdflib.Graph):
        raise DataError(f"the shapes cannot be applied: {report_graph}", shapes_dir)
    for prefix, namespace in NAMESPACES.items():
        report_graph.bind(prefix, namespace, replace=True)
    run_constraints(dataset.store, sparql_constraints, report_graph)
    results = [
        _result(dataset, shapes, report_graph, node)
        for node in report_graph.subjects(RDF.type, SH.ValidationResult)
    ]
    results = _merge_constraints(results)
    results.sort(key=_result_order)
    conforms = not any(r.severity == "Violation" for r in results)
    report_node = report_graph.value(None, RDF.type, SH.ValidationReport, any=False)
    if report_node is not None:
        report_graph.set((report_node, SH.conforms, rdflib.Literal(conforms)))
        for node in report_graph.subjects(RDF.type, SH.ValidationResult):
            report_graph.add((report_node, SH.result, node))
    entities = {
        str(s) for s in data_graph.subjects(RDF.type, None) if dataset.iris.split_entity(str(s))
    }
    report = ValidationReport(conforms, results, report_graph, dataset.iris.base)
    report.stats = {
        "files": len(dataset.files),
        "triples": len(data_graph),
        "entities": len(entities),
        "shapes": len(set(shapes.subjects(RDF.type, SH.NodeShape))),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return report


def _merge_constraints(results: list[ValidationResult]) -> list[ValidationResult]:
    """One finding per focus, path, value and message: a value that fails both the datatype and
    the range of one property shape is one thing to fix."""
    merged: dict[tuple[object, ...], ValidationResult] = {}
    for result in results:
        key = (result.severity, result.focus, result.path, result.value, result.message)
        if key in merged:
            first = merged[key]
            constraints = sorted(
                {*(first.constraint or "").split(", "), result.constraint or ""} - {""}
            )
            merged[key] = replace(first, constraint=", ".join(constraints))
        else:
            merged[key] = result
    return list(merged.values())


def _result_order(result: ValidationResult) -> tuple[str, int, str, str]:
    path, line = result.locations[0] if result.locations else (Path("~"), 0)
    return (str(path), line, result.focus, result.path or "")


def _result(
    dataset: Dataset, shapes: rdflib.Graph, report: rdflib.Graph, node: Any
) -> ValidationResult:
    def one(predicate: rdflib.URIRef) -> Any:
        return report.value(node, predicate)

    source_shape = one(SH.sourceShape)

    focus = one(SH.focusNode)
    path = one(SH.resultPath)
    value = one(SH.value)
    messages = [str(m) for m in report.objects(node, SH.resultMessage)]
    severity = one(SH.resultSeverity)
    graphs = _graphs_stating(dataset, focus, path, value)
    return ValidationResult(
        focus=str(focus),
        path=str(path) if isinstance(path, rdflib.URIRef) else None,
        value=value.n3(report.namespace_manager) if value is not None else None,
        message=messages[0] if messages else "does not conform",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape=str(source_shape) if source_shape is not None else None,
        node_shape=_node_shape(shapes, source_shape),
        constraint=str(one(SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        if one(SH.sourceConstraintComponent) is not None
        else None,
        locations=tuple(dataset.locate(str(focus), graphs)) or tuple(dataset.locate(str(focus))),
    )


def _node_shape(shapes: rdflib.Graph, shape: Any) -> str | None:
    """The named node shape a result comes from, walking up from a property or nested shape."""
    seen = set()
    while isinstance(shape, rdflib.BNode) and shape not in seen:
        seen.add(shape)
        parent = shapes.value(None, SH.property, shape) or shapes.value(None, SH.node, shape)
        if parent is None:
            for owner, _, members in shapes.triples((None, SH["or"], None)):
                if shape in rdflib.collection.Collection(shapes, members):
                    parent = owner
                    break
        shape = parent
    return str(shape) if isinstance(shape, rdflib.URIRef) else None


def _graphs_stating(dataset: Dataset, focus: Any, path: Any, value: Any) -> set[str] | None:
    """The graphs holding the offending statement, when the result names one."""
    if not isinstance(focus, rdflib.URIRef) or not isinstance(path, rdflib.URIRef) or value is None:
        return None
    if isinstance(value, rdflib.BNode):
        return None
    rows = dataset.store.select(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {focus.n3()} {path.n3()} {value.n3()} }} }}"
    )
    graphs = {term.value for row in rows if isinstance(term := row.get("g"), ox.NamedNode)}
    return graphs or None
