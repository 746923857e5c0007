"""One registry of RDF writers, keyed by pyoxigraph's format objects.

Every RDF document the program writes (dumps, entity and graph documents, descriptions, query
results) goes through `write_rdf`: triple formats write the source's default graph, quad formats
the graphs the options name, in order. All of them are sorted, so the same source always gives
the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import DCTERMS, NAMESPACES
from openforum_ld.rdf.jsonld import write_jsonld
from openforum_ld.rdf.serialize import (
    write_nquads,
    write_ntriples,
    write_trig,
    write_turtle,
    write_with_oxigraph,
)

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.rdf.formats import RdfFormat
    from openforum_ld.rdf.serialize import GraphName, Source


@dataclass(frozen=True)
class WriteOptions:
    """What a writer may need besides the statements."""

    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(NAMESPACES))
    base: str = ""  # the base of the JSON-LD context
    graphs: tuple[GraphName, ...] = (ox.DefaultGraph(),)  # what quad formats write, in order
    scratch: Path | None = None  # where a large graph may be sorted on disk
    # Statements about the document itself (its licence), written first, in the default graph:
    # a file read on its own still says under what terms it may be used.
    about: tuple[ox.Triple, ...] = ()


def licensed(document: str, license: str) -> tuple[ox.Triple, ...]:
    """What a document says of itself so that it carries its terms wherever it is copied: the
    licence its statements are published under."""
    return (
        ox.Triple(ox.NamedNode(document), ox.NamedNode(DCTERMS + "license"), ox.NamedNode(license)),
    )


TextWriter = Callable[["Source", IO[str], WriteOptions], int]
BinaryWriter = Callable[["Source", IO[bytes], WriteOptions], int]


def _turtle(source: Source, out: IO[str], options: WriteOptions) -> int:
    return write_turtle(source, out, options.prefixes, about=options.about)


def _ntriples(source: Source, out: IO[str], options: WriteOptions) -> int:
    return write_ntriples(source, out, scratch=options.scratch, about=options.about)


def _trig(source: Source, out: IO[str], options: WriteOptions) -> int:
    return write_trig(source, out, options.prefixes, options.graphs, about=options.about)


def _nquads(source: Source, out: IO[str], options: WriteOptions) -> int:
    return write_nquads(source, out, options.graphs, scratch=options.scratch, about=options.about)


def _jsonld(source: Source, out: IO[str], options: WriteOptions) -> int:
    # Compact JSON-LD of the default graph against the published context: the short keys web
    # developers rely on hold for a dump and for a single entity alike.
    return write_jsonld(source, out, options.base, about=options.about)


def _rdfxml(source: Source, out: IO[bytes], options: WriteOptions) -> int:
    from openforum_ld.rdf.formats import RDFXML

    return write_with_oxigraph(source, out, RDFXML, options.prefixes, about=options.about)


TEXT_WRITERS: dict[ox.RdfFormat, TextWriter] = {
    ox.RdfFormat.TURTLE: _turtle,
    ox.RdfFormat.N_TRIPLES: _ntriples,
    ox.RdfFormat.TRIG: _trig,
    ox.RdfFormat.N_QUADS: _nquads,
    ox.RdfFormat.JSON_LD: _jsonld,
}
BINARY_WRITERS: dict[ox.RdfFormat, BinaryWriter] = {ox.RdfFormat.RDF_XML: _rdfxml}


def write_rdf(source: Source, fmt: RdfFormat, out: IO[bytes], options: WriteOptions) -> int:
    """Write `source` in `fmt` to a binary stream; returns the number of statements."""
    binary = BINARY_WRITERS.get(fmt.oxigraph)
    if binary is not None:
        return binary(source, out, options)
    text = TEXT_WRITERS.get(fmt.oxigraph)
    if text is None:
        raise ValueError(f"no writer for {fmt.label}")
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    try:
        return text(source, wrapper, options)
    finally:
        wrapper.flush()
        wrapper.detach()


def rdf_bytes(source: Source, fmt: RdfFormat, options: WriteOptions) -> bytes:
    """`source` in `fmt`, as bytes."""
    buffer = io.BytesIO()
    write_rdf(source, fmt, buffer, options)
    return buffer.getvalue()


def union_dataset(quads: list[ox.Quad]) -> ox.Dataset:
    """The quads as they are, and their triples once more in the default graph: what a
    document needs so that triple formats write the union and quad formats every graph."""
    return ox.Dataset(
        [*quads, *(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)]
    )


def named_graphs_of(quads: list[ox.Quad]) -> tuple[GraphName, ...]:
    """The named graphs the quads are in, sorted."""
    found = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    return tuple(sorted(found, key=str))
