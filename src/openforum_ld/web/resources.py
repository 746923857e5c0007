"""Dereferenceable IRIs and the dataset-level resources: `/id/{kind}/{slug}` with content
negotiation and format twins, listings, the home page, search, graphs, the validation page, and
the negotiated aliases of the publication's description files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox
from starlette.responses import RedirectResponse, Response

from openforum_ld.i18n import LANGUAGES
from openforum_ld.iris import KINDS_BY_SLUG, is_slug, slugify
from openforum_ld.rdf.formats import RdfFormat
from openforum_ld.rdf.graph import Graph, graph_bytes
from openforum_ld.views.dataset_markup import entity_links, landing_page_links, release_links
from openforum_ld.views.entity import ENTITY_FORMATS
from openforum_ld.views.offers import ENTITY_OFFERS, GRAPH_OFFERS, GRAPH_RESOURCE_OFFERS, Offer
from openforum_ld.views.retired import URI_POLICY
from openforum_ld.web.files import FILE_CACHE
from openforum_ld.web.http import http_date, not_modified, prepare, respond, strong_etag
from openforum_ld.web.jobs import (
    DatasetPage,
    EntityDocument,
    EntityPage,
    GraphDocument,
    GraphPage,
    HomePage,
    ListingPage,
    Problem,
    Reader,
    ReleasesPage,
    Search,
    Tombstone,
)
from openforum_ld.web.negotiation import NotAcceptableError, negotiate, negotiate_language

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.requests import Request

    from openforum_ld.web.app import Server
    from openforum_ld.web.jobs import Job

_SUFFIXES = {".html": "html", **{f.suffix: f.key for f in ENTITY_FORMATS}}
_PAGE_CACHE = "public, max-age=300"


@dataclass
class Resources:
    """The server's resource routes and what they share."""

    server: Server

    # ------------------------------------------------------------------ helpers

    @property
    def version(self) -> str:
        return self.server.manifest.version

    @property
    def last_modified(self) -> str:
        return http_date(self.server.manifest.date)

    @property
    def base(self) -> str:
        return self.server.manifest.base

    def _reader(self, request: Request) -> Reader:
        requested = request.query_params.get("lang")
        lang_parameter = requested if requested in LANGUAGES else None
        language = negotiate_language(lang_parameter, request.headers.get("accept-language"))
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        translations = tuple(
            (code, request.url.path + "?" + urlencode([*kept, ("lang", code)]))
            for code in LANGUAGES
        )
        return Reader(language, lang_parameter, translations)

    async def _represent(
        self,
        request: Request,
        key: tuple[str, ...],
        job: Job,
        *,
        vary: str | None,
        headers: dict[str, str] | None = None,
        cache_control: str = _PAGE_CACHE,
    ) -> Response:
        """A representation rendered by a job. Its ETag depends only on the data version and
        `key` (path, format, language, page), so a client's current copy gets its 304 before
        anything is rendered; the front cache keeps what is rendered."""
        etag = strong_etag(self.version, *key)
        described = {
            "Cache-Control": cache_control,
            "Last-Modified": self.last_modified,
            **({"Vary": vary} if vary else {}),
            **(headers or {}),
        }
        unchanged = not_modified(request, etag, described)
        if unchanged is not None:
            return unchanged
        reply = await self.server.run(job)
        if isinstance(reply, Problem):
            return self.server.problem(request, reply)
        if reply.status != 200:
            return Response(reply.body, reply.status, reply.headers, media_type=reply.media_type)
        representation = prepare(
            reply.body,
            reply.media_type,
            etag=etag,
            last_modified=self.last_modified,
            cache_control=cache_control,
            vary=vary,
            headers={**reply.headers, **(headers or {})},
        )
        return respond(request, representation)

    # ------------------------------------------------------------------ entities

    async def entity(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        name = request.path_params["name"]
        stem, suffix = _split_suffix(name)
        if not is_slug(stem) or not is_slug(kind):
            return self._redirect_or_missing(request, kind, stem, suffix)
        path = f"id/{kind}/{stem}"
        target = self.server.index.redirect(path)
        if target is not None:
            return self._redirect(request, target, suffix)
        iri = self.base + path
        offer = self._offer(request, ENTITY_OFFERS, suffix)
        if isinstance(offer, Response):
            return offer
        if self.server.index.is_withdrawn(path):
            return await self._gone(request, iri, offer, negotiated=suffix is None)
        links = _alternate_links(self.base, path, offer)
        negotiated = suffix is None
        if offer.format is None:
            page = _positive(request.query_params.get("page"))
            incoming = request.query_params.get("incoming")
            if page is None:
                return self.server.problem(
                    request, Problem(400, "Bad request", "`page` must be a positive whole number.")
                )
            reader = self._reader(request)
            key = (
                path,
                "html",
                reader.language,
                reader.lang_parameter or "",
                str(page),
                incoming or "",
            )
            return await self._represent(
                request,
                key,
                EntityPage(reader, iri, page, incoming),
                vary="Accept, Accept-Language" if negotiated else "Accept-Language",
                headers={
                    "Link": self._with_signposts(links, iri),
                    "Content-Language": reader.language,
                },
            )
        response = await self._represent(
            request,
            (path, offer.key),
            EntityDocument(iri, offer.key),
            vary="Accept" if negotiated else None,
            headers={"Link": self._with_signposts(links, iri)},
        )
        if response.status_code == 404:
            return _missing_in_format(offer, iri)
        return response

    async def _gone(
        self, request: Request, iri: str, offer: Offer, *, negotiated: bool
    ) -> Response:
        """410 Gone for a withdrawn IRI: its tombstone page, or its record in the RDF format
        asked for. No alternates or signposts: there is no entity to lead to."""
        reader = self._reader(request)
        reply = await self.server.run(Tombstone(reader, iri, offer.key if offer.format else None))
        if isinstance(reply, Problem):
            return self.server.problem(request, reply)
        vary = "Accept, Accept-Language" if negotiated else "Accept-Language"
        headers = {
            **reply.headers,
            "Cache-Control": _PAGE_CACHE,
            "Vary": vary if offer.format is None else ("Accept" if negotiated else ""),
            "Link": f'<{self._root}{URI_POLICY}>; rel="help"',
        }
        if offer.format is None:
            headers["Content-Language"] = reader.language
        return Response(
            reply.body,
            reply.status,
            {k: v for k, v in headers.items() if v},
            media_type=reply.media_type,
        )

    @property
    def _root(self) -> str:
        return urlsplit(self.base).path or "/"

    def _redirect(self, request: Request, target_iri: str, suffix: str | None) -> Response:
        location = (
            self._root + quote(target_iri[len(self.base) :])
            if target_iri.startswith(self.base)
            else target_iri
        )
        if suffix:
            location += suffix
        if request.url.query:
            location += "?" + request.url.query
        return RedirectResponse(location, status_code=301, headers={"Cache-Control": FILE_CACHE})

    def _redirect_or_missing(
        self, request: Request, kind: str, stem: str, suffix: str | None
    ) -> Response:
        """A path that is not a canonical IRI: a variant spelling of an entity's name redirects to
        it, anything else is 404 (never a redirect to a page that does not exist)."""
        candidate = f"id/{slugify(kind)}/{slugify(stem)}"
        target = self.server.index.redirect(candidate)
        if (
            target is None
            and candidate != f"id/{kind}/{stem}"
            and self.server.index.is_entity(candidate)
        ):
            target = self.base + candidate
        if target is not None:
            return self._redirect(request, target, suffix)
        return self.server.problem(
            request, Problem(404, "Not found", "There is no resource at this address.")
        )

    # ------------------------------------------------------------------ dataset-level pages

    async def listing(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        page = _positive(request.query_params.get("page"))
        if page is None:
            return self.server.problem(
                request, Problem(400, "Bad request", "`page` must be a positive whole number.")
            )
        reader = self._reader(request)
        return await self._represent(
            request,
            (f"id/{kind}/", "html", reader.language, reader.lang_parameter or "", str(page)),
            ListingPage(reader, kind, page),
            vary="Accept-Language",
            headers={"Content-Language": reader.language},
        )

    async def listing_without_slash(self, request: Request) -> Response:
        kind = slugify(request.path_params["kind"])
        if kind not in KINDS_BY_SLUG:
            return self.server.problem(
                request, Problem(404, "Not found", "There is nothing at this address.")
            )
        location = f"{self._root}id/{kind}/" + (
            f"?{request.url.query}" if request.url.query else ""
        )
        return RedirectResponse(location, status_code=301)

    async def home(self, request: Request) -> Response:
        reader = self._reader(request)
        # FAIR Signposting: the landing page leads to its identifier, metadata and downloads
        # (the licence link is on every response, from the middleware).
        signposts = landing_page_links(self.base, self.server.manifest)
        return await self._represent(
            request,
            ("", "html", reader.language, reader.lang_parameter or ""),
            HomePage(reader),
            vary="Accept-Language",
            headers={
                "Content-Language": reader.language,
                "Link": ", ".join(
                    link.header_value() for link in signposts if link.rel != "license"
                ),
            },
        )

    def _with_signposts(self, links: str, iri: str) -> str:
        """An entity's alternates, then its signposts (the licence comes from the middleware)."""
        signposts = entity_links(iri, self.server.manifest)
        return ", ".join(
            [links, *(link.header_value() for link in signposts if link.rel != "license")]
        )

    def dataset_page(self, name: str) -> Callable[[Request], Awaitable[Response]]:
        """The handler of a page about the dataset as a whole (`DATASET_PAGES`), at `/{name}`."""

        async def respond(request: Request) -> Response:
            reader = self._reader(request)
            return await self._represent(
                request,
                (name, "html", reader.language, reader.lang_parameter or ""),
                DatasetPage(reader, name),
                vary="Accept-Language",
                headers={"Content-Language": reader.language},
            )

        return respond

    async def releases(self, request: Request) -> Response:
        reader = self._reader(request)
        version = request.path_params.get("version")
        headers = {"Content-Language": reader.language}
        manifest = self.server.manifest
        release = next((r for r in manifest.releases if r.version == version), None)
        if release is not None:
            # FAIR Signposting, as on the landing page: a release is what a citation names.
            headers["Link"] = ", ".join(
                link.header_value()
                for link in release_links(self.base, release, manifest)
                if link.rel != "license"
            )
        return await self._represent(
            request,
            ("releases", version or "", "html", reader.language, reader.lang_parameter or ""),
            ReleasesPage(reader, version),
            vary="Accept-Language",
            headers=headers,
        )

    async def releases_without_slash(self, request: Request) -> Response:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{self._root}releases/{query}", status_code=301)

    async def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query:
            return self.server.problem(
                request, Problem(400, "Bad request", "Say what to search for: /search?q=...")
            )
        if len(query) > 200:
            return self.server.problem(
                request, Problem(400, "Bad request", "A search is at most 200 characters.")
            )
        reply = await self.server.run(Search(self._reader(request), query, _wants_json(request)))
        if isinstance(reply, Problem):
            return self.server.problem(request, reply)
        headers = {"Vary": "Accept, Accept-Language", "Cache-Control": "no-cache", **reply.headers}
        return Response(reply.body, reply.status, headers, media_type=reply.media_type)

    def _offer(
        self, request: Request, offers: tuple[Offer, ...], suffix: str | None
    ) -> Offer | Response:
        """The representation a twin's suffix names, or the one the request negotiates; a 406
        listing the offers when none is acceptable."""
        if suffix is not None:
            return next(o for o in offers if o.key == _SUFFIXES[suffix])
        try:
            return negotiate(
                offers, request.headers.get("accept"), request.query_params.get("format")
            )
        except NotAcceptableError as error:
            return self.server.problem(
                request,
                Problem(406, "Not acceptable", str(error), tuple(error.offered)),
                {"Vary": "Accept"},
            )

    async def graph(self, request: Request) -> Response:
        """A named graph, negotiated as an entity is: its page for browsers, its RDF for RDF
        clients, with the same format twins."""
        stem, suffix = _split_suffix(request.path_params["name"])
        graph_iri = self.base + "graph/" + stem
        if not is_slug(stem) or graph_iri not in self.server.graphs:
            return self.server.problem(
                request, Problem(404, "Not found", "There is no graph with this name.")
            )
        path = f"graph/{stem}"
        offer = self._offer(request, GRAPH_RESOURCE_OFFERS, suffix)
        if isinstance(offer, Response):
            return offer
        links = _alternate_links(self.base, path, offer)
        negotiated = suffix is None
        if offer.format is None:
            reader = self._reader(request)
            return await self._represent(
                request,
                (path, "html", reader.language, reader.lang_parameter or ""),
                GraphPage(reader, graph_iri),
                vary="Accept, Accept-Language" if negotiated else "Accept-Language",
                headers={"Link": links, "Content-Language": reader.language},
            )
        return await self._represent(
            request,
            (path, offer.key),
            GraphDocument(graph_iri, offer.key),
            vary="Accept" if negotiated else None,
            headers={"Link": links},
        )

    # ------------------------------------------------------------------ published descriptions

    def published_rdf(self, request: Request, name: str) -> Response:
        """A description the build wrote in Turtle (`catalog.ttl`, `void.ttl`, `ontology.ttl`),
        in the format asked for: Turtle for `*/*` and for no Accept, which harvesters send."""
        try:
            offer = negotiate(
                GRAPH_OFFERS[:-1], request.headers.get("accept"), request.query_params.get("format")
            )
        except NotAcceptableError as error:
            return self.server.problem(
                request, Problem(406, "Not acceptable", str(error), tuple(error.offered))
            )
        assert isinstance(offer.format, RdfFormat)
        path = self.server.publication.root / name
        body = path.read_bytes()
        if offer.key != "turtle":
            graph = Graph()
            for quad in ox.parse(body, format=ox.RdfFormat.TURTLE):
                graph.store.add(quad)
            body = graph_bytes(graph, offer.format, self.base)
        representation = prepare(
            body,
            offer.media_type,
            etag=strong_etag(self.version, "published", name, offer.key),
            last_modified=self.last_modified,
            cache_control=FILE_CACHE,
            vary="Accept",
        )
        return respond(request, representation)


def _missing_in_format(offer: Offer, iri: str) -> Response:
    """A 404 an RDF client can parse: an empty document in its format, saying why."""
    message = f"Not found: the dataset says nothing about <{iri}>."
    if offer.key == "jsonld":
        body = json.dumps({"@context": {}, "@graph": [], "error": message})
    elif offer.key == "rdfxml":
        body = f'<?xml version="1.0"?>\n<!-- {message} -->\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    else:
        body = f"# {message}\n"
    return Response(body, 404, {"Vary": "Accept"}, media_type=offer.media_type)


def _split_suffix(name: str) -> tuple[str, str | None]:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, None


def _alternate_links(base: str, path: str, chosen: Offer) -> str:
    root = urlsplit(base).path or "/"
    links = (
        [f'<{root}{path}.html>; rel="alternate"; type="text/html"'] if chosen.key != "html" else []
    )
    links += [
        f'<{root}{path}{fmt.suffix}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in ENTITY_FORMATS
        if fmt.key != chosen.key
    ]
    return ", ".join(links)


def _positive(value: str | None) -> int | None:
    if value is None:
        return 1
    if not re.fullmatch(r"[1-9][0-9]{0,6}", value):
        return None
    return int(value)


def _wants_json(request: Request) -> bool:
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header

    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept")
    if not accept:
        return False
    try:
        return (
            parse_accept_header(accept, MIMEAccept).best_match(["text/html", "application/json"])
            == "application/json"
        )
    except ValueError:
        return False
