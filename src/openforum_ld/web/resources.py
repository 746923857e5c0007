"""Dereferenceable IRIs and the dataset-level resources: `/id/{kind}/{slug}` with content
negotiation and format twins, listings, the home page, search, graphs, and the published files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from starlette.responses import FileResponse, RedirectResponse, Response

from openforum_ld.i18n import LANGUAGES
from openforum_ld.iris import KINDS_BY_SLUG, is_slug, slugify
from openforum_ld.rdf.formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE, RdfFormat
from openforum_ld.web.http import ResponseCache, http_date, prepare, respond, strong_etag
from openforum_ld.web.jobs import Problem, Reply
from openforum_ld.web.negotiation import (
    GRAPH_OFFERS,
    HTML,
    NotAcceptableError,
    Offer,
    negotiate,
    negotiate_language,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from starlette.requests import Request

    from openforum_ld.web.app import Server

#: What an entity IRI offers: HTML first (browsers, `*/*`), then triple formats, then quad formats,
#: so a client that accepts several RDF formats gets one its plain graph parser reads.
ENTITY_FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS)
ENTITY_OFFERS = (
    Offer("html", (HTML, "application/xhtml+xml"), None),
    *(Offer(f.key, (f.media_type, *f.aliases), f) for f in ENTITY_FORMATS),
)
_SUFFIXES = {".html": "html", **{f.suffix: f.key for f in ENTITY_FORMATS}}
_PAGE_CACHE = "public, max-age=300"
_FILE_CACHE = "public, max-age=3600"


@dataclass
class Resources:
    """The server's resource routes and what they share."""

    server: Server
    aliases: dict[str, str] = field(default_factory=dict)
    entities: frozenset[str] = frozenset()
    cache: ResponseCache = field(default_factory=ResponseCache)
    dumps: list[tuple[str, str, str, int]] = field(default_factory=list)
    date: str = ""

    def load_publication(self) -> None:
        """What the build wrote for this server: the date, and the dumps the home page lists."""
        publication = self.server.publication
        self.date = json.loads((publication / "version.json").read_text(encoding="utf-8"))["date"]
        for path in sorted((publication / "dumps").iterdir()):
            if path.name == "SHA256SUMS":
                continue
            fmt = next(
                (
                    f
                    for f in (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS)
                    if path.name.removesuffix(".gz").endswith(f.suffix)
                ),
                None,
            )
            if fmt is not None:
                gzipped = path.suffix == ".gz"
                label = fmt.label + (" (gzip)" if gzipped else "")
                self.dumps.append(
                    (
                        label,
                        f"dumps/{path.name}",
                        "application/gzip" if gzipped else fmt.media_type,
                        path.stat().st_size,
                    )
                )

    # ------------------------------------------------------------------ helpers

    @property
    def version(self) -> str:
        engine = self.server.engine
        return engine.info.version if engine else ""

    @property
    def last_modified(self) -> str:
        return http_date(self.date) if self.date else ""

    def _language(self, request: Request) -> tuple[str, str | None]:
        requested = request.query_params.get("lang")
        lang_parameter = requested if requested in LANGUAGES else None
        return negotiate_language(
            lang_parameter, request.headers.get("accept-language")
        ), lang_parameter

    def _translations(self, request: Request) -> list[tuple[str, str]]:
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        return [
            (code, request.url.path + "?" + urlencode([*kept, ("lang", code)]))
            for code in LANGUAGES
        ]

    async def _job(self, name: str, arguments: Mapping[str, Any]) -> Reply | Problem:
        engine = self.server.engine
        assert engine is not None
        return await engine.run(name, dict(arguments), self.server.settings.timeout)

    async def _cached(
        self,
        request: Request,
        key: tuple[str, ...],
        name: str,
        arguments: Mapping[str, Any],
        *,
        vary: str | None,
        headers: dict[str, str] | None = None,
        cache_control: str = _PAGE_CACHE,
    ) -> Response:
        """Serve a representation from the cache, or render it with a job and keep it."""
        found = self.cache.get(key)
        if found is None:
            reply = await self._job(name, arguments)
            if isinstance(reply, Problem):
                return self.server.problem(request, reply)
            if reply.status != 200:
                return Response(
                    reply.body, reply.status, reply.headers, media_type=reply.media_type
                )
            found = prepare(
                reply.body,
                reply.media_type,
                etag=strong_etag(self.version, *key),
                last_modified=self.last_modified,
                cache_control=cache_control,
                vary=vary,
                headers={**reply.headers, **(headers or {})},
            )
            self.cache.put(key, found)
        return respond(request, found)

    # ------------------------------------------------------------------ entities

    async def entity(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        name = request.path_params["name"]
        stem, suffix = _split_suffix(name)
        if not is_slug(stem) or not is_slug(kind):
            return self._redirect_or_missing(request, kind, stem, suffix)
        path = f"id/{kind}/{stem}"
        if path in self.aliases:
            return self._redirect(request, self.aliases[path], suffix)
        iri = self.server.settings.base_uri + path
        if suffix is not None:
            offer = next(o for o in ENTITY_OFFERS if o.key == _SUFFIXES[suffix])
        else:
            try:
                offer = negotiate(
                    ENTITY_OFFERS, request.headers.get("accept"), request.query_params.get("format")
                )
            except NotAcceptableError as error:
                return self.server.problem(
                    request,
                    Problem(406, "Not acceptable", str(error), tuple(error.offered)),
                    {"Vary": "Accept"},
                )
        links = _alternate_links(self.server.settings.base_uri, path, offer)
        negotiated = suffix is None
        if offer.format is None:
            language, lang_parameter = self._language(request)
            page = _positive(request.query_params.get("page"))
            incoming = request.query_params.get("incoming")
            if page is None:
                return self.server.problem(
                    request, Problem(400, "Bad request", "`page` must be a positive whole number.")
                )
            arguments = {
                "iri": iri,
                "language": language,
                "lang_parameter": lang_parameter,
                "translations": self._translations(request),
                "page": page,
                "incoming_key": incoming,
            }
            page_key = (path, "html", language, lang_parameter or "", str(page), incoming or "")
            vary = "Accept, Accept-Language" if negotiated else "Accept-Language"
            return await self._cached(
                request,
                page_key,
                "page",
                arguments,
                vary=vary,
                headers={"Link": links, "Content-Language": language},
            )
        key = (path, offer.key)
        response = await self._cached(
            request,
            key,
            "document",
            {"iri": iri, "format_key": offer.key},
            vary="Accept" if negotiated else None,
            headers={"Link": links},
        )
        if response.status_code == 404:
            return _missing_in_format(offer, iri)
        return response

    @property
    def _root(self) -> str:
        return urlsplit(self.server.settings.base_uri).path or "/"

    def _redirect(self, request: Request, target_iri: str, suffix: str | None) -> Response:
        base = self.server.settings.base_uri
        location = (
            self._root + quote(target_iri[len(base) :])
            if target_iri.startswith(base)
            else target_iri
        )
        if suffix:
            location += suffix
        if request.url.query:
            location += "?" + request.url.query
        return RedirectResponse(location, status_code=301, headers={"Cache-Control": _FILE_CACHE})

    def _redirect_or_missing(
        self, request: Request, kind: str, stem: str, suffix: str | None
    ) -> Response:
        """A path that is not a canonical IRI: a variant spelling of an entity's name redirects to
        it, anything else is 404 (never a redirect to a page that does not exist)."""
        candidate = f"id/{slugify(kind)}/{slugify(stem)}"
        target = self.aliases.get(candidate)
        if target is None and candidate in self.entities and candidate != f"id/{kind}/{stem}":
            target = self.server.settings.base_uri + candidate
        if target is not None:
            return self._redirect(request, target, suffix)
        return self.server.problem(
            request, Problem(404, "Not found", "There is no resource at this address.")
        )

    async def listing(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        page = _positive(request.query_params.get("page"))
        if page is None:
            return self.server.problem(
                request, Problem(400, "Bad request", "`page` must be a positive whole number.")
            )
        language, lang_parameter = self._language(request)
        arguments = {
            "kind": kind,
            "page": page,
            "language": language,
            "lang_parameter": lang_parameter,
            "translations": self._translations(request),
        }
        key = (f"id/{kind}/", "html", language, lang_parameter or "", str(page))
        return await self._cached(
            request,
            key,
            "listing",
            arguments,
            vary="Accept-Language",
            headers={"Content-Language": language},
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
        language, lang_parameter = self._language(request)
        arguments = {
            "language": language,
            "lang_parameter": lang_parameter,
            "translations": self._translations(request),
            "dumps": self.dumps,
        }
        key = ("", "html", language, lang_parameter or "")
        return await self._cached(
            request,
            key,
            "home",
            arguments,
            vary="Accept-Language",
            headers={"Content-Language": language},
        )

    async def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        language, lang_parameter = self._language(request)
        if not query:
            return self.server.problem(
                request, Problem(400, "Bad request", "Say what to search for: /search?q=...")
            )
        if len(query) > 200:
            return self.server.problem(
                request, Problem(400, "Bad request", "A search is at most 200 characters.")
            )
        as_json = _wants_json(request)
        reply = await self._job(
            "search",
            {
                "query": query,
                "language": language,
                "lang_parameter": lang_parameter,
                "translations": self._translations(request),
                "as_json": as_json,
            },
        )
        if isinstance(reply, Problem):
            return self.server.problem(request, reply)
        headers = {"Vary": "Accept, Accept-Language", "Cache-Control": "no-cache", **reply.headers}
        return Response(reply.body, reply.status, headers, media_type=reply.media_type)

    async def validation(self, request: Request) -> Response:
        language, lang_parameter = self._language(request)
        arguments = {
            "language": language,
            "lang_parameter": lang_parameter,
            "translations": self._translations(request),
            "conforms": True,
            "violations": 0,
        }
        key = ("validation", "html", language, lang_parameter or "")
        return await self._cached(request, key, "validation", arguments, vary="Accept-Language")

    async def sitemap(self, request: Request) -> Response:
        return await self._cached(
            request,
            ("sitemap.xml",),
            "sitemap",
            {"date": self.date},
            vary=None,
            cache_control=_FILE_CACHE,
        )

    async def robots(self, request: Request) -> Response:
        body = f"User-agent: *\nAllow: /\nDisallow: /sparql\nDisallow: /search\nSitemap: {self.server.settings.base_uri}sitemap.xml\n"
        representation = prepare(
            body.encode(),
            "text/plain; charset=utf-8",
            etag=strong_etag(self.version, "robots"),
            last_modified=self.last_modified,
            cache_control=_FILE_CACHE,
        )
        return respond(request, representation)

    async def graph(self, request: Request) -> Response:
        name = request.path_params["name"]
        stem, suffix = _split_suffix(name)
        graph_iri = self.server.settings.base_uri + "graph/" + stem
        if stem not in {
            g.rsplit("/", 1)[-1]
            for g in (self.server.engine.info.graphs if self.server.engine else ())
        } or not is_slug(stem):
            return self.server.problem(
                request, Problem(404, "Not found", "There is no graph with this name.")
            )
        offers = tuple(
            next(o for o in ENTITY_OFFERS if o.format is f)
            for f in (TRIG, NQUADS, TURTLE, JSONLD, NTRIPLES, RDFXML)
        )
        if suffix is not None and suffix in _SUFFIXES and _SUFFIXES[suffix] != "html":
            offer = next(o for o in offers if o.key == _SUFFIXES[suffix])
        else:
            try:
                offer = negotiate(
                    offers, request.headers.get("accept"), request.query_params.get("format")
                )
            except NotAcceptableError as error:
                return self.server.problem(
                    request, Problem(406, "Not acceptable", str(error), tuple(error.offered))
                )
        return await self._cached(
            request,
            (f"graph/{stem}", offer.key),
            "graph",
            {"graph": graph_iri, "format_key": offer.key},
            vary="Accept",
            cache_control=_FILE_CACHE,
        )

    # ------------------------------------------------------------------ published files

    async def published(self, request: Request) -> Response:
        """A file the build wrote: dumps, context, checksums (no path may leave the publication)."""
        relative = request.path_params["path"]
        return self.file(request, relative)

    def file(self, request: Request, relative: str) -> Response:
        publication = self.server.publication.resolve()
        if "\x00" in relative or "\\" in relative:
            return self.server.problem(
                request, Problem(400, "Bad request", "The path has a character paths cannot have.")
            )
        try:
            target = (publication / relative).resolve()
            found = (
                target.is_relative_to(publication)
                and target.is_file()
                and not target.name.startswith(".")
            )
        except (OSError, ValueError):  # a name too long for the file system, for one
            found = False
        if not found:
            return self.server.problem(
                request, Problem(404, "Not found", "There is no file at this address.")
            )
        media_type = _file_media_type(target)
        etag = strong_etag(self.version, "file", relative)
        headers = {"ETag": etag, "Cache-Control": _FILE_CACHE, "Last-Modified": self.last_modified}
        if (
            request.headers.get("if-none-match")
            and etag.strip('"') in request.headers["if-none-match"]
        ):
            return Response(status_code=304, headers=headers)
        return FileResponse(
            target, media_type=media_type, headers=headers, stat_result=target.stat()
        )

    async def catalog(self, request: Request) -> Response:
        return self.published_rdf(request, "catalog.ttl")

    async def ontology(self, request: Request) -> Response:
        return self.published_rdf(request, "ontology.ttl")

    def published_rdf(self, request: Request, name: str) -> Response:
        """A description the build wrote in Turtle, in the format asked for (Turtle for `*/*`)."""
        try:
            offer = negotiate(
                GRAPH_OFFERS[:-1], request.headers.get("accept"), request.query_params.get("format")
            )
        except NotAcceptableError as error:
            return self.server.problem(
                request, Problem(406, "Not acceptable", str(error), tuple(error.offered))
            )
        key = ("published", name, offer.key)
        found = self.cache.get(key)
        if found is None:
            path = self.server.publication / name
            if offer.key == "turtle":
                body = path.read_bytes()
            else:
                assert isinstance(offer.format, RdfFormat)
                body = _converted(path, offer.format, self.server.settings.base_uri)
            found = prepare(
                body,
                offer.media_type,
                etag=strong_etag(self.version, *key),
                last_modified=self.last_modified,
                cache_control=_FILE_CACHE,
                vary="Accept",
            )
            self.cache.put(key, found)
        return respond(request, found)


def _converted(path: Path, target: RdfFormat, base_uri: str) -> bytes:
    import pyoxigraph as ox

    from openforum_ld.publish.catalog import Graph, write_graph_to

    graph = Graph()
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        graph.store.add(quad)
    return write_graph_to(graph, target, base_uri)


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


def _file_media_type(path: Path) -> str:
    name = path.name
    if name.endswith(".gz"):
        return "application/gzip"
    for fmt in (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS):
        if name.endswith(fmt.suffix):
            return fmt.media_type
    return {"SHA256SUMS": "text/plain; charset=utf-8", "context.jsonld": "application/ld+json"}.get(
        name, "application/octet-stream"
    )
