from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from openforum_ld.errors import QueryError
from openforum_ld.load import load_dataset
from openforum_ld.rdf.formats import NQUADS, NTRIPLES, RDF_FORMATS, TRIG, TURTLE
from openforum_ld.store import Store
from openforum_ld.validate import validate_dataset

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings
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


_BLANK_NODES = """
@prefix ex: <http://example.org/> .
_:kept ex:p "in the default graph" ; ex:q _:other .
GRAPH ex:g { _:kept ex:r "in a named graph"@en . [] ex:s 42 . }
"""


def _store_with_blank_nodes(path: Path | None = None) -> Store:
    store = Store(path)
    store.add_quads(ox.parse(_BLANK_NODES, format=ox.RdfFormat.TRIG))
    return store


def test_the_union_takes_every_graph_but_the_excluded_ones_without_duplicates() -> None:
    ex = "http://example.org/"
    shared = (ox.NamedNode(ex + "s"), ox.NamedNode(ex + "p"), ox.Literal("both"))
    graphs = {
        "first": ox.NamedNode(ex + "g1"),
        "second": ox.NamedNode(ex + "g2"),
        "blank": ox.BlankNode("g3"),
        "left out": ox.NamedNode(ex + "ontology"),
    }
    store = Store()
    store.add_quads(ox.Quad(*shared, graph) for graph in graphs.values())
    store.add_quads(
        ox.Quad(ox.NamedNode(ex + "s"), ox.NamedNode(ex + "from"), ox.Literal(name), graph)
        for name, graph in graphs.items()
    )
    store.materialize_union(exclude=[ex + "ontology"])
    union = {
        (q.subject, q.predicate, q.object)
        for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    assert union == {shared} | {
        (ox.NamedNode(ex + "s"), ox.NamedNode(ex + "from"), ox.Literal(name))
        for name in ("first", "second", "blank")
    }


@pytest.mark.parametrize("spooled", [1 << 20, 64], ids=["in memory", "on disk"])
def test_constructed_triples_join_every_graph_and_go_to_each_graph_asked(
    spooled: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openforum_ld.store.embedded

    monkeypatch.setattr(openforum_ld.store.embedded, "_SPOOLED", spooled)
    ex = "http://example.org/"
    s, p, q = ox.NamedNode(ex + "s"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "q")
    values = [
        ox.Literal('quote " and\nnew line', language="fr"),
        ox.Literal("ⵜⴰⵎⴰⵣⵉⵖⵜ"),
        ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.NamedNode(ex + "o"),
    ]
    store = Store()
    # The two halves of the pattern are in different graphs, one of them the default graph.
    store.add_quads([ox.Quad(s, p, ox.NamedNode(ex + "middle"), ox.NamedNode(ex + "g1"))])
    store.add_quads([ox.Quad(ox.NamedNode(ex + "middle"), q, v) for v in values])
    store.add_constructed(
        f"CONSTRUCT {{ ?s <{ex}joined> ?v }} WHERE {{ ?s <{ex}p> ?m . ?m <{ex}q> ?v }}",
        [ex + "target", None],
    )
    expected = {(s, ox.NamedNode(ex + "joined"), v) for v in values}
    for graph in (ox.NamedNode(ex + "target"), ox.DefaultGraph()):
        found = {
            (t.subject, t.predicate, t.object)
            for t in store.oxigraph.quads_for_pattern(
                None, ox.NamedNode(ex + "joined"), None, graph
            )
        }
        assert found == expected


def test_a_store_set_aside_is_empty_until_the_block_ends_and_then_exactly_as_it_was() -> None:
    store = _store_with_blank_nodes()
    before = set(store.oxigraph)
    with store.set_aside() as default_graph:
        assert len(store) == 0  # the memory is free for the block's own copy
        seen = {(s.subject, s.predicate, s.object) for s in default_graph}
    # Blank nodes keep their labels: results found before (SPARQL constraints) still match.
    assert set(store.oxigraph) == before
    assert seen == {
        (q.subject, q.predicate, q.object) for q in before if q.graph_name == ox.DefaultGraph()
    }


def test_a_store_is_restored_when_the_block_fails() -> None:
    store = _store_with_blank_nodes()
    before = set(store.oxigraph)
    with pytest.raises(RuntimeError), store.set_aside():
        raise RuntimeError("the block failed")
    assert set(store.oxigraph) == before


def test_an_on_disk_store_is_not_set_aside(tmp_path: Path) -> None:
    store = _store_with_blank_nodes(tmp_path / "store")
    before = set(store.oxigraph)
    with store.set_aside() as default_graph:
        assert set(store.oxigraph) == before
        assert len(list(default_graph)) == 2


def test_validation_leaves_the_store_as_it_found_it(settings: Settings) -> None:
    dataset = load_dataset(settings.data_dir, settings.ontology_dir, settings.base_uri)
    before = set(dataset.store.oxigraph)
    assert validate_dataset(dataset, settings.shapes_dir).conforms
    assert set(dataset.store.oxigraph) == before


def test_setting_aside_leaves_no_file_and_clears_what_killed_processes_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # Above the kernel's largest pid (2**22): no process has it.
    stale = tmp_path / f"openforum-ld-set-aside-{2**22 + 7}-abc"
    stale.mkdir()
    (stale / "store.nq").write_text("left by a killed build\n")
    store = _store_with_blank_nodes()
    with store.set_aside() as default_graph:
        assert list(tmp_path.iterdir()) == []  # opened and unlinked: nothing to leave behind
        assert len(list(default_graph)) == 2
    assert list(tmp_path.iterdir()) == []
