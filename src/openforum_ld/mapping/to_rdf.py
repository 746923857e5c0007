"""Rows -> cell checks -> one JSON-LD document per named graph -> quads, by pyoxigraph's parser.

Every check runs before any statement is made, and every mistake is reported at once, each at the
line and column where it was typed (`CellCheckError`).
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from openforum_ld.errors import DataError
from openforum_ld.iris import RDF, XSD
from openforum_ld.mapping.cells import WorkbookSheet, file_of, shown_from_here, shown_position
from openforum_ld.mapping.fill import fill_texts
from openforum_ld.mapping.graph_descriptions import (
    EDITORIAL,
    SOURCES,
    section_graph,
    sources_graph,
)
from openforum_ld.mapping.sheets import LITERAL_DATATYPES, Key, Mapping, Sheet, is_language_tag
from openforum_ld.rdf.jsonld import build_context
from openforum_ld.rdf.serialize import kind_prefixes

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.mapping.cells import RowsFile
    from openforum_ld.mapping.yaml_rows import Row, Value


@dataclass(frozen=True)
class CellProblem:
    path: RowsFile
    line: int
    column: int
    sheet: str
    message: str

    def __str__(self) -> str:
        where = shown_position(
            self.path, self.line, self.column, shown_from_here(file_of(self.path))
        )
        if isinstance(self.path, WorkbookSheet):  # the sheet is part of where
            return f"{where}: {self.message}"
        return f"{where}: {self.sheet}: {self.message}"


class CellCheckError(DataError):
    """Values that are not what their column asks for, found before any statement is made."""

    def __init__(self, errors: list[CellProblem]) -> None:
        first = errors[0]
        super().__init__(
            f"{first.sheet}: {first.message}", file_of(first.path), first.line, first.column
        )
        self.errors = errors

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors]
        if len(lines) == 1:
            return lines[0]
        return f"{len(lines)} errors in the data:\n" + "\n".join(lines)


@dataclass
class Positions:
    """Where each statement was typed: (subject, graph) -> the row, and
    (subject, graph, property) -> the key. Validation reports use it to point at the YAML."""

    rows: dict[tuple[str, str], tuple[RowsFile, int, int]] = field(default_factory=dict)
    keys: dict[tuple[str, str, str], tuple[RowsFile, int, int]] = field(default_factory=dict)
    # The empty cell of a workbook row where a property's value belongs: (subject, graph,
    # property) -> the cell, for what the shapes find missing.
    blanks: dict[tuple[str, str, str], tuple[RowsFile, int, int]] = field(default_factory=dict)


_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$")
_YEAR = re.compile(r"^-?\d{4,}(Z|[+-]\d\d:\d\d)?$")
_DATETIME = re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
# Schemes of absolute IRIs written without "//"; any other "x:y" is a compact IRI.
_SCHEMES = {"urn", "mailto", "tel", "doi", "geo", "data", "tag"}
_ID = re.compile(r"^[^\s<>\"{}|\\^`]+$")


def literal_problem(text: str, datatype: str) -> str | None:
    """Why `text` is not a value of `datatype`, for the datatypes people type; None if it is."""
    if datatype == XSD + "integer" and not _INTEGER.match(text):
        return f"{text!r} is not a whole number"
    if datatype == XSD + "decimal" and not _DECIMAL.match(text):
        return f"{text!r} is not a decimal number"
    if datatype == XSD + "gYear" and not _YEAR.match(text):
        return f"{text!r} is not a year (YYYY)"
    if datatype == XSD + "boolean" and text not in ("true", "false", "1", "0"):
        return f"{text!r} is not true or false"
    if datatype == XSD + "dateTime" and not _DATETIME.match(text):
        return f"{text!r} is not a date and time (YYYY-MM-DDThh:mm:ss)"
    if datatype == XSD + "date":
        match = _DATE.match(text)
        try:
            if match is None:
                raise ValueError
            datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return f"{text!r} is not a date (YYYY-MM-DD)"
    return None


class _Builder:
    def __init__(
        self,
        mapping: Mapping,
        base: str,
        rows: list[Row],
        known: set[str],
        sources_dir: Path | None,
        languages: tuple[str, ...],
    ) -> None:
        self.sources_dir = sources_dir
        self.languages = languages
        self.mapping = mapping
        self.base = base
        self.rows = rows
        self.kind_ns = kind_prefixes(base)
        self.errors: list[CellProblem] = []
        self.positions = Positions()
        # Every subject the data defines: the rows' and the other data files'.
        self.known = set(known)
        self.ids_of_kind: dict[str, set[str]] = defaultdict(set)
        for subject in known:
            kind, _, id_ = subject.removeprefix(base).removeprefix("id/").partition("/")
            if id_ and kind in self.kind_ns and subject == self.kind_ns[kind] + id_:
                self.ids_of_kind[kind].add(id_)
        self.graphs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Graphs rows name as their source that no row describes, to be described
        # (graph_descriptions), and the row of the section each derives from (or the first
        # row naming `sources`).
        self.undescribed: dict[str, tuple[Row, str | None]] = {}

    def error(self, row: Row, at: Value | Any, message: str) -> None:
        self.errors.append(CellProblem(row.path, at.line, at.column, row.sheet, message))

    def subject_of(self, sheet: Sheet, id_text: str) -> str:
        if sheet.kind is None:
            return id_text if _IRI.match(id_text) else self.base + id_text
        return self.kind_ns[sheet.kind] + id_text

    def run(self) -> list[ox.Quad]:
        entries = self._identify()
        for row, sheet, subject, graph in entries:
            self._node(row, sheet, subject, graph)
        self._fill(entries)
        self._defaults(entries)
        self._describe_graphs(entries)
        self._line_ranges(entries)
        if self.errors:
            self.errors.sort(key=lambda e: (str(e.path), e.line, e.column))
            raise CellCheckError(self.errors)
        return self._parse()

    def _identify(self) -> list[tuple[Row, Sheet, str, str]]:
        """Each row's sheet, subject and graph; unknown sheets, missing ids and sources,
        and rows stated twice for one source are errors."""
        seen: dict[tuple[str, str, str], Row] = {}
        entries = []
        for row in self.rows:
            sheet = self.mapping.by_name.get(row.sheet)
            if sheet is None:
                names = difflib.get_close_matches(row.sheet, list(self.mapping.by_name), 3)
                hint = f" (did you mean {', '.join(names)}?)" if names else ""
                self.error(row, row, f"unknown sheet{hint}")
                continue
            id_value, source = row.first("id"), row.first("source")
            if id_value is None:
                self.error(row, row, "a row without an id")
                continue
            if not _ID.match(id_value.text):
                self.error(
                    row, id_value, f'id {id_value.text!r}: spaces and <>"{{}}|\\^` are not allowed'
                )
                continue
            if source is None:
                self.error(
                    row,
                    row,
                    f"{id_value.text}: a row without a source (the section that states it)",
                )
                continue
            key = (row.sheet, id_value.text, source.text)
            if key in seen:
                self.error(
                    row,
                    id_value,
                    f"{id_value.text} is stated twice for source {source.text} "
                    f"(first at {'row' if isinstance(row.path, WorkbookSheet) else 'line'} "
                    f"{seen[key].line}); merge the two rows",
                )
                continue
            seen[key] = row
            subject = self.subject_of(sheet, id_value.text)
            self.known.add(subject)
            if sheet.kind is not None:
                self.ids_of_kind[sheet.kind].add(id_value.text)
            entries.append((row, sheet, subject, self.kind_ns["graph"] + source.text))
        section_rows = {
            subject: row for row, sheet, subject, _g in reversed(entries) if sheet.kind == "section"
        }
        for row, _sheet, _subject, graph in entries:
            source = row.first("source")
            assert source is not None
            if graph in self.known or graph in self.undescribed:
                continue
            section = self.kind_ns["section"] + source.text
            if section in section_rows:
                self.undescribed[graph] = (section_rows[section], section)
                self.known.add(graph)
            elif source.text in (SOURCES, EDITORIAL):
                self.undescribed[graph] = (row, None)
                self.known.add(graph)
            else:
                self.error(
                    row,
                    source,
                    f"source {source.text!r} is not a graph the data describes, nor a section "
                    f"of the sections sheet, nor {SOURCES} or {EDITORIAL}"
                    + self._suggest(
                        source.text, self.ids_of_kind["graph"] | self.ids_of_kind["section"]
                    ),
                )
        return entries

    def _suggest(self, text: str, candidates: set[str]) -> str:
        close = difflib.get_close_matches(text, sorted(candidates), 3, 0.6)
        return f" (did you mean {', '.join(close)}?)" if close else ""

    def _node(self, row: Row, sheet: Sheet, subject: str, graph: str) -> None:
        node: dict[str, Any] = {"@id": subject}
        self.positions.rows.setdefault((subject, graph), (row.path, row.line, row.column))
        for cell in row.cells.values():
            if cell.key in ("id", "source"):
                continue
            if cell.key == "type":
                types = [self._class(row, v) for v in cell.values]
                node["@type"] = [t for t in types if t is not None]
                self.positions.keys.setdefault(
                    (subject, graph, RDF + "type"), (row.path, cell.line, cell.column)
                )
                continue
            key = self.mapping.read_key(cell.key)
            if isinstance(key, str):
                self.error(row, cell, key)
                continue
            self.positions.keys.setdefault(
                (subject, graph, key.property), (row.path, cell.line, cell.column)
            )
            objects = [self._object(row, sheet, key, v) for v in cell.values]
            node.setdefault(key.property, []).extend(o for o in objects if o is not None)
        for key, column in row.blank_columns.items():
            read = self.mapping.read_key(key)
            if not isinstance(read, str):
                self.positions.blanks.setdefault(
                    (subject, graph, read.property), (row.path, row.line, column)
                )
        self.graphs[graph].append(node)

    def _class(self, row: Row, value: Value) -> str | None:
        full = self.mapping.expand(value.text)
        if full is None or ":" not in value.text:
            self.error(row, value, f"type {value.text!r} is not a compact IRI with a known prefix")
        return full

    def _object(self, row: Row, sheet: Sheet, key: Key, value: Value) -> dict[str, str] | None:
        text = value.text
        column = sheet.by_property.get(key.property)
        if column is not None and column.values and text not in column.values:
            self.error(
                row,
                value,
                f"{text!r} is not one of {', '.join(column.values)}"
                + self._suggest(text, set(column.values)),
            )
        if key.language is not None:
            return {"@value": text, "@language": key.language}
        if key.datatype is not None:
            problem = literal_problem(text, key.datatype)
            if problem:
                self.error(row, value, problem)
            return {"@value": text, "@type": key.datatype}
        if column is not None:
            kind = column.value
        else:
            kind = "text" if key.property in self.mapping.text_properties else "ref"
        if kind == "text":
            # A text column without a language is in the forum's main language, unless its
            # values are fixed in one (honorifics are written as the shapes list them).
            language = column.language if column is not None else None
            return {"@value": text, "@language": language or self.languages[0]}
        if kind == "ref":
            iri = self._reference(row, value, column.to if column is not None else ())
            return {"@id": iri} if iri else None
        if kind == "iri":
            if not _IRI.match(text):
                self.error(row, value, f"{text!r} is not an absolute IRI")
                return None
            return {"@id": text}
        if kind == "language" and not is_language_tag(text):
            self.error(row, value, f"{text!r} is not a language tag (en, fr, ar, pt-BR)")
        datatype = LITERAL_DATATYPES[kind]
        problem = literal_problem(text, datatype)
        if problem:
            self.error(row, value, problem)
        return (
            {"@value": text} if datatype == XSD + "string" else {"@value": text, "@type": datatype}
        )

    def _reference(self, row: Row, value: Value, to: tuple[str, ...]) -> str | None:
        text = value.text
        prefix, colon, local = text.partition(":")
        kinds: tuple[str, ...]
        if colon and prefix in self.kind_ns:
            iri, kinds = self.kind_ns[prefix] + local, (prefix,)
        elif colon and prefix in self.mapping.prefixes:
            return self.mapping.prefixes[prefix] + local
        elif colon and _IRI.match(text) and (local.startswith("//") or prefix in _SCHEMES):
            return text
        elif colon:
            known = [*self.kind_ns, *self.mapping.prefixes]
            self.error(row, value, f"unknown prefix {prefix!r}" + self._suggest(prefix, set(known)))
            return None
        elif not to:
            self.error(row, value, f"{text!r}: write which kind it is, as kind:id, or an IRI")
            return None
        else:
            kinds = tuple(k for k in to if text in self.ids_of_kind[k])
            if not kinds:
                # The column's usual kinds are a guide, not the rule: an id of another kind is
                # taken as `kind:id` would be, and the shapes say whether the property takes it.
                kinds = tuple(k for k, ids in self.ids_of_kind.items() if text in ids)
            if len(kinds) > 1:
                self.error(
                    row,
                    value,
                    f"{text!r} is the id of a {' and a '.join(kinds)}: write kind:{text}",
                )
                return None
            if not kinds:
                candidates = set().union(*(self.ids_of_kind[k] for k in to))
                self.error(
                    row,
                    value,
                    f"no {_either(to)} with id {text!r}" + self._suggest(text, candidates),
                )
                return None
            iri = self.kind_ns[kinds[0]] + text
        if iri not in self.known:
            candidates = set().union(*(self.ids_of_kind[k] for k in kinds))
            self.error(
                row,
                value,
                f"no {kinds[0]} with id {local if colon else text!r}"
                + self._suggest(local if colon else text, candidates),
            )
        return iri

    def _fill(self, entries: list[tuple[Row, Sheet, str, str]]) -> None:
        """Fill the texts the mapping's `fill` rules give for what an entity's rows leave out;
        a filled text is located where its source text was typed."""
        nodes: dict[str, list[tuple[dict[str, Any], str]]] = defaultdict(list)
        fills = {}
        for _row, sheet, subject, _graph in entries:
            if sheet.fills:
                fills[subject] = sheet.fills
        for graph, graph_nodes in self.graphs.items():
            for node in graph_nodes:
                if node["@id"] in fills:
                    nodes[node["@id"]].append((node, graph))
        for subject, found in nodes.items():
            for index, prop, source in fill_texts([n for n, _g in found], fills[subject]):
                graph = found[index][1]
                at = self.positions.keys.get((subject, graph, source))
                if at is not None:
                    self.positions.keys.setdefault((subject, graph, prop), at)

    def _defaults(self, entries: list[tuple[Row, Sheet, str, str]]) -> None:
        """An entity none of whose rows says `type` gets its sheet's classes, in its first row."""
        typed = {subject for row, _s, subject, _g in entries if "type" in row.cells}
        sheet_of = {subject: sheet for _r, sheet, subject, _g in entries}
        for graph_nodes in self.graphs.values():
            for node in graph_nodes:
                subject = node["@id"]
                if subject not in typed:
                    node["@type"] = list(sheet_of[subject].classes)
                    typed.add(subject)

    def _describe_graphs(self, entries: list[tuple[Row, Sheet, str, str]]) -> None:
        """Describe, in `graph/sources`, the graphs rows name as their source and no row
        describes: a section's graph, the graph of the documents and sections, and the graph of
        the editors' additions."""
        sources = self.kind_ns["graph"] + SOURCES
        wordings = self.mapping.graph_labels
        sections = {section for _row, section in self.undescribed.values() if section}
        nodes_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for nodes in self.graphs.values():
            for node in nodes:
                if node["@id"] in sections:
                    nodes_of[node["@id"]].append(node)
        documents = [subject for _r, sheet, subject, _g in entries if sheet.kind == "document"]
        classes = self.mapping.by_kind["graph"].classes
        for graph, (row, section) in self.undescribed.items():
            if section is not None:
                node = section_graph(
                    graph, section, nodes_of[section], classes, wordings["section"]
                )
            else:
                name = graph[len(self.kind_ns["graph"]) :]  # sources or editorial
                node = sources_graph(graph, documents, self.languages, wordings[name])
            self.graphs[sources].append(node)
            self.positions.rows.setdefault((graph, sources), (row.path, row.line, row.column))

    def _line_ranges(self, entries: list[tuple[Row, Sheet, str, str]]) -> None:
        """A section's first and last lines must lie in its document's text
        (`sources/{document}.txt`), the first not after the last."""
        if self.sources_dir is None:
            return
        cells: dict[str, dict[str, tuple[Row, Value]]] = defaultdict(dict)
        for row, sheet, subject, _graph in entries:
            if sheet.kind != "section":
                continue
            for name in ("firstLine", "lastLine", "isPartOf"):
                value = row.first(name)
                if value is not None:
                    cells[subject][name] = (row, value)
        line_counts: dict[str, int | None] = {}
        for found in cells.values():
            if "isPartOf" not in found:
                continue
            document = found["isPartOf"][1].text.removeprefix("document:")
            if document not in line_counts:
                text_file = self.sources_dir / f"{document}.txt"
                line_counts[document] = (
                    len(text_file.read_text(encoding="utf-8").splitlines())
                    if text_file.is_file()
                    else None
                )
            count = line_counts[document]
            numbers = {
                name: int(value.text)
                for name, (_row, value) in found.items()
                if name != "isPartOf" and _INTEGER.match(value.text)
            }
            for name, number in numbers.items():
                row, value = found[name]
                if number < 1 or (count is not None and number > count):
                    self.error(
                        row, value, f"{name} {number} is outside {document}.txt (lines 1-{count})"
                    )
            if numbers.get("firstLine", 0) > numbers.get("lastLine", 1 << 62):
                row, value = found["lastLine"]
                self.error(row, value, f"lastLine {value.text} is before firstLine")

    def _parse(self) -> list[ox.Quad]:
        context = build_context(self.base) | {
            p: ns for p, ns in self.mapping.prefixes.items() if p not in build_context(self.base)
        }
        quads: list[ox.Quad] = []
        for graph, nodes in self.graphs.items():
            document = {"@context": context, "@id": graph, "@graph": nodes}
            quads.extend(
                ox.parse(
                    json.dumps(document).encode(), format=ox.RdfFormat.JSON_LD, base_iri=self.base
                )
            )
        return quads


def _either(kinds: tuple[str, ...]) -> str:
    return kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} or {kinds[-1]}"


def rows_to_quads(
    mapping: Mapping,
    base: str,
    rows: list[Row],
    known_subjects: set[str],
    sources_dir: Path | None = None,
    languages: tuple[str, ...] = ("en",),
) -> tuple[list[ox.Quad], Positions]:
    """The quads the rows state and where each was typed, or CellCheckError listing every mistake.
    `known_subjects` are the subjects other data files describe (references may point to them);
    `sources_dir` holds the source texts line ranges are checked against; `languages` are the
    forum's, its main language first: the language of a text column whose key names none.
    A source that no row describes but is a section's id, or `sources`, gets its graph
    described (`graph_descriptions`)."""
    builder = _Builder(mapping, base, rows, known_subjects, sources_dir, languages)
    return builder.run(), builder.positions
