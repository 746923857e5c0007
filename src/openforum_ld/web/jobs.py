"""The work the server hands to whatever holds the store: typed requests, each answered by a
view (a page, a document) or by the store (a SPARQL query).

Jobs run in a query worker process next to the embedded store, or in a thread next to a remote
endpoint; either way a job is a small frozen value that crosses the process boundary whole, and
its answer is a `Reply` of bytes or a `Problem`, so the web layer never touches the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openforum_ld.errors import QueryError
from openforum_ld.rdf.formats import rdf_format
from openforum_ld.store.results import write_result
from openforum_ld.views.entity import entity_document, entity_page
from openforum_ld.views.entity import incoming_property as find_incoming_property
from openforum_ld.views.graph import graph_document as graph_document_view
from openforum_ld.views.graph import graph_page
from openforum_ld.views.home import home_page
from openforum_ld.views.listing import listing_page
from openforum_ld.views.not_in_sources import not_in_sources_page
from openforum_ld.views.pages import (
    LANGUAGE_NAMES,
    NotFoundError,
    Page,
    PageRenderer,
    Translation,
)
from openforum_ld.views.releases import release_page, releases_page
from openforum_ld.views.retired import URI_POLICY, find_retired, tombstone_page, uri_policy_page
from openforum_ld.views.search import search, search_page, search_results
from openforum_ld.views.urls import ServerUrls
from openforum_ld.views.validation import validation_page
from openforum_ld.web.negotiation import GRAPH_OFFERS, RESULT_OFFERS, NotAcceptableError, negotiate

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls

HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """What a job sends back: an HTTP status, a media type, a body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A job that could not be done for a reason the client should hear (a 4xx or 5xx)."""

    status: int
    title: str
    detail: str
    offered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reader:
    """Who a page is for: the language chosen, the `?lang=` the request gave (kept in links),
    and the address of the same page in each language."""

    language: str
    lang_parameter: str | None = None
    translations: tuple[tuple[str, str], ...] = ()

    def render(self, ctx: ViewContext, view: Callable[[Urls], Page]) -> Reply:
        """A view's page for this reader, as HTML."""
        urls = ServerUrls(ctx.iris, self.lang_parameter)
        translations = [
            Translation(code, LANGUAGE_NAMES[code], href) for code, href in self.translations
        ]
        page = view(urls)
        html = PageRenderer(urls, self.language, ctx.site, translations).render(page)
        return Reply(page.status, HTML_TYPE, html.encode(), dict(page.headers))


@dataclass(frozen=True)
class EntityPage:
    """The HTML page about a resource; `page` pages through the links of `incoming_key`."""

    reader: Reader
    iri: str
    page: int = 1
    incoming_key: str | None = None

    def run(self, ctx: ViewContext) -> Reply:
        incoming = (
            find_incoming_property(ctx, self.iri, self.incoming_key) if self.incoming_key else None
        )
        language = self.reader.language
        return self.reader.render(
            ctx, lambda urls: entity_page(ctx, urls, language, self.iri, self.page, incoming)
        )


@dataclass(frozen=True)
class EntityDocument:
    """The RDF about a resource in one format."""

    iri: str
    format_key: str

    def run(self, ctx: ViewContext) -> Reply:
        fmt = rdf_format(self.format_key)
        return Reply(200, fmt.media_type, entity_document(ctx, self.iri, fmt))


@dataclass(frozen=True)
class Tombstone:
    """What a withdrawn IRI answers, with 410 Gone: its tombstone page (`format_key` None) or
    its record in an RDF format."""

    reader: Reader
    iri: str
    format_key: str | None

    def run(self, ctx: ViewContext) -> Reply:
        retired = find_retired(ctx, self.iri)
        if retired is None:
            raise NotFoundError(f"<{self.iri}> is not a withdrawn IRI of this publication.")
        if self.format_key is not None:
            fmt = rdf_format(self.format_key)
            return Reply(410, fmt.media_type, entity_document(ctx, self.iri, fmt))
        language = self.reader.language
        return self.reader.render(ctx, lambda urls: tombstone_page(ctx, urls, language, retired))


@dataclass(frozen=True)
class GraphDocument:
    """One named graph in one format."""

    graph: str
    format_key: str

    def run(self, ctx: ViewContext) -> Reply:
        fmt = rdf_format(self.format_key)
        return Reply(200, fmt.media_type, graph_document_view(ctx, self.graph, fmt))


@dataclass(frozen=True)
class GraphPage:
    """The HTML page of a named graph."""

    reader: Reader
    graph: str

    def run(self, ctx: ViewContext) -> Reply:
        language = self.reader.language
        return self.reader.render(ctx, lambda urls: graph_page(ctx, urls, language, self.graph))


@dataclass(frozen=True)
class HomePage:
    """The home page."""

    reader: Reader

    def run(self, ctx: ViewContext) -> Reply:
        return self.reader.render(ctx, lambda urls: home_page(ctx, urls, self.reader.language))


@dataclass(frozen=True)
class ListingPage:
    """One page of the resources of a kind."""

    reader: Reader
    kind: str
    page: int

    def run(self, ctx: ViewContext) -> Reply:
        return self.reader.render(
            ctx, lambda urls: listing_page(ctx, urls, self.reader.language, self.kind, self.page)
        )


#: The pages about the dataset as a whole, by the path the server answers each at.
DATASET_PAGES = {
    "validation": validation_page,
    "not-in-sources": not_in_sources_page,
    URI_POLICY: uri_policy_page,
}


@dataclass(frozen=True)
class DatasetPage:
    """A page about the dataset as a whole (one of `DATASET_PAGES`), in the reader's language."""

    reader: Reader
    name: str

    def run(self, ctx: ViewContext) -> Reply:
        view = DATASET_PAGES[self.name]
        return self.reader.render(ctx, lambda urls: view(ctx, urls, self.reader.language))


@dataclass(frozen=True)
class ReleasesPage:
    """The page of the releases, or of one release when `version` is given."""

    reader: Reader
    version: str | None = None

    def run(self, ctx: ViewContext) -> Reply:
        language = self.reader.language
        if self.version is None:
            return self.reader.render(ctx, lambda urls: releases_page(ctx, urls, language))
        version = self.version
        return self.reader.render(ctx, lambda urls: release_page(ctx, urls, language, version))


@dataclass(frozen=True)
class Search:
    """Search results as a page or as JSON; a single exact match sends a reader straight to it."""

    reader: Reader
    query: str
    as_json: bool

    def run(self, ctx: ViewContext) -> Reply:
        hits = search(ctx.labels, self.query) if ctx.labels is not None else []
        urls = ServerUrls(ctx.iris, self.reader.lang_parameter)
        exact = {hit.iri for hit in hits if hit.exact}
        if len(exact) == 1 and not self.as_json:
            return Reply(303, HTML_TYPE, b"", {"Location": urls.resource(exact.pop())})
        results = search_results(ctx, urls, self.reader.language, hits)
        if self.as_json:
            shown = [{k: r[k] for k in ("iri", "label", "matched", "kind")} for r in results]
            body = json.dumps({"query": self.query, "results": shown}, ensure_ascii=False)
            return Reply(200, "application/json", body.encode())
        return self.reader.render(ctx, lambda urls: search_page(self.query, results))


@dataclass(frozen=True)
class Sparql:
    """A SPARQL query, answered in the negotiated format, at most `limit` rows. HTML is the
    server's business (it renders the query page from the JSON results)."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    accept: str | None
    format_key: str | None
    limit: int

    def run(self, ctx: ViewContext) -> Reply | Problem:
        try:
            result = ctx.store.query(
                self.query,
                default_graphs=self.default_graphs or None,
                named_graphs=self.named_graphs or None,
                # The endpoint is {base}sparql: resolving against the base is resolving against
                # the request's own URL (RFC 3986, 5.1.3), and matches the IRIs results show.
                base_iri=ctx.iris.base,
            )
        except QueryError as error:
            status = getattr(error, "status", 400)
            title = "Bad query" if status == 400 else "SPARQL endpoint unavailable"
            return Problem(status, title, str(error))
        offers = GRAPH_OFFERS if result.form == "graph" else RESULT_OFFERS
        try:
            offer = negotiate(offers, self.accept, self.format_key)
        except NotAcceptableError as error:
            return Problem(406, "Not acceptable", str(error), tuple(error.offered))
        if offer.format is None:  # HTML asked: the page is made from the JSON results
            offer = offers[0]
        assert offer.format is not None
        try:
            written = write_result(result, offer.format, self.limit, ctx.iris.base)
        except (OSError, ValueError, SyntaxError) as error:
            # pyoxigraph evaluates lazily: errors such as a failed SERVICE call surface here.
            return Problem(400, "Bad query", str(error))
        headers = {"X-Openforum-Row-Limit": str(self.limit)}
        if written.truncated:
            headers["X-Openforum-Truncated"] = "true"
        return Reply(200, offer.media_type, written.body, headers)


Job = (
    EntityPage
    | EntityDocument
    | GraphDocument
    | GraphPage
    | HomePage
    | ListingPage
    | DatasetPage
    | ReleasesPage
    | Tombstone
    | Search
    | Sparql
)


def run_job(ctx: ViewContext, job: Job) -> Reply | Problem:
    """Run one job; what is missing is a 404, a bad query a 4xx, and an unexpected failure a
    500 problem, never a crash of the worker."""
    try:
        return job.run(ctx)
    except NotFoundError as error:
        return Problem(404, "Not found", str(error))
    except QueryError as error:
        return Problem(getattr(error, "status", 400), "Bad query", str(error))
    except Exception as error:  # a worker answers every job; the web side logs the detail
        return Problem(500, "Internal error", f"{type(error).__name__}: {error}")
