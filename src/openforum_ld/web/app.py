"""The web application: `create_app(settings)` wires the engine, the endpoint and the pages."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.responses import JSONResponse, Response
from starlette.staticfiles import StaticFiles

from openforum_ld import __version__
from openforum_ld.config import Settings
from openforum_ld.iris import Iris, ServerUrls
from openforum_ld.views.pages import PageRenderer, SiteInfo
from openforum_ld.web.engine import EmbeddedEngine, Engine, RemoteEngine
from openforum_ld.web.errors import problem_response
from openforum_ld.web.frontcache import FrontCache
from openforum_ld.web.jobs import Problem, Reply
from openforum_ld.web.middleware import BodyLimitMiddleware, ResponseHeadersMiddleware
from openforum_ld.web.negotiation import (
    negotiate_language,
)
from openforum_ld.web.resources import Resources
from openforum_ld.web.sparql import SparqlEndpoint, read_examples

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.requests import Request

    from openforum_ld.load import Dataset

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PUBLICATION_ENV = "OPENFORUM_LD_PUBLICATION_DIR"


class Server:
    """What the routes share: settings, the engine, the published files and the page renderer."""

    def __init__(self, settings: Settings, publication: Path) -> None:
        self.settings = settings
        self.publication = publication
        self.iris = Iris(settings.base_uri)
        self.engine: Engine | None = None
        self.sparql: SparqlEndpoint | None = None

    def site(self) -> SiteInfo:
        version = self.engine.info.version if self.engine else ""
        return SiteInfo(self.settings.license, self.settings.license_name, version, __version__)

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


def create_app(settings: Settings, publication: Path, dataset: Dataset | None = None) -> FastAPI:
    """The application for `settings`, serving the files built into `publication`. A loaded
    `dataset` is used as it is; otherwise the engine loads the data when the app starts."""
    server = Server(settings, publication)
    loaded = [dataset]  # handed to the engine once, then dropped: the zygote holds the store

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        version = json.loads((publication / "version.json").read_text(encoding="utf-8"))["version"]
        if settings.endpoint:
            server.engine = await RemoteEngine.start(settings, version)
        else:
            server.engine = await EmbeddedEngine.start(settings, loaded.pop())
        server.sparql = SparqlEndpoint(
            server.engine, settings, server.renderer, read_examples(settings.queries_dir)
        )
        resources.load_publication()
        found = await server.engine.run("aliases", {}, settings.timeout)
        if isinstance(found, Reply):
            paths = json.loads(found.body)
            resources.aliases = paths["aliases"]
            resources.entities = frozenset(paths["entities"])
        yield
        await server.engine.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.server = server
    resources = Resources(server)

    async def sparql(request: Request) -> Response:
        assert server.sparql is not None
        answer = await server.sparql.answer(request)
        if isinstance(answer, Problem):
            return server.problem(request, answer)
        return answer

    async def well_known_void(request: Request) -> Response:
        return resources.published_rdf(request, "void.ttl")

    async def healthz(request: Request) -> Response:
        assert server.engine is not None
        info = server.engine.info
        return JSONResponse(
            {"ok": True, "version": info.version, "triples": info.triples, "software": __version__}
        )

    app.add_route("/sparql", sparql, methods=["GET", "HEAD", "POST"])
    app.add_route("/.well-known/void", well_known_void, methods=["GET", "HEAD"])
    app.add_route("/healthz", healthz, methods=["GET", "HEAD"])
    read = ["GET", "HEAD"]
    app.add_route("/", resources.home, methods=read)
    app.add_route("/id/{kind}/", resources.listing, methods=read)
    app.add_route("/id/{kind}", resources.listing_without_slash, methods=read)
    app.add_route("/id/{kind}/{name}", resources.entity, methods=read)
    app.add_route("/search", resources.search, methods=read)
    app.add_route("/graph/{name}", resources.graph, methods=read)
    app.add_route("/validation", resources.validation, methods=read)
    app.add_route("/sitemap.xml", resources.sitemap, methods=read)
    app.add_route("/robots.txt", resources.robots, methods=read)
    app.add_route("/catalog", resources.catalog, methods=read)
    app.add_route("/ontology", resources.ontology, methods=read)
    app.add_route(
        "/context.jsonld", lambda request: resources.file(request, "context.jsonld"), methods=read
    )
    app.add_route(
        "/validation/report.ttl",
        lambda request: resources.file(request, "validation/report.ttl"),
        methods=read,
    )
    app.add_route(
        "/dumps/{path:path}",
        lambda request: resources.file(request, "dumps/" + request.path_params["path"]),
        methods=read,
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

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
    app.add_middleware(ResponseHeadersMiddleware)
    # Outermost, so that what it keeps carries the headers every response gets. Pages from a
    # remote endpoint are not kept: its data may change.
    app.add_middleware(FrontCache, capacity=0 if settings.endpoint else settings.response_cache)
    return app


def create_app_from_environment() -> FastAPI:
    """The app for a server process `uvicorn --workers` started: settings from the environment."""
    return create_app(Settings.load(), Path(os.environ[PUBLICATION_ENV]))
