"""The one place that converts between pyoxigraph and rdflib terms and graphs (rdflib is what
pyshacl reads, and parses with line numbers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib

from openforum_ld.iris import NAMESPACES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_graph(statements: Iterable[ox.Quad | ox.Triple]) -> rdflib.Graph:
    """An rdflib Graph of the statements' triples (graph names are dropped)."""
    graph = rdflib.Graph()
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, namespace)
    add = graph.add
    for statement in statements:
        add(
            (
                to_rdflib_term(statement.subject),
                to_rdflib_term(statement.predicate),
                to_rdflib_term(statement.object),
            )
        )
    return graph


def to_rdflib_term(term: Term) -> rdflib.term.Identifier:
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            # RDF 1.1 simple literals are xsd:string; rdflib keeps them untyped.
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"no rdflib equivalent for {term!r}")


def from_rdflib_term(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"no pyoxigraph equivalent for {term!r}")


def from_rdflib_graph(graph: rdflib.Graph) -> Iterator[ox.Quad]:
    """The triples of an rdflib graph as quads of the default graph."""
    for s, p, o in graph:
        subject, predicate, obj = from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o)
        assert isinstance(predicate, ox.NamedNode) and not isinstance(subject, ox.Literal)
        yield ox.Quad(subject, predicate, obj, ox.DefaultGraph())
