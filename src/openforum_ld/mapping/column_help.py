"""What each column of a sheet means, in the forum's languages: the `sh:name` and
`sh:description` of the property shapes of its property, read from the shapes files.

A property has shapes of several node shapes (a forum's `startDate` is checked as any event's and
as the forum's own); a column takes the one whose node shape targets the first of its sheet's
classes it can, so the forum sheet shows the forum's date, and any shape of the property when no
node shape targets its classes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.errors import DataError

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.mapping.sheets import Sheet

_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Help:
    """A column's name and description in each language they are given in."""

    names: dict[str, str]
    descriptions: dict[str, str]

    def text(self, language: str) -> str | None:
        """ "name: description" in `language`, or what of it is given; None for neither."""
        name, description = self.names.get(language), self.descriptions.get(language)
        if name and description:
            return f"{name}: {description}"
        return name or description


@dataclass
class ColumnHelp:
    """The property shapes' names and descriptions, by property, with the classes their node
    shapes target; in the order the files state them."""

    shapes: dict[str, list[tuple[frozenset[str], Help]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def for_column(self, sheet: Sheet, prop: str) -> Help | None:
        """The help of the property shape for `prop` that fits the sheet's classes best."""
        found = [(targets, help_) for targets, help_ in self.shapes.get(prop, ()) if help_.names]
        for cls in sheet.classes:
            for targets, help_ in found:
                if cls in targets:
                    return help_
        return found[0][1] if found else None


def read_column_help(shapes_dir: Path) -> ColumnHelp:
    """The names and descriptions of the property shapes of the `.ttl` files of `shapes_dir`."""
    triples: list[ox.Triple] = []
    for path in sorted(shapes_dir.glob("*.ttl")):
        try:
            triples.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as error:
            raise DataError(f"cannot read the shapes: {error}", path) from None
    objects: dict[tuple[object, str], list[ox.NamedNode | ox.BlankNode | ox.Literal]] = defaultdict(
        list
    )
    node_shapes: list[object] = []
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Triple):
            continue
        objects[(triple.subject, triple.predicate.value)].append(obj)
        if triple.predicate.value == _SH + "property" and triple.subject not in node_shapes:
            node_shapes.append(triple.subject)
    help_ = ColumnHelp()
    for node in node_shapes:
        targets = frozenset(t.value for t in objects[(node, _SH + "targetClass")])
        for shape in objects[(node, _SH + "property")]:
            paths = objects[(shape, _SH + "path")]
            if len(paths) != 1 or not isinstance(paths[0], ox.NamedNode):
                continue  # a path other than a property is no column's
            names = _by_language(objects[(shape, _SH + "name")])
            descriptions = _by_language(objects[(shape, _SH + "description")])
            help_.shapes[paths[0].value].append((targets, Help(names, descriptions)))
    return help_


def _by_language(literals: list[ox.NamedNode | ox.BlankNode | ox.Literal]) -> dict[str, str]:
    return {
        literal.language or "": literal.value
        for literal in literals
        if isinstance(literal, ox.Literal)
    }
