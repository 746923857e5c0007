"""Quads -> rows -> YAML: one row per entity and named graph, each value in the column of its
property, so that reading the YAML back gives the same statements (see `to_rdf`)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import yaml

from openforum_ld.errors import DataError
from openforum_ld.iris import RDF
from openforum_ld.mapping.sheets import LITERAL_DATATYPES, Mapping, Sheet
from openforum_ld.rdf.serialize import kind_prefixes

if TYPE_CHECKING:
    from collections.abc import Iterable

_SLUG = re.compile(r"^[^\s/#:<>\"{}|\\^`]+$")

SheetRows = dict[str, list[dict[str, Any]]]


class _Writer:
    def __init__(self, mapping: Mapping, base: str) -> None:
        self.mapping = mapping
        self.base = base
        self.kind_ns = kind_prefixes(base)

    def place(self, subject: str) -> tuple[Sheet, str]:
        """The sheet a subject's rows go to, and its id there."""
        for kind, sheet in self.mapping.by_kind.items():
            namespace = self.kind_ns[kind]
            if subject.startswith(namespace) and _SLUG.match(subject[len(namespace) :]):
                return sheet, subject[len(namespace) :]
        relative = subject[len(self.base) :] if subject.startswith(self.base) else subject
        if ":" in relative:
            relative = subject
        return self.mapping.generic, relative

    def reference(self, iri: str, to: tuple[str, ...]) -> str:
        for kind, namespace in self.kind_ns.items():
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _SLUG.match(local):
                return local if to == (kind,) else f"{kind}:{local}"
        compact = self.mapping.compact(iri)
        return (
            compact
            if compact != iri and ":" in compact and compact.split(":")[0] in self.mapping.prefixes
            else iri
        )

    def cell(
        self,
        sheet: Sheet,
        predicate: str,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ) -> tuple[str, str]:
        column = sheet.by_property.get(predicate)
        name = column.key if column is not None else self.mapping.compact(predicate)
        if name == predicate:
            raise DataError(
                f"no column can hold the property <{predicate}>: give its namespace a prefix"
            )
        if isinstance(obj, ox.NamedNode):
            kind = column.value if column is not None else "ref"
            if kind == "iri":
                return name, obj.value
            if kind != "ref":
                raise DataError(
                    f"<{predicate}> has an IRI value, which its column {name} cannot hold"
                )
            return name, self.reference(obj.value, column.to if column is not None else ())
        if isinstance(obj, ox.Literal):
            if obj.language:
                return f"{name}@{obj.language}", obj.value
            datatype = obj.datatype.value
            if column is not None and LITERAL_DATATYPES.get(column.value) == datatype:
                return name, obj.value
            return f"{name}^^{self.mapping.compact(datatype)}", obj.value
        raise DataError(
            f"a blank node or quoted triple under <{predicate}> cannot be written in a sheet"
        )

    def rows(self, quads: Iterable[ox.Quad]) -> SheetRows:
        graph_ns = self.kind_ns["graph"]
        by_row: dict[tuple[str, str], list[ox.Quad]] = defaultdict(list)
        for quad in quads:
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or not graph.value.startswith(graph_ns):
                raise DataError(
                    f"a statement outside a named graph of the data ({quad.subject} {quad.predicate}): "
                    "every statement needs its source"
                )
            if not isinstance(quad.subject, ox.NamedNode):
                raise DataError(f"a blank node subject in {graph}: rows need an IRI")
            by_row[(quad.subject.value, graph.value[len(graph_ns) :])].append(quad)
        sheets: SheetRows = {s.name: [] for s in self.mapping.sheets}
        placed = []
        for (subject, source), row_quads in by_row.items():
            sheet, id_ = self.place(subject)
            placed.append((sheet, id_, source, row_quads))
        typed = {
            s
            for (s, _g), qs in by_row.items()
            if any(
                q.predicate.value == RDF + "type" and isinstance(q.object, ox.NamedNode) for q in qs
            )
        }
        for sheet, id_, source, row_quads in sorted(placed, key=lambda p: (p[0].name, p[1], p[2])):
            row: dict[str, Any] = {"id": id_, "source": source}
            types = [
                self.mapping.compact(q.object.value)
                for q in row_quads
                if q.predicate.value == RDF + "type" and isinstance(q.object, ox.NamedNode)
            ]
            subject = row_quads[0].subject.value  # type: ignore[union-attr]  # IRIs only, above
            if types:
                row["type"] = sorted(types)
            elif subject not in typed:
                # `type: []` says "no class", where no `type` at all would add the sheet's.
                row["type"] = []
                typed.add(subject)
            cells: dict[str, list[str]] = defaultdict(list)
            for quad in row_quads:
                if quad.predicate.value == RDF + "type" and isinstance(quad.object, ox.NamedNode):
                    continue
                key, value = self.cell(sheet, quad.predicate.value, quad.object)
                cells[key].append(value)
            order = {c.key: i for i, c in enumerate(sheet.columns)}
            for key in sorted(
                cells, key=lambda k: (order.get(re.split(r"[@^]", k)[0], len(order)), k)
            ):
                values = sorted(cells[key])
                row[key] = values if len(values) > 1 else values[0]
            sheets[sheet.name].append(row)
        return {name: rows for name, rows in sheets.items() if rows}


def quads_to_rows(mapping: Mapping, base: str, quads: Iterable[ox.Quad]) -> SheetRows:
    """Rows per sheet for the quads of the data's named graphs."""
    return _Writer(mapping, base).rows(quads)


def rows_to_yaml(rows: SheetRows) -> str:
    """YAML text of sheets of rows. Every value is written as a string: the dumper quotes those
    a YAML reader would take for something else (`10:30`, `no`, `1`)."""
    return yaml.safe_dump(
        rows, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
