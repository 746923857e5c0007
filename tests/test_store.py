from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import rdflib
from rdflib.compare import isomorphic

from openforum_ld.errors import QueryError
from openforum_ld.formats import NQUADS, NTRIPLES, RDF_FORMATS, TRIG, TURTLE

if TYPE_CHECKING:
    from openforum_ld.load import Dataset


def test_a_query_error_carries_the_parsers_line_and_column(dataset: Dataset) -> None:
    with pytest.raises(QueryError) as caught:
        dataset.store.query("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o > )\n}")
    # The parser reports where it gave up: on or just after the faulty line.
    assert caught.value.line in (3, 4)
    assert caught.value.column is not None and caught.value.column >= 1


def test_named_graphs_and_dataset_restrictions(dataset: Dataset) -> None:
    graph = f"{dataset.iris.base}graph/web-expert"
    rows = dataset.store.query("SELECT ?p WHERE { ?p a schema:Person }", default_graphs=[graph])
    assert [r[0].value for r in rows.rows()] == [f"{dataset.iris.base}id/person/tarik-nesh-nash"]
    only = dataset.store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[graph]
    )
    assert [r[0].value for r in only.rows()] == [graph]


@pytest.mark.parametrize("fmt", [f for f in RDF_FORMATS if not f.quads], ids=lambda f: f.key)
def test_the_default_graph_dumps_to_the_same_graph_in_every_triple_format(
    dataset: Dataset, fmt
) -> None:
    reference = dataset.store.to_rdflib()
    parsed = rdflib.Graph().parse(data=dataset.store.dump(fmt), format=fmt.rdflib_name)
    assert isomorphic(parsed, reference)


@pytest.mark.parametrize("fmt", [NQUADS, TRIG], ids=lambda f: f.key)
def test_quad_dumps_keep_every_named_graph(dataset: Dataset, fmt) -> None:
    parsed = rdflib.Dataset()
    parsed.parse(data=dataset.store.dump(fmt), format=fmt.rdflib_name)
    names = {str(g.identifier) for g in parsed.graphs() if len(g)}
    assert set(dataset.store.graph_names()) <= names


def test_triple_formats_are_not_quad_formats() -> None:
    assert not TURTLE.quads and not NTRIPLES.quads and NQUADS.quads and TRIG.quads
