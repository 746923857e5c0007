"""`/sparql`: the SPARQL 1.1 Protocol for a read-only endpoint.

Queries come by GET, by POST of a form, or by POST of `application/sparql-query`, with
`default-graph-uri` and `named-graph-uri`. Updates, by any route, are refused. Without a query,
browsers get the query page and RDF clients the service description.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.responses import Response

from openforum_ld.errors import QueryError
from openforum_ld.i18n import LANGUAGES
from openforum_ld.iris import NAMESPACES, VOID
from openforum_ld.rdf.formats import RdfFormat
from openforum_ld.rdf.graph import SD, Graph, graph_bytes, text, typed
from openforum_ld.store.sparql_text import QueryOutline, outline
from openforum_ld.views.sparql import results_table, sparql_page
from openforum_ld.views.urls import ServerUrls
from openforum_ld.web.jobs import Problem, Reply, Sparql
from openforum_ld.web.negotiation import (
    GRAPH_OFFERS,
    RESULT_OFFERS,
    NotAcceptableError,
    negotiate,
    negotiate_language,
)

if TYPE_CHECKING:
    from starlette.requests import Request

    from openforum_ld.config import Settings
    from openforum_ld.web.app import Server

FORMATS_NS = "http://www.w3.org/ns/formats/"
_RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
)


@dataclass(frozen=True)
class ProtocolRequest:
    """The parameters of a protocol request, from the URL and the body."""

    query: str | None
    update: bool
    default_graphs: list[str]
    named_graphs: list[str]
    format: str | None
    language: str | None


async def read_protocol_request(request: Request) -> ProtocolRequest | Problem:
    """The query and dataset of a request, or the 4xx problem with it."""
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if media_type == "application/x-www-form-urlencoded":
            try:
                pairs += parse_qsl(
                    body.decode("utf-8"), keep_blank_values=True, strict_parsing=False
                )
            except UnicodeDecodeError:
                return Problem(400, "Bad request", "The form is not valid UTF-8.")
        elif media_type == "application/sparql-query":
            if any(name == "query" for name, _ in pairs):
                return Problem(
                    400, "Bad request", "A query was sent both in the body and in the URL."
                )
            try:
                pairs.append(("query", body.decode("utf-8")))
            except UnicodeDecodeError:
                return Problem(400, "Bad request", "The query is not valid UTF-8.")
        elif media_type == "application/sparql-update":
            return _read_only()
        else:
            return Problem(
                415,
                "Unsupported media type",
                "POST a query as application/sparql-query, or as a form "
                "(application/x-www-form-urlencoded) with a `query` field.",
            )
    queries = [value for name, value in pairs if name == "query"]
    update = any(
        name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in pairs
    )
    if update:
        return _read_only()
    if len(queries) > 1:
        return Problem(
            400,
            "Bad request",
            "Send one query per request: the request has several `query` parameters.",
        )
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        return Problem(400, "Bad request", "The query is empty.")
    formats = [value for name, value in pairs if name == "format"]
    languages = [value for name, value in pairs if name == "lang"]
    return ProtocolRequest(
        query=query,
        update=False,
        default_graphs=[value for name, value in pairs if name == "default-graph-uri"],
        named_graphs=[value for name, value in pairs if name == "named-graph-uri"],
        format=formats[-1] if formats else None,
        language=languages[-1] if languages and languages[-1] in LANGUAGES else None,
    )


def _read_only() -> Problem:
    return Problem(
        403,
        "Read-only endpoint",
        "This SPARQL endpoint is read-only: it answers queries and refuses SPARQL Update.",
    )


def service_description(
    endpoint: str, settings: Settings, triples: int, graphs: tuple[str, ...]
) -> Graph:
    """The SPARQL 1.1 service description: languages, result formats, features, the dataset."""
    graph = Graph()
    rdf_type = NAMESPACES["rdf"] + "type"
    graph.add(endpoint, rdf_type, SD + "Service")
    graph.add(endpoint, SD + "endpoint", endpoint)
    graph.add(endpoint, SD + "supportedLanguage", SD + "SPARQL11Query")
    for name in _RESULT_FORMAT_IRIS:
        graph.add(endpoint, SD + "resultFormat", FORMATS_NS + name)
    graph.add(endpoint, SD + "feature", SD + "UnionDefaultGraph")
    if settings.federation:
        graph.add(endpoint, SD + "feature", SD + "BasicFederatedQuery")
    dataset = endpoint + "#dataset"
    default = endpoint + "#default-graph"
    graph.add(endpoint, SD + "defaultDataset", dataset)
    graph.add(dataset, rdf_type, SD + "Dataset")
    graph.add(dataset, SD + "defaultGraph", default)
    graph.add(default, rdf_type, SD + "Graph")
    graph.add(
        default,
        NAMESPACES["dcterms"] + "description",
        text(
            "The union of the data graphs: every statement of every source section, the editors' additions, the source descriptions and the computed mentions."
        ),
    )
    graph.add(default, VOID + "triples", typed(triples, "integer"))
    for index, name in enumerate(graphs, start=1):
        node = endpoint + f"#named-graph-{index}"
        graph.add(dataset, SD + "namedGraph", node)
        graph.add(node, rdf_type, SD + "NamedGraph")
        graph.add(node, SD + "name", name)
    graph.add(dataset, NAMESPACES["rdfs"] + "seeAlso", settings.base_uri + ".well-known/void")
    return graph


class SparqlEndpoint:
    """Answers `/sparql`."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.settings = server.settings
        self.iris = server.iris

    @property
    def endpoint(self) -> str:
        return self.server.manifest.base + "sparql"

    async def answer(self, request: Request) -> Response | Problem:
        """The response to a protocol request, or the problem to report."""
        parsed = await read_protocol_request(request)
        if isinstance(parsed, Problem):
            return parsed
        accept = request.headers.get("accept")
        language = negotiate_language(parsed.language, request.headers.get("accept-language"))
        if parsed.query is None:
            return self._without_query(parsed, accept, language)
        return await self._answer_query(parsed, accept, language)

    async def answer_posted_query(
        self, query: str, accept: str | None
    ) -> Response | Problem | None:
        """The response to a query POSTed as `application/sparql-query` with no parameters in
        the URL, the form almost every client sends, or the problem to report: the same as
        `answer` gives, without a Request. None when the answer would be the HTML query page
        (the caller asks `answer` then), or when `answer` would find the request wrong; no job
        has run then."""
        if not query.strip():
            return None
        try:
            shape = outline(query)
        except QueryError:
            return None
        if shape.form is None or (shape.uses_service and not self.settings.federation):
            return None
        try:
            offer = negotiate(
                GRAPH_OFFERS if shape.form == "graph" else RESULT_OFFERS, accept, None
            )
        except NotAcceptableError:
            return None
        if offer.format is None:
            return None
        parsed = ProtocolRequest(query, False, [], [], None, None)
        return await self._answer_query(parsed, accept, "", shape)

    async def _answer_query(
        self,
        parsed: ProtocolRequest,
        accept: str | None,
        language: str,
        shape: QueryOutline | None = None,
    ) -> Response | Problem:
        assert parsed.query is not None
        if shape is None:
            try:
                shape = outline(parsed.query)
            except QueryError as error:
                return Problem(400, "Query too complex", str(error))
        if not self.settings.federation and shape.uses_service:
            return Problem(
                400,
                "SERVICE is switched off",
                "This endpoint does not call other endpoints: the query uses SERVICE, and federation "
                "is switched off (OPENFORUM_LD_FEDERATION).",
            )
        form = shape.form
        if form is None:
            return Problem(400, "Bad query", "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
        try:
            offer = negotiate(
                GRAPH_OFFERS if form == "graph" else RESULT_OFFERS, accept, parsed.format
            )
        except NotAcceptableError as error:
            return Problem(406, "Not acceptable", str(error), tuple(error.offered))
        wants_html = offer.format is None
        # Results are kept to answer repeats, from the second time a query is asked, but never
        # one that may differ from one run to the next (RAND, NOW, UUID, STRUUID, BNODE, SERVICE).
        key = (
            "sparql",
            parsed.query,
            tuple(parsed.default_graphs),
            tuple(parsed.named_graphs),
            None if wants_html else offer.key,
        )
        cache = self.server.cache if shape.repeatable else None
        kept: Reply | None = cache.get(key) if cache is not None else None
        if kept is not None and not wants_html:
            return Response(
                kept.body, kept.status, _result_headers(kept), media_type=kept.media_type
            )
        job = Sparql(
            query=parsed.query,
            default_graphs=tuple(parsed.default_graphs),
            named_graphs=tuple(parsed.named_graphs),
            accept=None if wants_html else accept,
            format_key=None if wants_html else parsed.format,
            limit=self.settings.row_limit,
        )
        outcome = kept or await self.server.run(job)
        if cache is not None and isinstance(outcome, Reply) and outcome.status == 200:
            cost = len(outcome.body) + len(parsed.query)
            cache.put_on_repeat(key, outcome, cost)
        if wants_html:
            return self._page(language, parsed, outcome)
        if isinstance(outcome, Problem):
            return outcome
        return Response(
            outcome.body, outcome.status, _result_headers(outcome), media_type=outcome.media_type
        )

    def _without_query(
        self, parsed: ProtocolRequest, accept: str | None, language: str
    ) -> Response | Problem:
        try:
            offer = negotiate(GRAPH_OFFERS, accept, parsed.format)
        except NotAcceptableError as error:
            return Problem(406, "Not acceptable", str(error), tuple(error.offered))
        if offer.format is None:
            return self._page(language, parsed, None)
        assert isinstance(offer.format, RdfFormat)
        manifest = self.server.manifest
        description = service_description(
            self.endpoint, self.settings, manifest.triples, manifest.graphs
        )
        body = graph_bytes(description, offer.format, manifest.base)
        return Response(body, 200, {"Vary": "Accept"}, media_type=offer.media_type)

    def _page(
        self, language: str, parsed: ProtocolRequest, outcome: Reply | Problem | None
    ) -> Response:
        urls = ServerUrls(self.iris, parsed.language)
        table = graph_text = None
        problem = outcome if isinstance(outcome, Problem) else None
        truncated = False
        if isinstance(outcome, Reply):
            truncated = outcome.headers.get("X-Openforum-Truncated") == "true"
            if outcome.media_type == "application/sparql-results+json":
                table = results_table(json.loads(outcome.body), urls, self.iris)
            else:
                graph_text = outcome.body.decode("utf-8")
        manifest = self.server.manifest
        page = sparql_page(
            urls,
            language,
            manifest.examples,
            manifest.graphs,
            language_choice=parsed.language,
            query=parsed.query or "",
            selected_format=parsed.format or "html",
            table=table,
            graph_text=graph_text,
            truncated=truncated,
            problem=problem,
            timeout=f"{self.settings.timeout:g}",
            row_limit=self.settings.row_limit,
        )
        html = self.server.renderer(language, urls).render(page)
        headers = {"Vary": "Accept, Accept-Language"}
        if truncated:
            headers["X-Openforum-Truncated"] = "true"
        status = problem.status if problem else 200
        return Response(html, status, headers, media_type="text/html; charset=utf-8")


def _result_headers(reply: Reply) -> dict[str, str]:
    return {"Vary": "Accept", **reply.headers}
