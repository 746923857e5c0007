"""A named graph as a resource: its page (what it is, where it comes from, what it states) and
its RDF documents, which describe the graph before giving its statements.

What the data says about a graph (its types, its label, `prov:wasDerivedFrom` its section and
document) is stated in `graph/sources` and kept there; what only the publication knows (how many
statements the graph holds) is computed here and written in the document's default graph, so a
quad store that loads the document gets the graph itself unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import NAMESPACES, OFO, RDF, SCHEMA, SKOS, VOID
from openforum_ld.rdf.serialize import Canonical, kind_prefixes
from openforum_ld.rdf.writers import WriteOptions, licensed, named_graphs_of, rdf_bytes
from openforum_ld.views.entity import ENTITY_FORMATS
from openforum_ld.views.pages import Alternate, NotFoundError, Page
from openforum_ld.views.statements import graph_contents, graph_statements

if TYPE_CHECKING:
    from openforum_ld.rdf.formats import RdfFormat
    from openforum_ld.rdf.serialize import GraphName
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.describe import SourceRef
    from openforum_ld.views.urls import Urls

_TYPE = RDF + "type"
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
# What a graph's document says of the section and document it derives from, besides their IRIs.
_SOURCE_FACTS = (
    _TYPE,
    SKOS + "prefLabel",
    SCHEMA + "isPartOf",
    OFO + "firstLine",
    OFO + "lastLine",
)


def graph_name(ctx: ViewContext, graph: str) -> str:
    """The local name of a graph of the publication (`report-vi`), or NotFoundError."""
    prefix = ctx.iris.base + "graph/"
    if not graph.startswith(prefix) or graph not in ctx.manifest.graphs:
        raise NotFoundError(f"The dataset has no graph <{graph}>.")
    return graph[len(prefix) :]


def graph_about(ctx: ViewContext, graph: str) -> list[ox.Quad]:
    """What the data says about the graph elsewhere (in `graph/sources`), and the labels, line
    ranges and documents of the sources it derives from; each in the graph that states it."""
    subject = ox.NamedNode(graph)
    facts = ", ".join(f"<{p}>" for p in _SOURCE_FACTS)
    # The facts as a FILTER, not VALUES: with VALUES the engine read every statement of those
    # properties in the store before joining (0.2 s a graph at 100k triples, growing with the
    # data); filtered, it reads the statements of the few sources the graph derives from.
    rows = ctx.store.select(
        f"""SELECT ?s ?p ?o ?g WHERE {{
              {{ GRAPH ?g {{ {subject} ?p ?o }} BIND({subject} AS ?s) }}
              UNION
              {{ {subject} prov:wasDerivedFrom ?s . GRAPH ?g {{ ?s ?p ?o }}
                 FILTER(?p IN ({facts})) }}
              FILTER(isIRI(?g) && ?g != {subject})
            }}"""
    )
    return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[arg-type]  # IRIs, as the patterns give


# ---------------------------------------------------------------------------- the page


def graph_page(ctx: ViewContext, urls: Urls, language: str, graph: str) -> Page:
    """The page of a named graph: what it is, the section and document it is taken from, how
    many statements it holds, and the statements by subject."""
    graph_name(ctx, graph)
    statements = graph_statements(ctx, graph, language)
    label, label_language = ctx.describer.label_of(graph, language)
    about = ctx.describer.describe_resource(graph, language)
    source: SourceRef | None = ctx.describer.source_of(graph)
    return Page(
        "graph.html",
        {
            "graph": graph,
            "label": label,
            "label_language": label_language,
            "summary": about.summary,
            "types": about.types,
            "source": source,
            "triples": sum(len(group.statements) for group in statements),
            "groups": statements,
            "sparql_href": urls.sparql(graph_query(graph)),
        },
        tuple(
            Alternate(fmt.label, fmt.media_type, urls.resource(graph, fmt.suffix))
            for fmt in ENTITY_FORMATS
        ),
    )


def graph_query(graph: str) -> str:
    """The query behind a graph's page."""
    return f"SELECT ?s ?p ?o WHERE {{\n  GRAPH <{graph}> {{ ?s ?p ?o }}\n}}\nORDER BY ?s ?p ?o"


# ---------------------------------------------------------------------------- the documents


def graph_document(ctx: ViewContext, graph: str, fmt: RdfFormat) -> bytes:
    """A named graph as RDF: what it is (its description from `graph/sources`, the sources it
    derives from, its size) and its statements. Quad formats keep each statement in its graph
    and write the size in the default graph; triple formats give the union."""
    return _GraphDocument.read(ctx, graph).bytes_in(ctx, fmt)


def graph_documents(ctx: ViewContext, graph: str) -> list[tuple[RdfFormat, bytes]]:
    """The graph's document in every format, its statements read once for all of them."""
    document = _GraphDocument.read(ctx, graph)
    return [(fmt, document.bytes_in(ctx, fmt)) for fmt in ENTITY_FORMATS]


@dataclass(frozen=True)
class _GraphDocument:
    """What every format of a graph's document says: the graph's statements, each in its
    graph, with what the graph is and its size in the default graph; and the same
    statements all in the default graph, for the triple formats."""

    graph: str
    quads: ox.Dataset
    union: ox.Dataset
    graphs: tuple[GraphName, ...]  # what the quad formats write, in order

    @classmethod
    def read(cls, ctx: ViewContext, graph: str) -> _GraphDocument:
        graph_name(ctx, graph)
        contents = graph_contents(ctx, graph)
        stated = contents + graph_about(ctx, graph)
        name = ox.NamedNode(graph)
        described = [
            ox.Quad(name, ox.NamedNode(_TYPE), ox.NamedNode(VOID + "Dataset")),
            ox.Quad(
                name,
                ox.NamedNode(VOID + "triples"),
                ox.Literal(str(len(contents)), datatype=_XSD_INTEGER),
            ),
        ]
        union = (ox.Quad(q.subject, q.predicate, q.object) for q in stated)
        return cls(
            graph,
            ox.Dataset([*stated, *described]),
            ox.Dataset([*union, *described]),
            (ox.DefaultGraph(), *named_graphs_of(stated)),
        )

    def bytes_in(self, ctx: ViewContext, fmt: RdfFormat) -> bytes:
        """The document in `fmt`."""
        dataset = self.quads if fmt.quads else self.union
        options = WriteOptions(
            prefixes={**NAMESPACES, **kind_prefixes(ctx.iris.base)},
            base=ctx.iris.base,
            graphs=self.graphs if fmt.quads else (ox.DefaultGraph(),),
            about=licensed(self.graph + fmt.suffix, ctx.manifest.license),
        )
        return rdf_bytes(dataset if ctx.blank_nodes else Canonical(dataset), fmt, options)
