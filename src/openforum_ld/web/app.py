"""The web application: `create_app(settings, publication)` serves one publication.

It is handed an opened publication and, optionally, the engine its jobs go to (tests hand it an
in-process one); otherwise it opens the publication's store for query threads (or starts query
workers on it), or talks to `--endpoint`. It reads nothing but the publication and asks nothing but the engine.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from openforum_ld import __version__
from openforum_ld.iris import Iris
from openforum_ld.views.pages import PageRenderer, SiteInfo
from openforum_ld.views.urls import ServerUrls
from openforum_ld.web.cache import ResponseCache
from openforum_ld.web.engine import EmbeddedEngine, RemoteEngine, ThreadedEngine
from openforum_ld.web.errors import problem_response
from openforum_ld.web.files import PublishedFiles
from openforum_ld.web.frontcache import FrontCache
from openforum_ld.web.jobs import DATASET_PAGES, Problem
from openforum_ld.web.middleware import (
    BodyLimitMiddleware,
    ResponseHeadersMiddleware,
    every_response_headers,
)
from openforum_ld.web.negotiation import negotiate_language
from openforum_ld.web.resources import Resources
from openforum_ld.web.sparql import SparqlEndpoint

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from openforum_ld.config import Settings
    from openforum_ld.publication import Publication
    from openforum_ld.web.engine import Engine
    from openforum_ld.web.jobs import Job, Reply

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


class Server:
    """What the routes share: settings, the publication, its index, the engine and the cache."""

    def __init__(self, settings: Settings, publication: Publication) -> None:
        self.settings = settings
        self.publication = publication
        self.manifest = publication.manifest
        self.iris = Iris(publication.manifest.base)
        self.index = publication.index()
        self.graphs = frozenset(publication.manifest.graphs)
        self.cache = ResponseCache(0 if settings.endpoint else settings.response_cache)
        self.engine: Engine | None = None

    async def run(self, job: Job) -> Reply | Problem:
        """Run a job on the engine, within the time limit."""
        if self.engine is None:
            return Problem(503, "Starting", "The server is starting; try again in a moment.")
        return await self.engine.run(job, self.settings.timeout)

    def site(self) -> SiteInfo:
        return SiteInfo.of(self.manifest)

    def renderer(self, language: str, urls: ServerUrls) -> PageRenderer:
        return PageRenderer(urls, language, self.site())

    def problem(
        self, request: Request, problem: Problem, headers: dict[str, str] | None = None
    ) -> Response:
        language = negotiate_language(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )

        def html(found: Problem) -> str:
            renderer = self.renderer(
                language, ServerUrls(self.iris, request.query_params.get("lang"))
            )
            return renderer.error(found.status, found.detail)

        return problem_response(problem, request.headers.get("accept"), html, headers)


class OpenForumApp(FastAPI):
    """FastAPI with the CORS and security headers put on every response, the 500 that
    Starlette's outermost error handler sends included, and the front cache in front of it all:
    a response it keeps is sent again, headers and all, without FastAPI's middleware, the
    headers middleware or routing."""

    license: str | None = None  # the publication's, set by create_app
    front: FrontCache | None = None  # set by create_app
    posted_queries: PostedQueries | None = None  # set by create_app

    def build_middleware_stack(self) -> ASGIApp:
        return ResponseHeadersMiddleware(super().build_middleware_stack(), self.license)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.front is None:
            await super().__call__(scope, receive, send)
        else:
            await self.front(scope, receive, send)

    async def _uncached(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.posted_queries is not None
            and scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == "/sparql"
            and not scope["query_string"]
        ):
            await self.posted_queries(scope, receive, send)
            return
        await self._routed(scope, receive, send)

    async def _routed(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.root_path:
            # FastAPI's own entry asks OpenTelemetry, through the environment, on every request
            # whether to trace it (7% of a server process under load); nothing here is traced.
            await Starlette.__call__(self, scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(
    settings: Settings, publication: Publication, engine: Engine | None = None
) -> OpenForumApp:
    """The application serving `publication` under the base it was built for. Without an
    `engine`, its startup opens the store for query threads, or forks query workers on it
    (`query_isolation`), or connects to `--endpoint`."""
    settings = settings.with_(base_uri=publication.manifest.base)
    server = Server(settings, publication)
    server.engine = engine

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = server.engine is None
        if started:
            if settings.endpoint:
                server.engine = RemoteEngine.start(settings, publication, server.iris)
            elif settings.query_isolation == "threads":
                server.engine = ThreadedEngine.start(settings, publication, server.iris)
            else:
                server.engine = await EmbeddedEngine.start(settings, publication, server.iris)
        yield
        if started and server.engine is not None:
            await server.engine.close()

    app = OpenForumApp(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.license = publication.manifest.license
    app.state.server = server
    resources = Resources(server)
    sparql_endpoint = SparqlEndpoint(server)

    async def sparql(request: Request) -> Response:
        answer = await sparql_endpoint.answer(request)
        if isinstance(answer, Problem):
            return server.problem(request, answer)
        return answer

    async def healthz(request: Request) -> Response:
        manifest = server.manifest
        return JSONResponse(
            {
                "ok": True,
                "version": manifest.version,
                "triples": manifest.triples,
                "software": __version__,
            }
        )

    async def favicon(request: Request) -> Response:
        return FileResponse(
            STATIC_DIR / "favicon.ico",
            media_type="image/vnd.microsoft.icon",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    read = ["GET", "HEAD"]
    app.add_route("/sparql", sparql, methods=["GET", "HEAD", "POST"])
    app.add_route("/healthz", healthz, methods=read)
    app.add_route("/favicon.ico", favicon, methods=read)
    app.add_route("/", resources.home, methods=read)
    app.add_route("/id/{kind}/", resources.listing, methods=read)
    app.add_route("/id/{kind}", resources.listing_without_slash, methods=read)
    app.add_route("/id/{kind}/{name}", resources.entity, methods=read)
    app.add_route("/search", resources.search, methods=read)
    app.add_route("/graph/{name}", resources.graph, methods=read)
    for name in DATASET_PAGES:
        app.add_route(f"/{name}", resources.dataset_page(name), methods=read)
    # A release's page at its directory's address; its files are files of the publication.
    app.add_route("/releases/", resources.releases, methods=read)
    app.add_route("/releases", resources.releases_without_slash, methods=read)
    app.add_route("/releases/{version}/", resources.releases, methods=read)
    # The negotiated aliases of the description files, beside the files themselves.
    for alias, name in (
        ("/catalog", "catalog.ttl"),
        ("/.well-known/void", "void.ttl"),
        ("/ontology", "ontology.ttl"),
    ):
        app.add_route(alias, _described_by(resources, name), methods=read)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Everything else is a file of the publication, at the URL a static host gives it.
    app.mount("/", PublishedFiles(publication), name="publication")

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        return server.problem(
            request, Problem(404, "Not found", "There is nothing at this address.")
        )

    @app.exception_handler(405)
    async def not_allowed(request: Request, exc: Exception) -> Response:
        return server.problem(
            request, Problem(405, "Method not allowed", f"{request.method} is not accepted here.")
        )

    @app.exception_handler(500)
    async def internal(request: Request, exc: Exception) -> Response:
        return server.problem(
            request,
            Problem(500, "Internal error", "The server failed to answer; the error is logged."),
        )

    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body)
    app.front = FrontCache(app._uncached, server.cache)
    app.posted_queries = PostedQueries(
        app._routed, server, sparql_endpoint, every_response_headers(app.license)
    )
    return app


class PostedQueries:
    """POST /sparql with a body of `application/sparql-query` and nothing in the URL, what
    almost every SPARQL client sends, answered without FastAPI's middleware and routing: the
    same response, headers and all, as the route gives, for less than half the work in the
    server process. Whatever is not plain (another media type, a body over the limit or not
    UTF-8, a query the endpoint refuses, the HTML page) goes on to the route, with the body
    read so far."""

    def __init__(
        self,
        routed: ASGIApp,
        server: Server,
        endpoint: SparqlEndpoint,
        every_response: list[tuple[bytes, bytes]],
    ) -> None:
        self.routed = routed
        self.server = server
        self.endpoint = endpoint
        self.every_response = every_response
        self.limit = server.settings.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = length = accept = None
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = value
            elif name == b"content-length":
                length = value
            elif name == b"accept":
                accept = value
        if (
            content_type is None
            or content_type.split(b";")[0].strip().lower() != b"application/sparql-query"
            or length is None
            or not length.isdigit()
            or int(length) > self.limit
        ):
            await self.routed(scope, receive, send)
            return
        read: list[Message] = []
        body = b""
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if len(body) > self.limit or not message.get("more_body", False):
                break
        replay = _replaying(read, receive)
        if read[-1]["type"] != "http.request" or read[-1].get("more_body", False):
            await self.routed(scope, replay, send)
            return
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            await self.routed(scope, replay, send)
            return
        accepted = None if accept is None else accept.decode("latin-1")
        answer = await self.endpoint.answer_posted_query(query, accepted)
        if answer is None:
            await self.routed(scope, replay, send)
            return
        if isinstance(answer, Problem):
            answer = self.server.problem(Request(scope, replay), answer)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status_code,
                "headers": [*answer.raw_headers, *self.every_response],
            }
        )
        await send({"type": "http.response.body", "body": answer.body})


def _replaying(read: list[Message], receive: Receive) -> Receive:
    """A receive that gives the messages already read again, then what is still to come."""
    pending = list(read)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _described_by(resources: Resources, name: str) -> Callable[[Request], Awaitable[Response]]:
    """The route of a negotiated alias of the description file `name`."""

    async def route(request: Request) -> Response:
        return resources.published_rdf(request, name)

    return route
