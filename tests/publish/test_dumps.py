"""Every dump parses, with two parsers, to the graph that was validated, after the one statement
of the dataset's licence."""

from __future__ import annotations

import gzip
import hashlib
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from openforum_ld.publish.dumps import DUMP_FORMATS, dump_path

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset

DUMPS = [dump_path("openforum", fmt, gzipped) for fmt, gzipped in DUMP_FORMATS]
LICENSE = rdflib.URIRef("http://purl.org/dc/terms/license")


def _licence_statement(dataset: Dataset) -> tuple[rdflib.URIRef, ...]:
    return (
        rdflib.URIRef(dataset.iris.base + "catalog#dataset"),
        LICENSE,
        rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/"),
    )


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _void_triples(site: Path) -> int:
    void = rdflib.Graph().parse(site / "void.ttl", format="turtle")
    # The dataset is the one with dumps; the datasets it links to are described too.
    [dataset] = set(void.subjects(rdflib.URIRef("http://rdfs.org/ns/void#dataDump"), None))
    return int(void.value(dataset, rdflib.URIRef("http://rdfs.org/ns/void#triples")))


@pytest.mark.parametrize("relative", DUMPS)
def test_every_dump_parses_with_rdflib_to_the_validated_graph(
    built_site: Path, dataset: Dataset, relative: str
) -> None:
    fmt = next(f for f, g in DUMP_FORMATS if dump_path("openforum", f, g) == relative)
    data = _read(built_site / relative)
    if fmt.quads:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=fmt.rdflib_name)
        union = rdflib.Graph()
        for graph in parsed.graphs():
            for triple in graph:
                union.add(triple)
    else:
        union = rdflib.Graph().parse(data=data, format=fmt.rdflib_name)
    licence = _licence_statement(dataset)
    assert licence in union
    union.remove(licence)
    assert isomorphic(union, dataset.store.to_rdflib())
    assert len(union) == _void_triples(built_site)


@pytest.mark.parametrize("relative", DUMPS)
def test_every_dump_states_the_dataset_licence_in_its_default_graph(
    built_site: Path, dataset: Dataset, relative: str
) -> None:
    fmt = next(f for f, g in DUMP_FORMATS if dump_path("openforum", f, g) == relative)
    parsed = ox.parse(_read(built_site / relative), format=fmt.oxigraph)
    stated = [
        q
        for q in parsed
        if q.predicate.value == str(LICENSE)
        and q.subject.value == dataset.iris.base + "catalog#dataset"
    ]
    assert [(q.object.value, q.graph_name) for q in stated] == [
        ("https://creativecommons.org/licenses/by/4.0/", ox.DefaultGraph())
    ]


@pytest.mark.parametrize("relative", DUMPS)
def test_every_dump_parses_with_pyoxigraph_to_the_same_number_of_triples(
    built_site: Path, dataset: Dataset, relative: str
) -> None:
    fmt = next(f for f, g in DUMP_FORMATS if dump_path("openforum", f, g) == relative)
    quads = list(
        ox.parse(_read(built_site / relative), format=fmt.oxigraph, base_iri=dataset.iris.base)
    )
    distinct = {(q.subject, q.predicate, q.object) for q in quads}
    assert len(distinct) == dataset.store.default_graph_size() + 1  # and its licence


@pytest.mark.parametrize("relative", [p for p in DUMPS if ".trig" in p or ".nq" in p])
def test_quad_dumps_carry_every_provenance_graph(
    built_site: Path, dataset: Dataset, relative: str
) -> None:
    fmt = next(f for f, g in DUMP_FORMATS if dump_path("openforum", f, g) == relative)
    names = {
        q.graph_name.value
        for q in ox.parse(_read(built_site / relative), format=fmt.oxigraph)
        if isinstance(q.graph_name, ox.NamedNode)
    }
    expected = {g for g in dataset.store.graph_names() if not g.endswith("/ontology")}
    assert names == expected
    assert {
        f"{dataset.iris.base}graph/report-vii",
        f"{dataset.iris.base}graph/web-agenda-3",
    } <= names


def test_sha256sums_lists_every_dump_with_its_checksum(built_site: Path) -> None:
    lines = (built_site / "dumps" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ")) for line in lines)
    assert sorted(listed) == sorted(p.removeprefix("dumps/") for p in DUMPS)
    for name, digest in listed.items():
        assert hashlib.sha256((built_site / "dumps" / name).read_bytes()).hexdigest() == digest


def test_the_jsonld_dump_uses_the_published_context(built_site: Path) -> None:
    import json

    dump = json.loads((built_site / "dumps" / "openforum.jsonld").read_text(encoding="utf-8"))
    published = json.loads((built_site / "context.jsonld").read_text(encoding="utf-8"))
    assert dump["@context"] == published["@context"]
    person = next(n for n in dump["@graph"] if n["id"] == "person:john-maritim")
    assert person["name"] == {"en": "John Maritim"}
    assert person["hiddenLabel"] == {"en": "John Martin"}
    assert person["holds"] == "post:ogp-focal-point-elgeyo"
