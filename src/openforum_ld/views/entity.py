"""The page about one resource, its further pages of incoming links, and its RDF documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pyoxigraph as ox

from openforum_ld.iris import KINDS, KINDS_BY_SLUG, NAMESPACES, OFO, SCHEMA
from openforum_ld.rdf.formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE
from openforum_ld.rdf.jsonld import schema_org_node
from openforum_ld.rdf.serialize import Canonical, kind_prefixes
from openforum_ld.rdf.writers import (
    WriteOptions,
    licensed,
    named_graphs_of,
    rdf_bytes,
    union_dataset,
)
from openforum_ld.views.at_each_forum import at_each_forum
from openforum_ld.views.dataset_markup import entity_links
from openforum_ld.views.describe import language_literal
from openforum_ld.views.diagrams import agenda_diagram_path, forums_with_agenda
from openforum_ld.views.pages import Alternate, NotFoundError, Page, kind_label, predicate_key
from openforum_ld.views.source_rights import source_rights
from openforum_ld.views.source_text import (
    mention_anchors,
    naming_lines,
    published_text,
    section_text,
)
from openforum_ld.views.statements import statements_from
from openforum_ld.views.validation import ShapeText, shape_comment

if TYPE_CHECKING:
    from openforum_ld.rdf.formats import RdfFormat
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.describe import Description, IncomingGroup
    from openforum_ld.views.urls import Urls

#: The RDF documents about an entity, in the order pages list them: triple formats first, so a
#: client that accepts several gets one its plain graph parser reads.
ENTITY_FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS)


@dataclass(frozen=True)
class ShapeLink:
    """A SHACL shape a resource conforms to."""

    label: str
    comment: ShapeText | None
    href: str


#: The kinds of resource the neighbourhood diagram of a page draws, in the order it groups them.
NEIGHBOUR_KINDS = ("person", "organization", "programme", "place")


@dataclass(frozen=True)
class Neighbourhood:
    """What the script that draws a page's neighbourhood needs: the resource's JSON-LD twin,
    the link to a neighbour's page with `{kind}` and `{slug}` to fill in, and the kinds it draws
    with their names. The script reads the neighbours from the twin, so a page carries no list
    of them twice and the build writes no file for it."""

    twin: str
    link: str
    kinds: dict[str, str]


@dataclass(frozen=True)
class TypeLink:
    """A type of a resource, linked to its kind's listing when it defines one."""

    text: str
    kind: str | None


def incoming_property(ctx: ViewContext, iri: str, key: str) -> str:
    """The property whose incoming links `key` (from a page's URL) pages through."""
    rows = ctx.store.select(f"SELECT DISTINCT ?p WHERE {{ ?s ?p <{iri}> }}")
    for row in rows:
        if predicate_key(row["p"].value) == key:
            return row["p"].value
    raise NotFoundError(f"No links of the kind {key!r} point to this resource.")


def entity_page(
    ctx: ViewContext,
    urls: Urls,
    language: str,
    iri: str,
    page: int = 1,
    incoming: str | None = None,
) -> Page:
    """The page about `iri` in `language`; `page` pages through the incoming links of the
    property `incoming` (every property when None)."""
    description = ctx.describer.describe_resource(iri, language, page, incoming)
    if not description.exists:
        raise NotFoundError(f"The dataset has nothing about {iri}.")
    return entity_page_of(ctx, urls, language, description)


def further_pages(description: Description) -> list[tuple[IncomingGroup, int]]:
    """The pages of incoming links beyond the first, for the static site to write."""
    return [
        (group, number) for group in description.incoming for number in range(2, group.pages + 1)
    ]


def entity_page_of(
    ctx: ViewContext,
    urls: Urls,
    language: str,
    description: Description,
    quads: list[ox.Quad] | None = None,
) -> Page:
    """The page for a description already made (the static build makes one per language), and
    the resource's quads when they were read already (for its documents)."""
    iri = description.iri
    alternates = tuple(
        Alternate(fmt.label, fmt.media_type, urls.resource(iri, fmt.suffix))
        for fmt in ENTITY_FORMATS
    )
    types = {v.iri for v in description.types if v.iri}
    shapes = [
        ShapeLink(
            shape.label,
            shape_comment(shape, language),
            urls.file(f"validation/index.html#{shape.anchor}"),
        )
        for shape in ctx.manifest.shapes
        if types.intersection(shape.targets)
    ]
    if quads is None:
        quads = ctx.describer.resource_quads(iri)
    subject = ox.NamedNode(iri)
    triples = sorted({q.triple for q in quads if q.subject == subject}, key=str)
    linked = [t.object.value for t in triples if isinstance(t.object, ox.NamedNode)]
    labels = {k: v[0] for k, v in ctx.describer.labels(linked, language).items()}
    kinds = {kind.class_iri: kind.slug for kind in KINDS}

    text = section_text(ctx, iri) if OFO + "SourceSection" in types else None
    agenda = (
        agenda_diagram_path(ctx, iri, language)
        if OFO + "Forum" in types and iri in forums_with_agenda(ctx)
        else None
    )
    text_file = published_text(ctx, iri) if OFO + "SourceDocument" in types else None
    derived = statements_from(ctx, iri, language) if text else []
    subjects = [
        group.subject.iri for graph in derived for group in graph.groups if group.subject.iri
    ]

    def incoming_url(group: IncomingGroup, number: int) -> str:
        return urls.incoming(iri, predicate_key(group.predicate), number)

    return Page(
        "entity.html",
        {
            "description": description,
            "types": [TypeLink(v.text, kinds.get(v.iri or "")) for v in description.types],
            "shapes": shapes,
            "schema_org": schema_org_node(labels, iri, triples),
            "sparql_href": urls.sparql(page_query(iri, ctx.manifest.languages[0])),
            "neighbourhood": neighbourhood(ctx, urls, language, iri),
            "incoming_url": incoming_url,
            "source_anchors": mention_anchors(ctx, iri, description.sources),
            "section_text": text,
            "agenda_diagram": agenda,
            "signposts": entity_links(iri, ctx.manifest) if ctx.iris.split_entity(iri) else [],
            "text_file": text_file,
            "source_rights": source_rights(ctx, iri, language)
            if types & {OFO + "SourceDocument", OFO + "SourceSection"}
            else None,
            "section_statements": derived,
            "at_each_forum": at_each_forum(ctx.describer, iri, language)
            if SCHEMA + "Person" in types
            else [],
            "naming_lines": naming_lines(ctx, text, subjects) if text else {},
        },
        alternates,
    )


def neighbourhood(ctx: ViewContext, urls: Urls, language: str, iri: str) -> Neighbourhood | None:
    """The neighbourhood diagram's settings for the page about `iri`, None for a resource with
    no page of its own kind. A neighbour's page is the resource's own page link with the kind
    and slug changed: pages of entities all lie one directory deep under `id/`, in the static
    site and on the server, so `../{kind}/{slug}` reaches the neighbour's in either."""
    split = ctx.iris.split_entity(iri)
    if split is None:
        return None
    slug = split[1]
    href = urlsplit(urls.resource(iri))
    name = href.path.rsplit("/", 1)[-1]
    if not name.startswith(slug):
        return None
    suffix = name[len(slug) :] + (f"?{href.query}" if href.query else "")
    return Neighbourhood(
        twin=urls.resource(iri, JSONLD.suffix),
        link="../{kind}/{slug}" + suffix,
        kinds={kind: kind_label(KINDS_BY_SLUG[kind], language) for kind in NEIGHBOUR_KINDS},
    )


def page_query(iri: str, main_language: str = "en") -> str:
    """The query behind an entity page: what the dataset says about it, and where."""
    return (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "# What the dataset says about this resource, each statement with its graph.\n"
        "SELECT ?property ?value ?valueLabel ?graph WHERE {\n"
        f"  GRAPH ?graph {{ <{iri}> ?property ?value }}\n"
        "  OPTIONAL { ?value skos:prefLabel ?valueLabel "
        f"FILTER(lang(?valueLabel) = {language_literal(main_language)}) }}\n"
        "}\nORDER BY ?property ?value ?graph"
    )


# ---------------------------------------------------------------------------- RDF documents


def entity_document(ctx: ViewContext, iri: str, fmt: RdfFormat) -> bytes:
    """The RDF about one resource: its statements in both directions and its neighbours'
    labels; quad formats keep the graph each statement comes from, triple formats the union."""
    quads = ctx.describer.resource_quads(iri)
    if not quads:
        raise NotFoundError(f"The dataset says nothing about <{iri}>.")
    return document_bytes(ctx, iri, quads, fmt)


def document_bytes(ctx: ViewContext, iri: str, quads: list[ox.Quad], fmt: RdfFormat) -> bytes:
    """Quads about `iri` in `fmt`, sorted (the same statements always give the same bytes),
    after the document's licence."""
    return _document_bytes(ctx, iri, quads, _document_source(ctx, quads), fmt)


def entity_documents(
    ctx: ViewContext, iri: str, quads: list[ox.Quad]
) -> list[tuple[RdfFormat, bytes]]:
    """The document about `iri` in every format, from one dataset of its quads."""
    source = _document_source(ctx, quads)
    return [(fmt, _document_bytes(ctx, iri, quads, source, fmt)) for fmt in ENTITY_FORMATS]


def _document_source(ctx: ViewContext, quads: list[ox.Quad]) -> ox.Dataset | Canonical:
    dataset = union_dataset(quads)
    # Without blank nodes in the dataset no document has one, and the writers need not look.
    return dataset if ctx.blank_nodes else Canonical(dataset)


def _document_bytes(
    ctx: ViewContext,
    iri: str,
    quads: list[ox.Quad],
    source: ox.Dataset | Canonical,
    fmt: RdfFormat,
) -> bytes:
    options = WriteOptions(
        prefixes={**NAMESPACES, **kind_prefixes(ctx.iris.base)},
        base=ctx.iris.base,
        graphs=named_graphs_of(quads),
        about=licensed(iri + fmt.suffix, ctx.manifest.license),
    )
    return rdf_bytes(source, fmt, options)
