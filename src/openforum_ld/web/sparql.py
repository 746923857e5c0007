"""`/sparql`: the SPARQL 1.1 Protocol for a read-only endpoint.

Queries come by GET, by POST of a form, or by POST of `application/sparql-query`, with
`default-graph-uri` and `named-graph-uri`. Updates, by any route, are refused. Without a query,
browsers get the query page and RDF clients the service description.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.responses import Response

from openforum_ld.errors import QueryError
from openforum_ld.i18n import LANGUAGES
from openforum_ld.iris import NAMESPACES, VOID, Iris, ServerUrls, linkable
from openforum_ld.publish.catalog import Graph, write_graph_to
from openforum_ld.rdf.formats import RDF_FORMATS, RESULTS_FORMATS, RdfFormat
from openforum_ld.store.sparql_text import outline
from openforum_ld.web.http import BoundedCache
from openforum_ld.web.jobs import Problem, Reply
from openforum_ld.web.negotiation import (
    GRAPH_OFFERS,
    RESULT_OFFERS,
    NotAcceptableError,
    negotiate,
    negotiate_language,
)

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.requests import Request

    from openforum_ld.config import Settings
    from openforum_ld.views.pages import PageRenderer
    from openforum_ld.web.engine import Engine

SD = "http://www.w3.org/ns/sparql-service-description#"
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


@dataclass(frozen=True)
class Example:
    """An example query from `queries/`, with its title in each language."""

    name: str
    titles: dict[str, str]
    query: str


def read_examples(directory: Path) -> list[Example]:
    """The example queries, in file-name order."""
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles = {}
        for line in text.splitlines()[:3]:
            match = re.match(r"# title(?:-(\w+))?: (.*)", line)
            if match:
                titles[match.group(1) or "en"] = match.group(2).strip()
        examples.append(Example(path.stem, titles, text))
    return examples


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
    from openforum_ld.publish.catalog import text, typed

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


def _reply_cost(key: tuple[object, ...], reply: Reply) -> int:
    return len(reply.body) + sum(len(part) for part in key if isinstance(part, str))


class SparqlEndpoint:
    """Answers `/sparql`."""

    def __init__(
        self, engine: Engine, settings: Settings, renderer: Any, examples: list[Example]
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.renderer = renderer  # (language, urls) -> PageRenderer
        self.examples = examples
        self.iris = Iris(settings.base_uri)
        # Only the embedded store's answers are kept: a remote endpoint's data may change.
        self.cache: BoundedCache[tuple[object, ...], Reply] = BoundedCache(
            0 if settings.endpoint else settings.query_cache, _reply_cost, share=16
        )

    @property
    def endpoint(self) -> str:
        return self.settings.base_uri + "sparql"

    async def answer(self, request: Request) -> Response | Problem:
        """The response to a protocol request, or the problem to report."""
        parsed = await read_protocol_request(request)
        if isinstance(parsed, Problem):
            return parsed
        accept = request.headers.get("accept")
        language = negotiate_language(parsed.language, request.headers.get("accept-language"))
        if parsed.query is None:
            return self._without_query(parsed, accept, language)
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
        key = (
            parsed.query,
            tuple(parsed.default_graphs),
            tuple(parsed.named_graphs),
            None if wants_html else offer.key,
        )
        kept = self.cache.get(key) if self.cache.capacity else None
        if kept is not None and not wants_html:
            return Response(
                kept.body, kept.status, _result_headers(kept), media_type=kept.media_type
            )
        arguments = {
            "query": parsed.query,
            "default_graphs": parsed.default_graphs,
            "named_graphs": parsed.named_graphs,
            "accept": None if wants_html else accept,
            "format_key": None if wants_html else parsed.format,
            "limit": self.settings.row_limit,
        }
        outcome = kept or await self.engine.run("sparql", arguments, self.settings.timeout)
        if self.cache.capacity and isinstance(outcome, Reply) and outcome.status == 200:
            self.cache.put(key, outcome)
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
        description = service_description(
            self.endpoint, self.settings, self.engine.info.triples, self.engine.info.graphs
        )
        body = write_graph_to(description, offer.format, self.settings.base_uri)
        return Response(body, 200, {"Vary": "Accept"}, media_type=offer.media_type)

    def _page(
        self, language: str, parsed: ProtocolRequest, outcome: Reply | Problem | None
    ) -> Response:
        urls = ServerUrls(self.iris, parsed.language)
        renderer: PageRenderer = self.renderer(language, urls)
        table = graph_text = None
        problem = outcome if isinstance(outcome, Problem) else None
        truncated = False
        if isinstance(outcome, Reply):
            truncated = outcome.headers.get("X-Openforum-Truncated") == "true"
            if outcome.media_type == "application/sparql-results+json":
                table = results_table(json.loads(outcome.body), urls, self.iris)
            else:
                graph_text = outcome.body.decode("utf-8")
        html = renderer.sparql(
            endpoint=urls.root + "sparql",
            language_choice=parsed.language,
            query=parsed.query or "",
            examples=[
                {"title": e.titles.get(language) or e.titles.get("en", e.name), "query": e.query}
                for e in self.examples
            ],
            formats=_html_formats(renderer),
            selected_format=parsed.format or "html",
            table=table,
            graph_text=graph_text,
            truncated=truncated,
            problem=problem,
            timeout=f"{self.settings.timeout:g}",
            row_limit=self.settings.row_limit,
            graphs=self.engine.info.graphs,
        )
        headers = {"Vary": "Accept, Accept-Language"}
        if truncated:
            headers["X-Openforum-Truncated"] = "true"
        status = problem.status if problem else 200
        return Response(html, status, headers, media_type="text/html; charset=utf-8")


def _result_headers(reply: Reply) -> dict[str, str]:
    return {"Vary": "Accept", **reply.headers}


def _html_formats(renderer: PageRenderer) -> list[dict[str, str]]:
    options = [{"key": "html", "label": renderer.t("format_html")}]
    options += [{"key": f.key, "label": f.label} for f in RESULTS_FORMATS]
    options += [{"key": f.key, "label": f.label} for f in RDF_FORMATS]
    return options


def results_table(results: dict[str, Any], urls: ServerUrls, iris: Iris) -> dict[str, Any]:
    """SPARQL JSON results as rows of cells a template can show."""
    if "boolean" in results:
        return {"variables": [], "rows": [], "boolean": results["boolean"]}
    variables = results["head"]["vars"]
    rows = []
    for binding in results["results"]["bindings"]:
        row = []
        for name in variables:
            term = binding.get(name)
            cell: dict[str, str | None] = {"text": "", "href": None, "language": None, "note": None}
            if term is None:
                pass
            elif term["type"] == "uri":
                value = term["value"]
                cell |= {
                    "text": value,
                    "href": urls.resource(value)
                    if iris.is_local(value)
                    else value
                    if linkable(value)
                    else None,
                }
            elif term["type"] == "bnode":
                cell["text"] = "_:" + term["value"]
            else:
                note = term.get("xml:lang") or term.get("datatype", "").rsplit("#", 1)[-1] or None
                cell |= {"text": term["value"], "language": term.get("xml:lang"), "note": note}
            row.append(cell)
        rows.append(row)
    return {"variables": variables, "rows": rows, "boolean": None}
