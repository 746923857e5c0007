from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from openforum_ld.errors import DataError
from openforum_ld.iris import OFO, ONTOLOGY_IRI
from openforum_ld.load import Dataset, load_dataset

from .conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
SCHEMA_MENTIONS = "http://schema.org/mentions"
DATA_FILES = sorted((ROOT / "data").glob("*.trig"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_data_file_parses_to_the_same_dataset_with_rdflib_and_pyoxigraph(path: Path) -> None:
    with_rdflib = rdflib.Dataset()
    with_rdflib.parse(data=path.read_text(encoding="utf-8"), format="trig", publicID=LOCAL_BASE)
    with_oxigraph = rdflib.Dataset()
    quads = ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=LOCAL_BASE)
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert nquads is not None
    with_oxigraph.parse(data=nquads, format="nquads")
    graphs = {g.identifier for g in with_rdflib.graphs() if len(g)}
    assert graphs == {g.identifier for g in with_oxigraph.graphs() if len(g)}
    for name in graphs:
        assert isomorphic(with_rdflib.graph(name), with_oxigraph.graph(name)), name
    assert len(graphs) == 1, "each data file holds exactly one named graph"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_files_use_relative_iris_only(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "@base" not in text and "BASE " not in text
    assert "127.0.0.1" not in text and "w3id.org/openforum/id" not in text
    assert "_:" not in text and "[" not in text, "no blank nodes in the data"


def test_each_file_holds_the_graph_named_after_it(dataset: Dataset) -> None:
    for source in dataset.data_files:
        assert dataset.graphs_of(source) == {f"{LOCAL_BASE}graph/{source.path.stem}"}, source.path


def test_the_same_files_publish_under_any_base(dataset: Dataset, settings) -> None:
    public = load_dataset(
        settings.data_dir, settings.ontology_dir, "https://data.example.org/forum/"
    )
    local = {
        q for q in dataset.store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    moved = {
        str(q).replace("https://data.example.org/forum/", LOCAL_BASE)
        for q in public.store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    assert {str(q) for q in local} == moved


def test_the_default_graph_is_the_union_without_duplicates(dataset: Dataset) -> None:
    rows = dataset.store.select(
        'SELECT (COUNT(*) AS ?n) WHERE { ?t skos:prefLabel "transparency"@en }'
    )
    assert int(rows[0]["n"].value) == 1
    in_graphs = dataset.store.select(
        'SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?t skos:prefLabel "transparency"@en } }'
    )
    assert int(in_graphs[0]["n"].value) > 1, "the label is stated in several sections"


def test_the_ontology_is_its_own_graph_and_not_in_the_default_graph(dataset: Dataset) -> None:
    assert ONTOLOGY_IRI in dataset.store.graph_names()
    rows = dataset.store.select("ASK { ofo:Talk ?p ?o }".replace("ASK", "SELECT * WHERE"))
    assert rows == []
    in_ontology = dataset.store.select(
        f"SELECT ?l WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ofo:Talk rdfs:label ?l }} }}"
    )
    assert {r["l"].value for r in in_ontology} == {"talk", "intervention"}


def test_the_loader_records_which_sections_mention_each_entity(dataset: Dataset) -> None:
    rows = dataset.store.select(
        f"SELECT ?section WHERE {{ GRAPH <{LOCAL_BASE}graph/mentions> {{ ?section schema:mentions <{LOCAL_BASE}id/person/fatima-ezzahra-denial> }} }}"
    )
    assert {r["section"].value for r in rows} == {
        f"{LOCAL_BASE}id/section/web-agenda-4",
    }


def test_the_default_graph_is_exactly_the_data_graphs_and_the_mentions(dataset: Dataset) -> None:
    # The union is copied graph by graph: no graph may be left out, nothing else may come in.
    store = dataset.store.oxigraph
    expected = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != ONTOLOGY_IRI
    }
    found = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    assert found == expected


def test_the_mentions_are_every_entity_each_sourced_graph_names(dataset: Dataset) -> None:
    # Found by one query while the union is being copied: checked here against the finished
    # union, worked out quad by quad.
    store = dataset.store.oxigraph
    mentions = f"{LOCAL_BASE}graph/mentions"
    found = {
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(
            None, ox.NamedNode(SCHEMA_MENTIONS), None, ox.NamedNode(mentions)
        )
    }
    # The same, worked out in Python: each sourced graph's section mentions every entity IRI
    # its statements name, but sections and documents.
    typed = ox.NamedNode(RDF_TYPE)
    of_kind = {
        kind: {
            q.subject
            for q in store.quads_for_pattern(
                None, typed, ox.NamedNode(OFO + kind), ox.DefaultGraph()
            )
        }
        for kind in ("SourceSection", "SourceDocument")
    }
    sourcey = of_kind["SourceSection"] | of_kind["SourceDocument"]
    expected = set()
    for graph in store.quads_for_pattern(
        None, typed, ox.NamedNode(OFO + "SourcedGraph"), ox.DefaultGraph()
    ):
        sections = [
            q.object
            for q in store.quads_for_pattern(
                graph.subject, ox.NamedNode(PROV_DERIVED), None, ox.DefaultGraph()
            )
            if q.object in of_kind["SourceSection"]
        ]
        named = set()
        for q in store.quads_for_pattern(None, None, None, graph.subject):
            named |= {t for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
        entities = {t for t in named if t.value.startswith(f"{LOCAL_BASE}id/") and t not in sourcey}
        expected |= {(s.value, e.value) for s in sections for e in entities}
    assert len(found) > 100
    assert found == expected


def test_locate_gives_the_line_where_an_entity_is_described(dataset: Dataset) -> None:
    places = dataset.locate(f"{LOCAL_BASE}id/person/john-maritim")
    files = {path.name for path, _, _ in places}
    assert files == {"report-vii.trig", "web-agenda-3.trig", "editorial.trig"}
    for path, line, column in places:
        assert column is None  # TriG subjects are found by line
        assert (
            path.read_text(encoding="utf-8")
            .splitlines()[line - 1]
            .strip()
            .startswith("person:john-maritim")
        )


def test_places_forgotten_are_found_again_when_asked(dataset: Dataset) -> None:
    """A build drops what locating read once validation is done; asking again reads it anew."""
    subjects = [
        f"{LOCAL_BASE}id/person/john-maritim",
        f"{LOCAL_BASE}id/forum/open-smart-regions-2020",
    ]
    before = [dataset.locate(subject) for subject in subjects]
    dataset.forget_locations()
    assert [dataset.locate(subject) for subject in subjects] == before
    assert all(before)


def _write_data(directory: Path, name: str, text: str | bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_syntax_error_is_reported_at_its_file_and_line(tmp_path: Path, settings) -> None:
    _write_data(
        tmp_path / "data",
        "broken.trig",
        '@prefix s: <http://schema.org/> .\n<graph/g> {\n  <id/x/y> s:name "unterminated ;\n}\n',
    )
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path / "data", settings.ontology_dir, LOCAL_BASE)
    error = caught.value
    assert error.path == tmp_path / "data" / "broken.trig"
    assert error.line == 3
    assert str(error).startswith(f"{tmp_path / 'data' / 'broken.trig'}:3:")


def test_an_ontology_in_any_format_goes_to_the_ontology_graph(tmp_path: Path, settings) -> None:
    ontology = tmp_path / "ontology"
    ontology.mkdir()
    for path in settings.ontology_dir.glob("*.ttl"):
        (ontology / path.name).write_bytes(path.read_bytes())
    extra = '<http://example.org/terms#Thing> <http://www.w3.org/2000/01/rdf-schema#label> "thing"'
    (ontology / "extra.trig").write_text(f"<http://example.org/graph> {{ {extra} . }}\n")
    (ontology / "more.nt").write_text(extra.replace('"thing"', '"more"') + " .\n")
    dataset = load_dataset(settings.data_dir, ontology, LOCAL_BASE)
    labels = dataset.store.select(
        "SELECT ?g ?l WHERE { GRAPH ?g { <http://example.org/terms#Thing> rdfs:label ?l } }"
    )
    assert {(r["g"].value, r["l"].value) for r in labels} == {
        (ONTOLOGY_IRI, "thing"),
        (ONTOLOGY_IRI, "more"),
    }
    assert "http://example.org/graph" not in dataset.store.graph_names()


def test_bytes_that_are_not_utf8_are_reported_at_their_line(tmp_path: Path, settings) -> None:
    _write_data(
        tmp_path / "data",
        "latin1.trig",
        b'<graph/g> {\n <id/x/y> <http://schema.org/name> "caf\xe9" .\n}\n',
    )
    with pytest.raises(DataError, match="not valid UTF-8") as caught:
        load_dataset(tmp_path / "data", settings.ontology_dir, LOCAL_BASE)
    assert caught.value.line == 2


def test_a_missing_directory_is_an_error_naming_it(tmp_path: Path, settings) -> None:
    with pytest.raises(DataError, match="does not exist") as caught:
        load_dataset(tmp_path / "nowhere", settings.ontology_dir, LOCAL_BASE)
    assert caught.value.path == tmp_path / "nowhere"


def test_a_directory_without_data_files_is_an_error(tmp_path: Path, settings) -> None:
    _write_data(tmp_path / "data", "notes.txt", "not rdf")
    with pytest.raises(DataError, match="no data files"):
        load_dataset(tmp_path / "data", settings.ontology_dir, LOCAL_BASE)


def test_an_on_disk_store_is_reused_until_the_data_changes(
    tmp_path: Path, settings, data_copy: Path
) -> None:
    store_dir = tmp_path / "store"
    first = load_dataset(data_copy, settings.ontology_dir, LOCAL_BASE, store_dir)
    count = len(first.store)
    version = first.version
    del first
    again = load_dataset(data_copy, settings.ontology_dir, LOCAL_BASE, store_dir)
    assert again.version == version and len(again.store) == count
    del again
    (data_copy / "web-expert.trig").write_text(
        (data_copy / "web-expert.trig")
        .read_text(encoding="utf-8")
        .replace('schema:jobTitle "Open Government Expert"@en', 'schema:jobTitle "Expert"@en'),
        encoding="utf-8",
    )
    changed = load_dataset(data_copy, settings.ontology_dir, LOCAL_BASE, store_dir)
    assert changed.version != version
    titles = changed.store.select(
        'SELECT ?t WHERE { ?p schema:jobTitle ?t FILTER(STR(?t) = "Expert") }'
    )
    assert len(titles) == 1


def test_the_mentions_graph_says_it_is_derived_from_every_sourced_graph(dataset: Dataset) -> None:
    store = dataset.store.oxigraph
    mentions = ox.NamedNode(dataset.iris.mentions_graph)
    sourced = {
        q.subject
        for q in store.quads_for_pattern(
            None, ox.NamedNode(RDF_TYPE), ox.NamedNode(OFO + "SourcedGraph"), ox.DefaultGraph()
        )
    }
    derived = {
        q.object
        for q in store.quads_for_pattern(mentions, ox.NamedNode(PROV_DERIVED), None, mentions)
    }
    assert len(sourced) > 10
    assert derived == sourced
