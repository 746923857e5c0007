"""The jobs behind the server's pages and documents: entity pages, their RDF, the home page,
listings, search, the validation page, the sitemap, and the redirects for variant spellings."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from openforum_ld import __version__
from openforum_ld.iris import KINDS_BY_SLUG, NAMESPACES, ServerUrls, slugify
from openforum_ld.rdf.formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE, rdf_format
from openforum_ld.rdf.jsonld import NodeWriter, build_context, schema_org_script
from openforum_ld.rdf.serialize import (
    blocks,
    kind_prefixes,
    write_nquads,
    write_ntriples,
    write_trig,
    write_turtle,
    write_with_oxigraph,
)
from openforum_ld.views.overview import count_kinds, forums, list_kind
from openforum_ld.views.pages import (
    LANGUAGE_NAMES,
    Alternate,
    DumpLink,
    PageRenderer,
    ShapeLink,
    SiteInfo,
    Translation,
    predicate_key,
)
from openforum_ld.web.jobs import Problem, Reply
from openforum_ld.web.search import LABEL_PROPERTIES

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.rdf.formats import RdfFormat
    from openforum_ld.web.jobs import JobContext

#: The RDF twins of an entity page, in the order pages list them.
TWINS = (TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS)
HTML_TYPE = "text/html; charset=utf-8"


def _renderer(
    context: JobContext,
    language: str,
    lang_parameter: str | None,
    translations: list[tuple[str, str]],
) -> PageRenderer:
    site = SiteInfo(
        context.settings.license, context.settings.license_name, context.version, __version__
    )
    return PageRenderer(
        ServerUrls(context.iris, lang_parameter),
        language,
        site,
        [Translation(code, LANGUAGE_NAMES[code], href) for code, href in translations],
    )


def _missing(context: JobContext, what: str) -> Problem:
    return Problem(404, "Not found", f"The dataset has nothing about {what}.")


def entity_page(
    context: JobContext,
    *,
    iri: str,
    language: str,
    lang_parameter: str | None,
    translations: list[tuple[str, str]],
    page: int = 1,
    incoming_key: str | None = None,
) -> Reply | Problem:
    """The HTML page about one resource."""
    incoming_property = None
    if incoming_key:
        rows = context.store.select(f"SELECT DISTINCT ?p WHERE {{ ?s ?p <{iri}> }}")
        matches = [r["p"].value for r in rows if predicate_key(r["p"].value) == incoming_key]
        if not matches:
            return Problem(
                404, "Not found", f"No links of the kind {incoming_key!r} point to this resource."
            )
        incoming_property = matches[0]
    description = context.describer.describe_resource(iri, language, page, incoming_property)
    if not description.exists:
        return _missing(context, iri)
    urls = ServerUrls(context.iris, lang_parameter)
    alternates = [
        Alternate(fmt.label, fmt.media_type, urls.resource(iri, fmt.suffix)) for fmt in TWINS
    ]
    types = {v.iri for v in description.types if v.iri}
    shapes = [
        ShapeLink(shape.label, shape.comment, urls.file(f"validation#{shape.anchor}"))
        for shape in context.shapes
        if types.intersection(shape.targets)
    ]
    quads = context.describer.resource_quads(iri)
    triples = sorted({q.triple for q in quads if q.subject.value == iri}, key=str)
    linked = [t.object.value for t in triples if isinstance(t.object, ox.NamedNode)]
    labels = {k: v[0] for k, v in context.describer.labels(linked, language).items()}
    html = _renderer(context, language, lang_parameter, translations).entity(
        description,
        shapes=shapes,
        alternates=alternates,
        schema_org=schema_org_script(labels, iri, triples),
        sparql_href=urls.sparql(page_query(iri)),
    )
    return Reply(200, HTML_TYPE, html.encode())


def page_query(iri: str) -> str:
    """The query behind an entity page: what the dataset says about it, and where."""
    return (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "# What the dataset says about this resource, each statement with its graph.\n"
        "SELECT ?property ?value ?valueLabel ?graph WHERE {\n"
        f"  GRAPH ?graph {{ <{iri}> ?property ?value }}\n"
        '  OPTIONAL { ?value skos:prefLabel ?valueLabel FILTER(lang(?valueLabel) = "en") }\n'
        "}\nORDER BY ?property ?value ?graph"
    )


def entity_document(context: JobContext, *, iri: str, format_key: str) -> Reply | Problem:
    """The RDF about one resource: its statements in both directions and its neighbours' labels;
    quad formats keep the graph each statement comes from."""
    fmt = rdf_format(format_key)
    quads = context.describer.resource_quads(iri)
    if not quads:
        return _missing(context, iri)
    return _document(context, fmt, quads)


def _document(context: JobContext, fmt: RdfFormat, quads: list[ox.Quad]) -> Reply:
    """Quads in `fmt`: quad formats keep each statement's graph, triple formats give the union."""
    prefixes = {**NAMESPACES, **kind_prefixes(context.iris.base)}
    dataset = ox.Dataset(quads)
    union = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    graphs = sorted(
        {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}, key=str
    )
    text = io.StringIO()
    if fmt is TURTLE:
        write_turtle(union, text, prefixes)
    elif fmt is NTRIPLES:
        write_ntriples(union, text)
    elif fmt is TRIG:
        write_trig(dataset, text, prefixes, graphs)
    elif fmt is NQUADS:
        write_nquads(dataset, text, graphs)
    elif fmt is JSONLD:
        writer = NodeWriter(context.iris.base)
        nodes = [writer.node(subject, block) for subject, block in blocks(union, ox.DefaultGraph())]
        text.write(
            json.dumps(
                {"@context": build_context(context.iris.base), "@graph": nodes},
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    else:
        data = io.BytesIO()
        write_with_oxigraph(union, data, fmt, prefixes)
        return Reply(200, fmt.media_type, data.getvalue())
    return Reply(200, fmt.media_type, text.getvalue().encode())


def home_page(
    context: JobContext,
    *,
    language: str,
    lang_parameter: str | None,
    translations: list[tuple[str, str]],
    dumps: list[tuple[str, str, str, int]],
) -> Reply:
    """The home page: the forum, its agenda, counts per kind, the endpoint and the downloads."""
    links = [DumpLink(label, path, media_type, size) for label, path, media_type, size in dumps]
    html = _renderer(context, language, lang_parameter, translations).home(
        forums(context.describer, language),
        count_kinds(context.describer),
        links,
        catalog_path="catalog",
        void_path=".well-known/void",
    )
    return Reply(200, HTML_TYPE, html.encode())


def listing_page(
    context: JobContext,
    *,
    kind: str,
    page: int,
    language: str,
    lang_parameter: str | None,
    translations: list[tuple[str, str]],
) -> Reply | Problem:
    """One page of the resources of a kind."""
    found = KINDS_BY_SLUG.get(kind)
    if found is None:
        return Problem(404, "Not found", f"There is no kind of resource called {kind!r}.")
    listing = list_kind(context.describer, found, language, page)
    if listing.count == 0:
        return _missing(context, f"any resource of the kind {kind!r}")
    if page > listing.pages:
        return Problem(404, "Not found", f"The list of {kind} has {listing.pages} page(s).")
    html = _renderer(context, language, lang_parameter, translations).listing(listing)
    return Reply(200, HTML_TYPE, html.encode())


def search_page(
    context: JobContext,
    *,
    query: str,
    language: str,
    lang_parameter: str | None,
    translations: list[tuple[str, str]],
    as_json: bool,
) -> Reply:
    """Search results; a single exact match sends the reader straight to it."""
    hits = context.search_index.search(query)
    urls = ServerUrls(context.iris, lang_parameter)
    exact = [hit for hit in hits if hit.exact]
    if len({hit.iri for hit in exact}) == 1 and not as_json:
        return Reply(303, HTML_TYPE, b"", {"Location": urls.resource(exact[0].iri)})
    labels = context.describer.labels([hit.iri for hit in hits], language)
    results = [
        {
            "iri": hit.iri,
            "href": urls.resource(hit.iri),
            "label": labels.get(hit.iri, (hit.matched, None))[0],
            "language": labels.get(hit.iri, (hit.matched, None))[1],
            "matched": hit.matched,
            "kind": (context.iris.split_entity(hit.iri) or ("", ""))[0],
        }
        for hit in hits
    ]
    if as_json:
        body = json.dumps(
            {
                "query": query,
                "results": [
                    {k: r[k] for k in ("iri", "label", "matched", "kind")} for r in results
                ],
            },
            ensure_ascii=False,
        )
        return Reply(200, "application/json", body.encode())
    html = _renderer(context, language, lang_parameter, translations).search(
        query=query, results=results
    )
    return Reply(200, HTML_TYPE, html.encode())


def validation_page(
    context: JobContext,
    *,
    language: str,
    lang_parameter: str | None,
    translations: list[tuple[str, str]],
    conforms: bool,
    violations: int,
) -> Reply:
    """The shapes, what each checks, how many resources it checked, and the verdict."""
    nodes = []
    for shape in context.shapes:
        values = " ".join(f"<{t}>" for t in shape.targets)
        rows = context.store.select(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }}"
        )
        nodes.append(int(rows[0]["n"].value))
    stats = {
        "triples": int(
            context.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value
        ),
        "entities": int(
            context.store.select(
                f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{context.iris.base}id/")) }}'
            )[0]["n"].value
        ),
    }
    renderer = _renderer(context, language, lang_parameter, translations)
    shapes = [
        {
            "anchor": s.anchor,
            "label": s.label,
            "comment": s.comment or "",
            "targets": [context.terms.label(t, language) for t in s.targets],
            "nodes": n,
        }
        for s, n in zip(context.shapes, nodes, strict=True)
    ]
    html = renderer.validation(
        conforms=conforms,
        violations=violations,
        shapes=shapes,
        stats=stats,
        report_href=renderer.urls.file("validation/report.ttl"),
    )
    return Reply(200, HTML_TYPE, html.encode())


def sitemap(context: JobContext, *, date: str) -> Reply:
    """Every entity's page (its IRI) with the publication date."""
    from xml.sax.saxutils import escape

    base = context.iris.base
    rows = context.store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{base}id/")) }} ORDER BY ?s'
    )
    urls = [base] + [r["s"].value for r in rows if context.iris.split_entity(r["s"].value)]
    entries = "".join(
        f"  <url><loc>{escape(u)}</loc><lastmod>{date}</lastmod></url>\n" for u in urls
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + entries
        + "</urlset>\n"
    )
    return Reply(200, "application/xml", body.encode())


def aliases(context: JobContext) -> Reply:
    """The paths of the entities, and the paths that should redirect to one: its labels and
    variant spellings as slugs, when no other entity of the kind has them, and IRIs it replaces
    (dcterms:replaces)."""
    base = context.iris.base
    properties = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = context.store.select(
        f'SELECT DISTINCT ?s ?label WHERE {{ ?s ?p ?label FILTER(?p IN ({properties}) && isLiteral(?label)) FILTER(STRSTARTS(STR(?s), "{base}id/")) }}'
    )
    canonical = {r["s"].value for r in rows}
    candidates: dict[str, set[str]] = {}
    for row in rows:
        split = context.iris.split_entity(row["s"].value)
        if split is None:
            continue
        kind, slug = split
        variant = slugify(row["label"].value)
        if variant and variant != slug:
            candidates.setdefault(f"id/{kind}/{variant}", set()).add(row["s"].value)
    found = {
        path: next(iter(targets))
        for path, targets in candidates.items()
        if len(targets) == 1 and base + path not in canonical
    }
    for row in context.store.select(
        "SELECT ?new ?old WHERE { ?new <http://purl.org/dc/terms/replaces> ?old }"
    ):
        old = row["old"].value
        if old.startswith(base) and old not in canonical:
            found[old[len(base) :]] = row["new"].value
    entities = sorted(iri[len(base) :] for iri in canonical)
    return Reply(
        200,
        "application/json",
        json.dumps({"aliases": found, "entities": entities}, sort_keys=True).encode(),
    )


def graph_document(context: JobContext, *, graph: str, format_key: str) -> Reply | Problem:
    """One named graph: quad formats keep its name, triple formats give its triples."""
    fmt = rdf_format(format_key)
    rows = context.store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    if not rows:
        return _missing(context, graph)
    name = ox.NamedNode(graph)
    quads = [ox.Quad(r["s"], r["p"], r["o"], name) for r in rows]  # type: ignore[arg-type]  # subjects and predicates are never literals
    return _document(context, fmt, quads)


JOBS: dict[str, Callable[..., Any]] = {
    "graph": graph_document,
    "page": entity_page,
    "document": entity_document,
    "home": home_page,
    "listing": listing_page,
    "search": search_page,
    "validation": validation_page,
    "sitemap": sitemap,
    "aliases": aliases,
}
