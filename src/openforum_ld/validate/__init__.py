"""SHACL over shapes/ -> a report that says what is wrong and in which file and line."""

from __future__ import annotations

import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import pyshacl
import rdflib
import rdflib.collection
from pyshacl.errors import ReportableRuntimeError
from rdflib.namespace import RDF, SH

from openforum_ld.config import usable_cpus
from openforum_ld.errors import DataError, ShapeError
from openforum_ld.iris import NAMESPACES
from openforum_ld.load import list_source_files, parse_file, read_text, subject_lines
from openforum_ld.mapping.cells import WorkbookSheet, cell_name, file_of, shown_position
from openforum_ld.rdf.convert import rdflib_graph, to_rdflib_term
from openforum_ld.rdf.formats import rdf_format_for_path
from openforum_ld.validate.core_sparql import run_core
from openforum_ld.validate.languages import put_in_forum_languages
from openforum_ld.validate.near_names import NearName, near_names
from openforum_ld.validate.sparql_constraints import (
    lift_constraints,
    run_constraints,
    without_lifted,
)
from openforum_ld.validate.unchecked import without_unchecked_shapes

if TYPE_CHECKING:
    from collections.abc import Sequence
    from concurrent.futures import Executor

    from openforum_ld.load import Dataset
    from openforum_ld.mapping.cells import RowsFile
    from openforum_ld.mapping.to_rdf import CellProblem


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with the places in the data files where its focus node is described:
    (file, line, column); the column is known in YAML files, where it is the key of the path,
    and in workbooks, whose places are a sheet (in place of the file), a row and a column."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None
    node_shape: str | None
    constraint: str | None
    locations: tuple[tuple[RowsFile, int, int | None], ...]


@dataclass
class ValidationReport:
    """What the validation found, in the program's terms; `graph` is the sh:ValidationReport."""

    conforms: bool
    results: list[ValidationResult]
    graph: rdflib.Graph
    base: str
    stats: dict[str, float | int] = field(default_factory=dict)
    # Not results of the shapes: warnings of a possible second copy of an entity.
    near_names: list[NearName] = field(default_factory=list)

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
                where = _shown_location(result.locations[0], relative_to)
            head = f"{where}: {result.severity}: {self._short(result.focus)}"
            if result.path:
                head += f" {self._short(result.path)}"
            lines.append(head)
            lines.append(f"    {result.message}")
            if result.value is not None:
                lines.append(f"    value: {result.value}")
            for location in result.locations[1:]:
                lines.append(f"    also described at {_shown_location(location, relative_to)}")
        lines.extend(self.near_name_lines(relative_to))
        lines.append(self.summary_line())
        return "\n".join(lines)

    def near_name_lines(self, relative_to: Path | None = None) -> list[str]:
        """A warning for each pair of near-identical names, naming both entities and where
        each is written."""
        lines = []
        for near in self.near_names:
            first, second = near.first, near.second
            lines.append(
                f"{_where(first.location, relative_to)}: Warning: {self._short(first.iri)} "
                f"{first.label!r} is close to {self._short(second.iri)} {second.label!r}"
            )
            lines.append(
                f"    {self._short(second.iri)} is at {_where(second.location, relative_to)}; "
                "the same entity should keep one id (owl:differentFrom if they differ)"
            )
        return lines

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
                        "locations": [_location_json(at, relative_to) for at in r.locations],
                    }
                    for r in self.results
                ],
                "near_names": [
                    {
                        "kind": n.kind,
                        "ratio": n.ratio,
                        "entities": [
                            {"iri": named.iri, "label": named.label}
                            | _near_name_location(named.location, relative_to)
                            for named in (n.first, n.second)
                        ],
                    }
                    for n in self.near_names
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


def _shown_location(location: tuple[RowsFile, int, int | None], relative_to: Path | None) -> str:
    where, line, column = location
    return shown_position(where, line, column, _shown_path(file_of(where), relative_to))


def _location_json(
    location: tuple[RowsFile, int, int | None], relative_to: Path | None
) -> dict[str, object]:
    """A place as JSON: file, line and column; a workbook's also its sheet and cell."""
    where, line, column = location
    shown: dict[str, object] = {
        "file": _shown_path(file_of(where), relative_to),
        "line": line,
        "column": column,
    }
    if isinstance(where, WorkbookSheet):
        shown["sheet"] = where.name
        shown["cell"] = cell_name(line, column) if column is not None else None
    return shown


def cell_problems_json(problems: list[CellProblem], relative_to: Path | None = None) -> str:
    """Mistakes found before the shapes ran (the cell checks), as JSON: not conforming, no
    results, and each mistake at its place as the results' locations are given."""
    return json.dumps(
        {
            "conforms": False,
            "results": [],
            "errors": [
                {"message": p.message, "sheet": p.sheet}
                | _location_json((p.path, p.line, p.column), relative_to)
                for p in problems
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def _near_name_location(
    location: tuple[RowsFile, int, int | None] | None, relative_to: Path | None
) -> dict[str, object]:
    """Where a near name is introduced, as JSON: its file and line (and a workbook's sheet and
    cell), or nulls."""
    if location is None:
        return {"file": None, "line": None}
    shown = _location_json(location, relative_to)
    del shown["column"]  # not given for near names, whose place is where a row or statement starts
    return shown


def _where(location: tuple[RowsFile, int, int | None] | None, relative_to: Path | None) -> str:
    if location is None:
        return "(not found in the data files)"
    return _shown_location(location, relative_to)


def _shown_path(path: Path, relative_to: Path | None) -> str:
    if relative_to is not None:
        try:
            return str(path.resolve().relative_to(relative_to.resolve()))
        except ValueError:
            pass
    return str(path)


@dataclass(frozen=True)
class _ShapesFile:
    """One shapes file as read, to find where a shape is written."""

    path: Path
    text: str
    prefixes: dict[str, str]
    base: str
    subjects: frozenset[str]


#: What a shape says for people only, left out of the shapes graph validation reads.
_DOCUMENTATION = frozenset({str(SH.name), str(SH.description)})


def load_shapes(shapes_dir: Path) -> rdflib.Graph:
    """Every shapes file in one graph; a syntax error is reported at its file and line. The
    statements come in the order rdflib's parser gives them, which is the order the pages
    list the shapes' properties in."""
    return _read_shapes(shapes_dir, in_rdflib_order=True)[0]


def _read_shapes(
    shapes_dir: Path, in_rdflib_order: bool = False
) -> tuple[rdflib.Graph, list[_ShapesFile]]:
    graph = rdflib.Graph()
    files = []
    for path in list_source_files(shapes_dir, "shapes"):
        data, text = read_text(path)
        base = path.resolve().as_uri()
        fmt = rdf_format_for_path(path.name)
        assert fmt is not None
        # pyoxigraph first: its syntax errors carry a line and column, rdflib's often neither.
        quads, prefixes = parse_file(path, data, fmt, base)
        if in_rdflib_order:
            try:
                graph.parse(data=text, format="turtle", publicID=base)
            except Exception as error:  # rdflib raises several types; all mean bad syntax here
                shown = str(error).strip().splitlines()[0] if str(error).strip() else "bad syntax"
                raise DataError(f"syntax error: {shown}", path) from None
        else:
            # Validation needs neither the order nor the columns' documentation (sh:name and
            # sh:description, in two languages each: rdflib checks every language tag, slowly).
            for prefix, namespace in prefixes.items():
                graph.bind(prefix, namespace)
            graph.addN(
                (
                    to_rdflib_term(q.subject),
                    to_rdflib_term(q.predicate),
                    to_rdflib_term(q.object),
                    graph,
                )
                for q in quads
                if q.predicate.value not in _DOCUMENTATION
            )
        subjects = frozenset(q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode))
        files.append(_ShapesFile(path, text, prefixes, base, subjects))
    return graph, files


class _ErrorsItRaises(logging.Filter):
    """pyshacl logs an error to stderr before raising it; the raised one is reported, once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.ERROR


_ERRORS_PYSHACL_RAISES = _ErrorsItRaises()


def _run_pyshacl(data_graph: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    """pyshacl's report graph for SHACL Core. The processor failing on data that parsed means a
    shape it cannot load or apply (a count that is not an integer, a path that is a literal, a
    pattern that is not a regular expression): a ShapeError that names the shape."""
    logging.getLogger("pyshacl-validate").addFilter(_ERRORS_PYSHACL_RAISES)
    try:
        _conforms, report_graph, _text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            # In advanced mode pyshacl copies the data graph first, in case SHACL rules add to
            # it: a whole second copy of the data. The graph is ours and thrown away after, so
            # it may work on it in place when no rule could change what it holds.
            inplace=(None, SH.rule, None) not in shapes,
        )
    except Exception as error:  # pyshacl raises its own errors, and re.error, TypeError, ...
        raise ShapeError(_processor_message(error), _failing_shape(error)) from None
    if not isinstance(report_graph, rdflib.Graph):
        raise ShapeError(f"pyshacl gave no report graph: {report_graph}")
    return report_graph


def _processor_message(error: Exception) -> str:
    if isinstance(error, ReportableRuntimeError):
        text = str(error.message)
    elif isinstance(error, re.error):
        text = f"sh:pattern is not a regular expression: {error}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def _failing_shape(error: BaseException) -> object:
    """The shape pyshacl was loading or applying when it failed. Its errors do not name one, so
    it is taken from the innermost frame of the traceback that holds a shape."""
    from pyshacl.shape import Shape

    found = None
    frame = error.__traceback__
    while frame is not None:
        for value in frame.tb_frame.f_locals.values():
            if isinstance(value, Shape):
                found = value.node
        frame = frame.tb_next
    return found


def _shape_error(
    shapes_dir: Path,
    shapes: rdflib.Graph,
    files: list[_ShapesFile],
    shape: object,
    message: str,
) -> DataError:
    """The error for a shape that cannot be applied, at the file and line of the named shape it
    is (or belongs to)."""
    named = _node_shape(shapes, shape)
    for source in files:
        if named is None or named not in source.subjects:
            continue
        what = _short(named, source.prefixes)
        path = shapes.value(shape, SH.path) if isinstance(shape, rdflib.BNode) else None
        if isinstance(path, rdflib.URIRef):
            what += f" (its property {_short(str(path), source.prefixes)})"
        line = subject_lines(source.text, source.prefixes, source.base, {named}).get(named)
        if line is not None and isinstance(path, rdflib.URIRef):
            line = _path_line(source, line, str(path)) or line
        return DataError(f"the shape {what} cannot be applied: {message}", source.path, line)
    return DataError(f"the shapes cannot be applied: {message}", shapes_dir)


def _path_line(source: _ShapesFile, start: int, path: str) -> int | None:
    """The first line from `start` on that gives `path` as an sh:path."""
    keyword = _short(str(SH.path), source.prefixes)
    forms = (f"<{path}>", _short(path, source.prefixes))
    lines = source.text.splitlines()
    for number, text in enumerate(lines[start - 1 :], start=start):
        code = text.split(" #", 1)[0]
        if keyword in code and any(form in code for form in forms):
            return number
    return None


def _short(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def validate_dataset(
    dataset: Dataset,
    shapes_dir: Path,
    languages: Sequence[str] = ("en", "fr"),
    threads: int = 0,
) -> ValidationReport:
    """Validate the union of the dataset's data graphs against the shapes, with the constraints
    on languages asking for the forum's `languages` (its main language first).

    Everything runs on the store: SHACL Core compiled to SPARQL (`core_sparql`) and the
    SPARQL-based constraints of node shapes (`sparql_constraints`), their results in one
    sh:ValidationReport. pyshacl checks what the compiler does not take, if anything. The
    queries and the search for near names run in `threads` threads (0: one per CPU): pyoxigraph
    answers a query without holding the GIL.
    """
    started = time.perf_counter()
    shapes, files = _read_shapes(shapes_dir)
    put_in_forum_languages(shapes, languages)
    try:
        with ThreadPoolExecutor(threads if threads > 0 else usable_cpus()) as pool:
            near = pool.submit(near_names, dataset)  # the longest job, in Python: first
            report_graph, left = _store_report(dataset, shapes, pool)
            found_near = near.result()
        # pyshacl for any node shape the compiler does not take (none of the shipped ones),
        # once nothing else reads the store: it sets the store's data aside while it runs.
        if left is not None:
            report_graph += _pyshacl_report(dataset, left)
        else:
            report_graph.add((rdflib.BNode(), RDF.type, SH.ValidationReport))
    except ShapeError as error:
        raise _shape_error(shapes_dir, shapes, files, error.shape, error.message) from None
    for prefix, namespace in NAMESPACES.items():
        report_graph.bind(prefix, namespace, replace=True)
    triples = dataset.store.default_graph_size()
    entities = sum(
        1
        for row in dataset.store.select("SELECT DISTINCT ?s WHERE { ?s a ?type FILTER(isIRI(?s)) }")
        if dataset.iris.split_entity(row["s"].value)
    )
    results = [
        _result(dataset, shapes, report_graph, node)
        for node in report_graph.subjects(RDF.type, SH.ValidationResult)
    ]
    results.sort(key=_result_order)  # which of two merged results is kept does not vary
    results = _merge_constraints(results)
    results.sort(key=_result_order)
    conforms = not any(r.severity == "Violation" for r in results)
    report_node = report_graph.value(None, RDF.type, SH.ValidationReport, any=False)
    if report_node is not None:
        report_graph.set((report_node, SH.conforms, rdflib.Literal(conforms)))
        for node in report_graph.subjects(RDF.type, SH.ValidationResult):
            report_graph.add((report_node, SH.result, node))
    report = ValidationReport(
        conforms, results, report_graph, dataset.iris.base, near_names=found_near
    )
    report.stats = {
        "files": len(dataset.files),
        "triples": triples,
        "entities": entities,
        "shapes": len(set(shapes.subjects(RDF.type, SH.NodeShape))),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return report


def _store_report(
    dataset: Dataset, shapes: rdflib.Graph, pool: Executor
) -> tuple[rdflib.Graph, rdflib.Graph | None]:
    """The results of the constraints that run on the store, in the pool's threads: the
    SPARQL-based ones and SHACL Core compiled to SPARQL; and the shapes left for pyshacl, if
    any."""
    sparql_constraints, lifted = lift_constraints(shapes)
    report_graph = rdflib.Graph()
    run_constraints(dataset.store, sparql_constraints, report_graph, pool)
    left = run_core(dataset.store, shapes, report_graph, lifted, pool).left(shapes)
    if left is None:
        return report_graph, None
    return report_graph, without_unchecked_shapes(without_lifted(left, lifted))


def _pyshacl_report(dataset: Dataset, shapes: rdflib.Graph) -> rdflib.Graph:
    """pyshacl's report on the default graph. It needs the data as an rdflib graph: the store
    is set aside while it runs, so that the data is in memory once, not twice (at a million
    triples, ~1.5 GB each)."""
    with dataset.store.set_aside() as default_graph:
        data_graph = rdflib_graph(default_graph)
        report_graph = _run_pyshacl(data_graph, shapes)
        del data_graph
    return report_graph


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


def _result_order(result: ValidationResult) -> tuple[str | int, ...]:
    """Where the result is written, then what it says: a total order, so that the report is the
    same whatever order the checks ran in (they run in threads)."""
    path, line, _column = result.locations[0] if result.locations else (Path("~"), 0, None)
    return (
        str(path),
        line,
        result.focus,
        result.path or "",
        result.value or "",
        result.message,
        result.severity,
        result.node_shape or "",
        result.constraint or "",
        result.shape or "",  # last: a blank node's label differs from run to run
    )


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
    prop = str(path) if isinstance(path, rdflib.URIRef) else None
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
        locations=tuple(dataset.locate(str(focus), graphs, prop))
        or tuple(dataset.locate(str(focus), None, prop)),
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
