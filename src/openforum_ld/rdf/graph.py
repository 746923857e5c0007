"""Small graphs the program writes about the data (VoID, DCAT, the build record, the SPARQL
service description): triples with IRIs and typed literals made easy, written by the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import NAMESPACES, XSD
from openforum_ld.rdf.serialize import kind_prefixes
from openforum_ld.rdf.writers import WriteOptions, rdf_bytes, write_rdf

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.rdf.formats import RdfFormat

VCARD = "http://www.w3.org/2006/vcard/ns#"
SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
DQV = "http://www.w3.org/ns/dqv#"
#: The prefixes descriptions are written with.
DESCRIPTION_PREFIXES = {**NAMESPACES, "vcard": VCARD, "spdx": SPDX, "sd": SD, "dqv": DQV}


class Graph:
    """A small graph being written.

    It is an ox.Dataset, not an ox.Store: the store keeps xsd:nonNegativeInteger as xsd:integer,
    and DCAT-AP wants byte sizes typed xsd:nonNegativeInteger."""

    def __init__(self) -> None:
        self.store = ox.Dataset()

    def add(
        self,
        subject: str | ox.BlankNode,
        predicate: str,
        obj: str | ox.Literal | ox.BlankNode | ox.NamedNode,
    ) -> None:
        """Add a triple; strings are IRIs."""
        node = ox.NamedNode(subject) if isinstance(subject, str) else subject
        value = ox.NamedNode(obj) if isinstance(obj, str) else obj
        self.store.add(ox.Quad(node, ox.NamedNode(predicate), value, ox.DefaultGraph()))


def text(value: str, language: str | None = "en") -> ox.Literal:
    """A language-tagged literal (or a plain one with language None)."""
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def typed(value: str | int, datatype: str) -> ox.Literal:
    """A literal of an XSD datatype."""
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


def description_options(base: str) -> WriteOptions:
    """How descriptions are written: their prefixes and the kinds' prefixes under `base`."""
    return WriteOptions(prefixes={**DESCRIPTION_PREFIXES, **kind_prefixes(base)}, base=base)


def write_graph(graph: Graph, path: Path, base: str, fmt: RdfFormat | None = None) -> None:
    """A description graph as a file (sorted Turtle unless `fmt` says otherwise)."""
    from openforum_ld.rdf.formats import TURTLE

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_rdf(graph.store, fmt or TURTLE, out, description_options(base))


def graph_bytes(graph: Graph, fmt: RdfFormat, base: str) -> bytes:
    """A description graph in any RDF format, as bytes."""
    return rdf_bytes(graph.store, fmt, description_options(base))
