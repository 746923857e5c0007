"""What the endpoint reads from a query's text before running it: the words that decide whether
a result may be answered again, and the limits that keep a query from overflowing the engine."""

from __future__ import annotations

import pytest

from openforum_ld.errors import QueryError
from openforum_ld.store.sparql_text import MAX_NESTING, MAX_OPERATORS, outline


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (STRUUID() AS ?u) {}",
        "SELECT (uuid ( ) AS ?u) {}",
        "SELECT (RAND() AS ?r) {}",
        "SELECT (now() AS ?t) {}",
        "SELECT ?b { BIND(BNODE() AS ?b) }",
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
)
def test_a_query_whose_result_varies_is_not_repeatable(query: str) -> None:
    assert not outline(query).repeatable


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?now ?rand { ?now <http://x/uuid> ?rand }",  # variables, not functions
        "PREFIX ex: <http://x/> SELECT * { ?s ex:service ex:now }",  # prefixed names
        'SELECT * { ?s ?p "RAND() NOW() SERVICE" }',  # inside a string
        "SELECT * { ?s <http://x/BNODE()> ?o } # STRUUID()",  # an IRI, a comment
    ],
)
def test_the_same_words_elsewhere_leave_a_query_repeatable(query: str) -> None:
    assert outline(query).repeatable


def test_dataset_and_graph_words_are_found_only_as_keywords() -> None:
    assert outline("SELECT * FROM <http://x/g> { ?s ?p ?o }").names_dataset
    assert outline("SELECT * { GRAPH ?g { ?s ?p ?o } }").uses_graph
    plain = outline("SELECT ?from ?graph { ?from <http://x/graph> ?graph }")
    assert (plain.names_dataset, plain.uses_graph, plain.uses_service) == (False, False, False)
    assert plain.form == "select"


def test_a_base_is_found_only_as_a_keyword() -> None:
    assert outline("base <http://x/> SELECT * { ?s ?p ?o }").declares_base
    plain = outline('SELECT ?base { ?base <http://x/BASE> "BASE" } # BASE <a>')
    assert not plain.declares_base


def test_a_short_query_nested_too_deep_is_refused() -> None:
    # Short enough to skip counting operators: the depth is still counted.
    depth = MAX_NESTING + 1
    query = "ASK " + "{" * depth + "}" * depth
    assert len(query) < MAX_OPERATORS
    with pytest.raises(QueryError, match=f"{depth} deep"):
        outline(query)
    outline("ASK " + "{" * MAX_NESTING + "}" * MAX_NESTING)


def test_operators_are_counted_once_the_query_is_long_enough_to_hold_too_many() -> None:
    # n + 1 terms hold n operators.
    query = "SELECT (" + " + ".join(["1"] * (MAX_OPERATORS + 2)) + " AS ?x) {}"
    with pytest.raises(QueryError, match="operators"):
        outline(query)
    within = "SELECT (" + " + ".join(["1"] * (MAX_OPERATORS - 10)) + " AS ?x) {}"
    assert outline(within).form == "select"
