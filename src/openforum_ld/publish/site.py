"""The static site: a home page, a listing per kind, and for every entity an HTML page with
Turtle, JSON-LD, N-Triples and RDF/XML twins; also the validation page, sitemap, robots.txt and
404 page. Pages link with relative paths, so the site works under any base path."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF as RDF_NS
from rdflib.namespace import RDFS as RDFS_NS
from rdflib.namespace import SH

from openforum_ld.iris import NAMESPACES, ONTOLOGY_IRI, RootedStaticUrls, StaticUrls
from openforum_ld.rdf.convert import from_rdflib_graph
from openforum_ld.rdf.formats import JSONLD, NTRIPLES, RDFXML, TRIG, TURTLE
from openforum_ld.rdf.jsonld import NodeWriter, build_context, schema_org_script
from openforum_ld.rdf.serialize import (
    Canonical,
    blocks,
    has_blank_nodes,
    kind_prefixes,
    write_ntriples,
    write_trig,
    write_turtle,
    write_with_oxigraph,
)
from openforum_ld.views.overview import count_kinds, forums, list_kind_pages
from openforum_ld.views.pages import (
    Alternate,
    DumpLink,
    PageRenderer,
    ShapeLink,
    SiteInfo,
    predicate_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.load import Dataset
    from openforum_ld.publish.dumps import Dump
    from openforum_ld.rdf.terms import TermLabels
    from openforum_ld.validate import ValidationReport
    from openforum_ld.views.describe import Describer, Description

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
TWINS = (TURTLE, JSONLD, NTRIPLES, RDFXML)


@dataclass(frozen=True)
class ShapeInfo:
    """A node shape as the pages present it."""

    iri: str
    label: str
    comment: str | None
    targets: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "shape-" + self.iri.rsplit("#", 1)[-1]


def read_shapes(shapes: rdflib.Graph) -> list[ShapeInfo]:
    """The node shapes, their labels, comments and target classes, sorted by label."""
    found = []
    for shape in set(shapes.subjects(RDF_NS.type, SH.NodeShape)):
        if not isinstance(shape, rdflib.URIRef):
            continue
        label = shapes.value(shape, RDFS_NS.label)
        comment = shapes.value(shape, RDFS_NS.comment)
        targets = tuple(sorted(str(t) for t in shapes.objects(shape, SH.targetClass)))
        found.append(
            ShapeInfo(str(shape), str(label or shape), str(comment) if comment else None, targets)
        )
    return sorted(found, key=lambda s: s.label)


class SiteWriter:
    """Writes the pages of one publication into a directory."""

    def __init__(
        self,
        root: Path,
        dataset: Dataset,
        describer: Describer,
        terms: TermLabels,
        site: SiteInfo,
        shapes: list[ShapeInfo],
        record: Callable[[str], None],
    ) -> None:
        self.root = root
        self.dataset = dataset
        self.describer = describer
        self.terms = terms
        self.site = site
        self.shapes = shapes
        self.record = record
        self.base = dataset.iris.base
        self.prefixes = {**NAMESPACES, **kind_prefixes(self.base)}
        # Without blank nodes in the dataset, no document about a resource has one, and its
        # writers need not look for them (two queries each, three writers an entity).
        self._blank_nodes = has_blank_nodes(dataset.store.oxigraph)

    def _write(self, path: str, content: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8", newline="\n")
        else:
            target.write_bytes(content)
        self.record(path)

    def _renderer(self, current: str) -> PageRenderer:
        return PageRenderer(StaticUrls(self.dataset.iris, current), "en", self.site)

    def entities(self) -> list[str]:
        """Every entity IRI the site has a page for, sorted."""
        rows = self.dataset.store.select(
            f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{self.base}id/")) }}'
        )
        return sorted(r["s"].value for r in rows if self.dataset.iris.split_entity(r["s"].value))

    def write_entity(self, iri: str) -> None:
        """An entity's HTML page, its RDF twins and any further pages of incoming links."""
        kind, slug = self.dataset.iris.split_entity(iri)  # type: ignore[misc]  # entities() checked it
        stem = f"id/{kind}/{slug}"
        document = self.describer.resource_store(iri)
        self._write_twins(stem, document)
        description = self.describer.describe_resource(iri, "en")
        page = f"{stem}.html"
        self._write(page, self._entity_page(page, iri, description, document))
        for group in description.incoming:
            for number in range(2, group.pages + 1):
                extra = f"{stem}.{predicate_key(group.predicate)}-{number}.html"
                paged = self.describer.describe_resource(
                    iri, "en", page=number, incoming_property=group.predicate
                )
                self._write(extra, self._entity_page(extra, iri, paged, document))

    def _entity_page(
        self, page: str, iri: str, description: Description, document: ox.Store
    ) -> str:
        renderer = self._renderer(page)
        urls = StaticUrls(self.dataset.iris, page)
        alternates = [
            Alternate(fmt.label, fmt.media_type, urls.resource(iri, fmt.suffix)) for fmt in TWINS
        ]
        types = {v.iri for v in description.types if v.iri}
        shapes = [
            ShapeLink(
                shape.label, shape.comment, urls.file(f"validation/index.html#{shape.anchor}")
            )
            for shape in self.shapes
            if types.intersection(shape.targets)
        ]
        triples = [
            q.triple
            for q in document.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph())
        ]
        linked = [t.object.value for t in triples if isinstance(t.object, ox.NamedNode)]
        labels = {k: v[0] for k, v in self.describer.labels(linked, "en").items()}
        return renderer.entity(
            description,
            shapes=shapes,
            alternates=alternates,
            schema_org=schema_org_script(labels, iri, triples),
        )

    def _write_twins(self, stem: str, document: ox.Store) -> None:
        source = document if self._blank_nodes else Canonical(document)
        turtle = io.StringIO()
        write_turtle(source, turtle, self.prefixes)
        self._write(f"{stem}{TURTLE.suffix}", turtle.getvalue())
        triples = io.StringIO()
        write_ntriples(source, triples)
        self._write(f"{stem}{NTRIPLES.suffix}", triples.getvalue())
        xml = io.BytesIO()
        write_with_oxigraph(source, xml, RDFXML, self.prefixes)
        self._write(f"{stem}{RDFXML.suffix}", xml.getvalue())
        writer = NodeWriter(self.base)
        nodes = [
            writer.node(subject, block) for subject, block in blocks(document, ox.DefaultGraph())
        ]
        payload = {"@context": build_context(self.base), "@graph": nodes}
        self._write(
            f"{stem}{JSONLD.suffix}", json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
        )

    def write_listings(self) -> None:
        """One listing per kind, PAGE_SIZE entries a page."""
        for count in count_kinds(self.describer):
            for number, listing in enumerate(
                list_kind_pages(self.describer, count.kind, "en"), start=1
            ):
                path = f"id/{count.kind.slug}/" + (
                    "index.html" if number == 1 else f"page-{number}.html"
                )
                self._write(path, self._renderer(path).listing(listing))

    def write_home(self, dumps: list[Dump]) -> None:
        """The home page."""
        links = [
            DumpLink(
                d.format.label + (" (gzip)" if d.gzipped else ""), d.path, d.media_type, d.size
            )
            for d in dumps
        ]
        html = self._renderer("index.html").home(
            forums(self.describer, "en"),
            count_kinds(self.describer),
            links,
            catalog_path="catalog.ttl",
            void_path="void.ttl",
        )
        self._write("index.html", html)

    def write_validation(self, report: ValidationReport) -> None:
        """The validation report as RDF and the page that explains it."""
        turtle = io.StringIO()
        store = ox.Store()
        store.bulk_extend(from_rdflib_graph(report.graph))
        write_turtle(store, turtle, {**NAMESPACES})
        self._write("validation/report.ttl", turtle.getvalue())
        nodes = {}
        for shape in self.shapes:
            iris = set()
            for target in shape.targets:
                iris |= {
                    r["s"].value
                    for r in self.dataset.store.select(
                        f"SELECT DISTINCT ?s WHERE {{ ?s a <{target}> }}"
                    )
                }
            nodes[shape.iri] = len(iris)
        shapes = [
            {
                "anchor": s.anchor,
                "label": s.label,
                "comment": s.comment or "",
                "targets": [self.terms.label(t, "en") for t in s.targets],
                "nodes": nodes[s.iri],
            }
            for s in self.shapes
        ]
        html = self._renderer("validation/index.html").validation(
            conforms=report.conforms,
            violations=len(report.violations),
            shapes=shapes,
            stats=report.stats,
            report_href="report.ttl",
        )
        self._write("validation/index.html", html)

    def write_graphs(self) -> None:
        """Each named graph on its own, as TriG, for the links from sources."""
        source = Canonical.of(self.dataset.store.oxigraph)
        for name in self.dataset.store.graph_names():
            if name == ONTOLOGY_IRI or not name.startswith(self.base + "graph/"):
                continue
            out = io.StringIO()
            write_trig(source, out, self.prefixes, [ox.NamedNode(name)])
            self._write(f"graph/{name[len(self.base) + 6 :]}{TRIG.suffix}", out.getvalue())

    def write_extras(self, html_pages: list[str], date: str) -> None:
        """The ontology, context, stylesheet, 404 page, robots.txt and sitemap."""
        ontology = io.StringIO()
        write_turtle(
            self.dataset.store.oxigraph, ontology, dict(NAMESPACES), ox.NamedNode(ONTOLOGY_IRI)
        )
        self._write("ontology.ttl", ontology.getvalue())
        self._write(
            "context.jsonld",
            json.dumps({"@context": build_context(self.base)}, ensure_ascii=False, indent=1) + "\n",
        )
        for asset in sorted(p for p in STATIC_DIR.iterdir() if p.is_file()):
            self._write(f"static/{asset.name}", asset.read_bytes())
        urls = RootedStaticUrls(self.dataset.iris)
        self._write("404.html", PageRenderer(urls, "en", self.site).error(404))
        self._write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {self.base}sitemap.xml\n")
        entries = "".join(
            f"  <url><loc>{escape(self.base + page)}</loc><lastmod>{date}</lastmod></url>\n"
            for page in sorted(html_pages)
        )
        self._write(
            "sitemap.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + entries
            + "</urlset>\n",
        )
