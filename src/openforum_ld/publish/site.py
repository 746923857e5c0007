"""The static site: every page the server shows, in every interface language, and every entity's
RDF documents, written by the same views the server calls. Pages link with relative paths, so
the site works under any base path and from the disk; `x.html` is the page in the main language
and `x.fr.html` in French, each linking to the other."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from openforum_ld.i18n import LANGUAGES
from openforum_ld.iris import ONTOLOGY_IRI
from openforum_ld.publish.ledger import checksum_of
from openforum_ld.rdf.formats import TURTLE
from openforum_ld.store.remembering import RememberingStore
from openforum_ld.views.diagrams import diagram_files
from openforum_ld.views.entity import (
    ENTITY_FORMATS,
    document_bytes,
    entity_documents,
    entity_page_of,
    further_pages,
)
from openforum_ld.views.graph import graph_documents, graph_page
from openforum_ld.views.home import home_page
from openforum_ld.views.listing import listing_pages
from openforum_ld.views.not_in_sources import NOT_IN_SOURCES_PATH, not_in_sources_page
from openforum_ld.views.overview import count_kinds
from openforum_ld.views.pages import LANGUAGE_NAMES, PageRenderer, Translation, predicate_key
from openforum_ld.views.releases import (
    RELEASES_INDEX,
    release_index,
    release_page,
    releases_page,
)
from openforum_ld.views.retired import (
    URI_POLICY,
    retired_iris,
    tombstone_page,
    uri_policy_page,
    withdrawn,
)
from openforum_ld.views.sitemap import robots_txt, sitemap_xml
from openforum_ld.views.urls import RootedStaticUrls, StaticUrls, page_in_language
from openforum_ld.views.validation import validation_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.iris import Iris
    from openforum_ld.publish.ledger import Checksum
    from openforum_ld.store import SparqlStore
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.pages import Page

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def entity_iris(store: SparqlStore, iris: Iris) -> list[str]:
    """Every entity IRI the site has a page for, sorted."""
    rows = store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{iris.base}id/")) }}'
    )
    return sorted(r["s"].value for r in rows if iris.split_entity(r["s"].value))


class SiteWriter:
    """Writes the pages and documents of one publication into a directory."""

    def __init__(
        self, root: Path, ctx: ViewContext, record: Callable[[str, Checksum], None]
    ) -> None:
        self.root = root
        # The views ask the same questions of one entity for each language and document: they
        # are answered once, and forgotten before the next entity.
        self.answers = RememberingStore(ctx.store)
        self.ctx = replace(ctx, store=self.answers)
        self.record = record
        self.base = ctx.iris.base
        self._directories: set[Path] = set()  # made already: most files go to a few

    def _write(self, path: str, content: str | bytes) -> None:
        target = self.root / path
        if target.parent not in self._directories:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._directories.add(target.parent)
        data = content.encode() if isinstance(content, str) else content
        target.write_bytes(data)
        self.record(path, checksum_of(data))

    def _write_page(self, path: str, language: str, view: Callable[[StaticUrls], Page]) -> None:
        """One page in one language: the view is handed the links of that file."""
        urls = StaticUrls(self.ctx.iris, path, language)
        translations = [
            Translation(code, LANGUAGE_NAMES[code], urls.translation(code)) for code in LANGUAGES
        ]
        renderer = PageRenderer(urls, language, self.ctx.site, translations)
        self._write(path, renderer.render(view(urls)))

    def write_entity(self, iri: str) -> None:
        """An entity's RDF documents, and its page (and further pages of incoming links) in
        every language."""
        kind, slug = self.ctx.iris.split_entity(iri)  # type: ignore[misc]  # entities() checked it
        stem = f"id/{kind}/{slug}"
        self.answers.forget()
        quads = self.ctx.describer.resource_quads(iri)
        for fmt, document in entity_documents(self.ctx, iri, quads):
            self._write(f"{stem}{fmt.suffix}", document)
        describer = self.ctx.describer
        for language in LANGUAGES:
            description = describer.describe_resource(iri, language)
            self._write_page(
                page_in_language(f"{stem}.html", language),
                language,
                partial(
                    entity_page_of,
                    self.ctx,
                    language=language,
                    description=description,
                    quads=quads,
                ),
            )
            for group, number in further_pages(description):
                paged = describer.describe_resource(iri, language, number, group.predicate)
                self._write_page(
                    page_in_language(
                        f"{stem}.{predicate_key(group.predicate)}-{number}.html", language
                    ),
                    language,
                    partial(
                        entity_page_of, self.ctx, language=language, description=paged, quads=quads
                    ),
                )

    def write_listings(self) -> None:
        """One listing per kind, fifty entries a page, in every language."""
        for count in count_kinds(self.ctx.describer):
            self.answers.forget()
            for language in LANGUAGES:
                pages = listing_pages(self.ctx, count.kind.slug, language)
                for number, page in enumerate(pages, start=1):
                    path = f"id/{count.kind.slug}/" + (
                        "index.html" if number == 1 else f"page-{number}.html"
                    )
                    self._write_page(page_in_language(path, language), language, _given(page))

    def write_home(self) -> None:
        """The home page in every language."""
        for language in LANGUAGES:
            self._write_page(
                page_in_language("index.html", language),
                language,
                partial(home_page, self.ctx, language=language),
            )

    def write_releases(self) -> None:
        """The page of the releases and the page of each release, in every language."""
        for language in LANGUAGES:
            self._write_page(
                page_in_language(RELEASES_INDEX, language),
                language,
                partial(releases_page, self.ctx, language=language),
            )
            for release in self.ctx.manifest.releases:
                self._write_page(
                    page_in_language(release_index(release.version), language),
                    language,
                    partial(release_page, self.ctx, language=language, version=release.version),
                )

    def write_diagrams(self) -> None:
        """The diagrams the home page and the listings show, drawn once per build."""
        for path, svg in diagram_files(self.ctx):
            self._write(path, svg)

    def write_validation(self, report_turtle: bytes) -> None:
        """The validation report as RDF and the page that explains it, in every language."""
        self._write("validation/report.ttl", report_turtle)
        for language in LANGUAGES:
            self._write_page(
                page_in_language("validation/index.html", language),
                language,
                partial(validation_page, self.ctx, language=language),
            )

    def write_not_in_sources(self) -> None:
        """The page of what the sources do not say, in every language."""
        for language in LANGUAGES:
            self._write_page(
                page_in_language(NOT_IN_SOURCES_PATH, language),
                language,
                partial(not_in_sources_page, self.ctx, language=language),
            )

    def graph_names(self) -> list[str]:
        """The named graphs that are resources of the publication, with files of their own."""
        return [
            name
            for name in self.ctx.manifest.graphs
            if name != ONTOLOGY_IRI and name.startswith(self.base + "graph/")
        ]

    def write_graph(self, name: str) -> None:
        """A named graph as a resource: its RDF documents, and its page in every language."""
        stem = f"graph/{name[len(self.base) + 6 :]}"
        self.answers.forget()
        for fmt, document in graph_documents(self.ctx, name):
            self._write(f"{stem}{fmt.suffix}", document)
        for language in LANGUAGES:
            self._write_page(
                page_in_language(f"{stem}.html", language),
                language,
                partial(graph_page, self.ctx, language=language, graph=name),
            )

    def write_retired(self) -> None:
        """Each withdrawn IRI's tombstone in every language and its RDF record (a static host
        answers 410 with them); a replaced IRI needs nothing but its rule in the rewrites."""
        for retired in withdrawn(retired_iris(self.ctx.store, self.base)):
            quads = self.ctx.describer.resource_quads(retired.iri)
            for fmt in ENTITY_FORMATS:
                self._write(
                    f"{retired.path}{fmt.suffix}", document_bytes(self.ctx, retired.iri, quads, fmt)
                )
            for language in LANGUAGES:
                self._write_page(
                    page_in_language(f"{retired.path}.html", language),
                    language,
                    partial(tombstone_page, self.ctx, language=language, retired=retired),
                )

    def write_source_texts(self, texts: dict[str, bytes]) -> None:
        """The source texts, as the editors read them (`sources/{slug}.txt`)."""
        for path, content in sorted(texts.items()):
            self._write(path, content)

    def write_extras(self, ontology: bytes, context: str) -> None:
        """The ontology, the JSON-LD context, the stylesheet and scripts, the 404 pages,
        robots.txt and the site map."""
        self._write(f"ontology{TURTLE.suffix}", ontology)
        self._write("context.jsonld", context)
        for asset in sorted(p for p in STATIC_DIR.iterdir() if p.is_file()):
            self._write(f"static/{asset.name}", asset.read_bytes())
        for language in LANGUAGES:
            urls = RootedStaticUrls(self.ctx.iris, language)
            translations = [
                Translation(code, LANGUAGE_NAMES[code], urls.translation(code))
                for code in LANGUAGES
            ]
            renderer = PageRenderer(urls, language, self.ctx.site, translations)
            self._write(page_in_language("404.html", language), renderer.error(404))
            self._write_page(
                page_in_language(f"{URI_POLICY}.html", language),
                language,
                partial(uri_policy_page, self.ctx, language=language),
            )
        self._write("robots.txt", robots_txt(self.base))
        self._write("sitemap.xml", sitemap_xml(self.ctx))


def _given(page: Page) -> Callable[[StaticUrls], Page]:
    """A view whose page was made already (listings come all at once, from one query)."""

    def view(urls: StaticUrls) -> Page:
        return page

    return view
