"""What each column of a sheet means, in the forum's languages: the `sh:name` and
`sh:description` of a property shape of its property, read from the shapes files.

Help is only ever taken from a node shape that targets one of the sheet's classes: a property
means different things to different kinds (a milestone's `about` is the forum that marked it, a
talk's is what its title names), so the help of another kind would be wrong, and no help is
better than wrong help. Among the shapes that fit, a column takes, in this order:

1. a shape of the property itself over a shape of an `sh:alternativePath` it is one of (which
   speaks of the whole list: "parent and sub-organizations and units");
2. a node shape that targets an earlier class of the sheet's (the forum sheet lists `ofo:Forum`
   before `schema:Event`, so the forum's date is the forum's, not any event's);
3. a node shape that targets fewer classes (the action plan's own shape over the shape of all
   plans);
4. the order of the files.
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
_RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"

_Term = ox.NamedNode | ox.BlankNode | ox.Literal


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


@dataclass(frozen=True)
class PropertyShapeHelp:
    """The help of one property shape for one property, and where the shape stands."""

    help: Help
    node_shape: str  # the node shape's IRI, or its blank node's id
    targets: frozenset[str]  # the classes the node shape targets
    alternative: bool  # the property is one of an sh:alternativePath
    order: int  # its place in the files


@dataclass
class ColumnHelp:
    """The property shapes' names and descriptions, by property."""

    shapes: dict[str, list[PropertyShapeHelp]] = field(default_factory=lambda: defaultdict(list))

    def candidates(self, sheet: Sheet, prop: str) -> list[PropertyShapeHelp]:
        """The shapes of `prop` with a name, of node shapes that target one of the sheet's
        classes, best first."""
        classes = sheet.classes

        def rank(found: PropertyShapeHelp) -> tuple[bool, int, int, int]:
            first = min(classes.index(c) for c in found.targets if c in classes)
            return (found.alternative, first, len(found.targets), found.order)

        fitting = [
            found
            for found in self.shapes.get(prop, ())
            if found.help.names and not found.targets.isdisjoint(classes)
        ]
        return sorted(fitting, key=rank)

    def for_column(self, sheet: Sheet, prop: str) -> Help | None:
        """The help of the property shape for `prop` that fits the sheet best; None when no
        node shape of the sheet's classes has one."""
        best = self.candidates(sheet, prop)
        return best[0].help if best else None


def read_column_help(shapes_dir: Path) -> ColumnHelp:
    """The names and descriptions of the property shapes of the `.ttl` files of `shapes_dir`."""
    triples: list[ox.Triple] = []
    for path in sorted(shapes_dir.glob("*.ttl")):
        try:
            triples.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as error:
            raise DataError(f"cannot read the shapes: {error}", path) from None
    objects: dict[tuple[object, str], list[_Term]] = defaultdict(list)
    node_shapes: list[ox.NamedNode | ox.BlankNode] = []
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Triple):
            continue
        objects[(triple.subject, triple.predicate.value)].append(obj)
        subject = triple.subject
        if (
            triple.predicate.value == _SH + "property"
            and not isinstance(subject, ox.Triple)
            and subject not in node_shapes
        ):
            node_shapes.append(subject)
    help_ = ColumnHelp()
    order = 0
    for node in node_shapes:
        targets = frozenset(t.value for t in objects[(node, _SH + "targetClass")])
        for shape in objects[(node, _SH + "property")]:
            properties, alternative = _properties(objects, shape)
            found = Help(
                _by_language(objects[(shape, _SH + "name")]),
                _by_language(objects[(shape, _SH + "description")]),
            )
            for prop in properties:
                help_.shapes[prop].append(
                    PropertyShapeHelp(found, str(node.value), targets, alternative, order)
                )
            order += 1
    return help_


def _properties(
    objects: dict[tuple[object, str], list[_Term]], shape: _Term
) -> tuple[list[str], bool]:
    """The properties a property shape's path names, and whether they are alternatives: a path
    of one property, or an sh:alternativePath of properties; any other path is no column's."""
    paths = objects[(shape, _SH + "path")]
    if len(paths) != 1:
        return [], False
    [path] = paths
    if isinstance(path, ox.NamedNode):
        return [path.value], False
    alternatives = objects[(path, _SH + "alternativePath")]
    if len(alternatives) != 1:
        return [], False
    members = _list(objects, alternatives[0])
    if not all(isinstance(m, ox.NamedNode) for m in members):
        return [], False
    return [m.value for m in members], True


def _list(objects: dict[tuple[object, str], list[_Term]], head: _Term) -> list[_Term]:
    """The members of an RDF list."""
    members: list[_Term] = []
    seen: set[_Term] = set()
    while isinstance(head, ox.BlankNode) and head not in seen:  # rdf:nil is a named node
        seen.add(head)
        members.extend(objects[(head, _RDF_FIRST)][:1])
        rest = objects[(head, _RDF_REST)]
        if not rest:
            break
        head = rest[0]
    return members


def _by_language(literals: list[_Term]) -> dict[str, str]:
    return {
        literal.language or "": literal.value
        for literal in literals
        if isinstance(literal, ox.Literal)
    }
