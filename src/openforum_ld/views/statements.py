"""The statements of a named graph, grouped by subject and labelled for a reader: what a
graph's page lists, and what a section's page shows beside its text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import RDF
from openforum_ld.views.describe import Value

if TYPE_CHECKING:
    from openforum_ld.store import Term
    from openforum_ld.views.context import ViewContext

_TYPE = RDF + "type"


@dataclass(frozen=True)
class Statement:
    """One statement of a graph, under its subject: the property's label and the value."""

    predicate: str
    label: str
    value: Value


@dataclass(frozen=True)
class SubjectStatements:
    """What a graph states about one subject."""

    subject: Value
    statements: tuple[Statement, ...]


def graph_contents(ctx: ViewContext, graph: str) -> list[ox.Quad]:
    """The statements the graph holds, in it."""
    rows = ctx.store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    name = ox.NamedNode(graph)
    return [ox.Quad(r["s"], r["p"], r["o"], name) for r in rows]  # type: ignore[arg-type]  # subjects and predicates are never literals


def graph_statements(ctx: ViewContext, graph: str, language: str) -> list[SubjectStatements]:
    """The graph's statements grouped by subject, subjects and properties in label order."""
    quads = graph_contents(ctx, graph)
    linked = [
        term.value
        for quad in quads
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode)
    ]
    labels = ctx.describer.labels(linked, language)
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[Statement]] = {}
    for quad in quads:
        value = _value(ctx, quad.object, labels)
        if quad.predicate.value == _TYPE and value.iri is not None:
            # A class reads as the vocabulary names it, as on entity pages.
            value = replace(value, text=ctx.describer.terms.label(value.iri, language))
        label = ctx.describer.terms.label(quad.predicate.value, language)
        by_subject.setdefault(quad.subject, []).append(  # type: ignore[arg-type]  # no triple terms here
            Statement(quad.predicate.value, label, value)
        )
    orders = _agenda_orders(ctx, graph)

    def order(subject: ox.NamedNode | ox.BlankNode, statement: Statement) -> tuple[object, ...]:
        # A forum's sections and a section's talks in agenda order, then by label.
        position = orders.get((subject.value, statement.value.iri or ""))
        return (
            statement.predicate != _TYPE,
            statement.label.lower(),
            position is None,
            position or 0,
            statement.value.text,
        )

    groups = [
        SubjectStatements(
            _value(ctx, subject, labels),
            tuple(sorted(statements, key=partial(order, subject))),
        )
        for subject, statements in by_subject.items()
    ]
    groups.sort(key=lambda g: (g.subject.text.lower(), str(g.subject.term)))
    return groups


def _agenda_orders(ctx: ViewContext, graph: str) -> dict[tuple[str, str], int]:
    """(event, sub-event) -> the sub-event's agenda order, for the sub-events the graph names."""
    rows = ctx.store.select(
        f"""SELECT ?event ?part ?order WHERE {{
              GRAPH <{graph}> {{ ?event schema:subEvent ?part }}
              ?part ofo:agendaOrder ?order .
            }}"""
    )
    orders: dict[tuple[str, str], int] = {}
    for row in rows:
        if row["order"].value.lstrip("-").isdigit():
            orders[(row["event"].value, row["part"].value)] = int(row["order"].value)
    return orders


def _value(ctx: ViewContext, term: Term, labels: dict[str, tuple[str, str | None]]) -> Value:
    if isinstance(term, ox.NamedNode):
        text, language = labels.get(term.value, (term.value, None))
        return Value(term, text, language, term.value, ctx.iris.is_local(term.value))
    if isinstance(term, ox.Literal):
        return Value(term, term.value, term.language)
    return Value(term, str(term))


def graphs_derived_from(ctx: ViewContext, section: str) -> list[str]:
    """The publication's graphs whose statements are taken from `section`, sorted."""
    rows = ctx.store.select(
        f"SELECT DISTINCT ?g WHERE {{ ?g prov:wasDerivedFrom <{section}> }} ORDER BY ?g"
    )
    return [r["g"].value for r in rows if r["g"].value in ctx.manifest.graphs]


@dataclass(frozen=True)
class DerivedGraph:
    """A graph taken from a section, with its label and statements."""

    graph: str
    label: str
    language: str | None
    groups: tuple[SubjectStatements, ...]

    @property
    def count(self) -> int:
        """How many statements the graph holds."""
        return sum(len(group.statements) for group in self.groups)


def statements_from(ctx: ViewContext, section: str, language: str) -> list[DerivedGraph]:
    """The statements taken from a section, graph by graph."""
    found = []
    for graph in graphs_derived_from(ctx, section):
        label, label_language = ctx.describer.label_of(graph, language)
        found.append(
            DerivedGraph(
                graph, label, label_language, tuple(graph_statements(ctx, graph, language))
            )
        )
    return found
