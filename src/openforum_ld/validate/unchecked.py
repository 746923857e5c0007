"""The shapes graph without what checks nothing, for the SHACL Core processor.

Many property shapes only document a workbook column (sh:name, sh:description, sh:path): they
constrain nothing, yet a processor still computes their value nodes for every focus node. Left
out, the results are the same; the one thing such a shape does is to allow its path in a closed
node shape, so that path is added to the shape's sh:ignoredProperties instead. The figures of
what the validation checked are counted on the full shapes (publish.quality), not on this graph.
"""

from __future__ import annotations

import rdflib
import rdflib.collection
from rdflib.namespace import RDF, RDFS, SH

#: What a property shape may say without checking anything: its path, its documentation, and
#: the settings of results it would give (none, without a constraint).
SAYS_NOTHING_CHECKED = frozenset(
    {
        RDF.type,
        RDFS.label,
        RDFS.comment,
        SH.path,
        SH.name,
        SH.description,
        SH.order,
        SH.group,
        SH.defaultValue,
        SH.message,
        SH.severity,
    }
)
_TARGETS = frozenset({SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf})


def without_unchecked_shapes(shapes: rdflib.Graph) -> rdflib.Graph:
    """A copy of `shapes` without the property shapes that constrain nothing, and without the
    targets of node shapes that constrain nothing."""
    pruned = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():
        pruned.bind(prefix, namespace)
    pruned += shapes
    for owner, property_shape in list(shapes.subject_objects(SH.property)):
        if not _checks_nothing(shapes, property_shape):
            continue
        # Another shape may point at the same node (sh:node, sh:or, ...): leave it then.
        if any(p != SH.property for _, p in shapes.subject_predicates(property_shape)):
            continue
        pruned.remove((owner, SH.property, property_shape))
        _remove_tree(pruned, property_shape)
        path = shapes.value(property_shape, SH.path)
        if isinstance(path, rdflib.URIRef) and _is_closed(shapes, owner):
            _allow(pruned, owner, path)
    for shape in list(pruned.subjects(RDF.type, SH.NodeShape)):
        # Targets of a shape left with no constraint (its SPARQL ones run on the store): the
        # processor would find its focus nodes only to check nothing on them.
        if all(p in _TARGETS or p in SAYS_NOTHING_CHECKED for p in pruned.predicates(shape, None)):
            for target in _TARGETS:
                pruned.remove((shape, target, None))
    return pruned


def _checks_nothing(shapes: rdflib.Graph, shape: rdflib.term.Node) -> bool:
    return isinstance(shape, rdflib.BNode) and all(
        predicate in SAYS_NOTHING_CHECKED for predicate in shapes.predicates(shape, None)
    )


def _is_closed(shapes: rdflib.Graph, shape: rdflib.term.Node) -> bool:
    closed = shapes.value(shape, SH.closed)
    return isinstance(closed, rdflib.Literal) and closed.toPython() is True


def _allow(shapes: rdflib.Graph, shape: rdflib.term.Node, path: rdflib.URIRef) -> None:
    """Add `path` to the closed shape's sh:ignoredProperties (in a new list that replaces the old)."""
    members: list[rdflib.term.Node] = []
    for head in list(shapes.objects(shape, SH.ignoredProperties)):
        members.extend(rdflib.collection.Collection(shapes, head))
        shapes.remove((shape, SH.ignoredProperties, head))
        _remove_tree(shapes, head)
    head = rdflib.BNode()
    rdflib.collection.Collection(shapes, head, [*members, path] if path not in members else members)
    shapes.add((shape, SH.ignoredProperties, head))


def _remove_tree(graph: rdflib.Graph, node: rdflib.term.Node) -> None:
    """Remove the triples of a blank node and of the blank nodes only it reaches."""
    for _, predicate, obj in list(graph.triples((node, None, None))):
        graph.remove((node, predicate, obj))
        if isinstance(obj, rdflib.BNode) and not any(graph.subjects(None, obj)):
            _remove_tree(graph, obj)
