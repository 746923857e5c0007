"""A store that is an existing SPARQL 1.1 endpoint (Oxigraph server, Fuseki, QLever, Virtuoso).

It answers the same `query`/`select` the embedded store answers, with the same result objects,
so the pages and the endpoint run unchanged on a dataset that outgrew one machine. The endpoint
holds the build's dumps: the named graphs as they are, and the union of the data graphs in a
graph of its own (README, "Serving from an existing SPARQL server").
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from openforum_ld.errors import QueryError
from openforum_ld.iris import NAMESPACES
from openforum_ld.store import QueryResult
from openforum_ld.store.sparql_text import outline

if TYPE_CHECKING:
    from collections.abc import Sequence

    from openforum_ld.store import Value

_ACCEPT = {
    "select": "application/sparql-results+json",
    "ask": "application/sparql-results+json",
    "graph": "application/n-triples",
}


class RemoteEndpointError(QueryError):
    """The remote endpoint could not be reached, was too slow, or failed."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


#: The longest GET request line sent; a longer query goes as a form POST. Every SPARQL 1.1
#: server takes a form POST, and GET and form POST are what Virtuoso 7.2 answers (a direct POST
#: of application/sparql-query it leaves unanswered).
LONGEST_GET = 2000


class RemoteStore:
    """SPARQL over HTTP, answering like the embedded store.

    A query that names no dataset (no FROM, no default-graph-uri or named-graph-uri) is sent
    with the dataset the embedded store has: `default_graph`, the graph the union of the data
    graphs was loaded into, as its default-graph-uri, and, when it reads named graphs, the data
    graphs as named-graph-uri. An endpoint's own default graph may hold more (Virtuoso's holds
    its system graphs), and once a dataset is given, a server that follows the protocol shows a
    query only the named graphs it names."""

    def __init__(
        self,
        endpoint: str,
        timeout: float,
        default_graph: str | None = None,
        named_graphs: tuple[str, ...] = (),
    ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.default_graph = default_graph
        self.named_graphs = named_graphs
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": "openforum-ld"})

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Send the query with the predeclared prefixes, and `base_iri` as its BASE unless it
        declares its own; parse the answer into result objects."""
        prologue = "".join(
            f"PREFIX {p}: <{ns}>\n" for p, ns in NAMESPACES.items() if f"{p}:" in sparql
        )
        shape = outline(sparql)
        # Not both: Virtuoso 7.2 refuses a second BASE, although SPARQL allows one.
        if base_iri is not None and not shape.declares_base:
            prologue = f"BASE <{base_iri}>\n" + prologue
        if shape.form is None:
            raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
        form = shape.form
        params = [("query", prologue + sparql)]
        params += [("default-graph-uri", g) for g in default_graphs or ()]
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        if (
            self.default_graph
            and not default_graphs
            and not named_graphs
            and not shape.names_dataset
        ):
            params.append(("default-graph-uri", self.default_graph))
            if shape.uses_graph:
                params += [("named-graph-uri", g) for g in self.named_graphs]
        encoded = urlencode(params)
        headers = {"Accept": _ACCEPT[form]}
        try:
            if len(self.endpoint) + 1 + len(encoded) <= LONGEST_GET:
                separator = "&" if "?" in self.endpoint else "?"
                response = self._client.get(self.endpoint + separator + encoded, headers=headers)
            else:
                response = self._client.post(
                    self.endpoint,
                    content=encoded.encode("ascii"),
                    headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
                )
        except httpx.TimeoutException:
            raise RemoteEndpointError(
                f"the SPARQL endpoint {self.endpoint} did not answer within {self.timeout:g} s", 504
            ) from None
        except httpx.HTTPError as error:
            raise RemoteEndpointError(
                f"the SPARQL endpoint {self.endpoint} cannot be reached: {error}", 502
            ) from None
        if response.status_code == 400:
            raise QueryError(response.text.strip() or "the endpoint refused the query")
        if response.status_code >= 300:
            raise RemoteEndpointError(
                f"the SPARQL endpoint {self.endpoint} answered {response.status_code}: {response.text[:200].strip()}",
                502,
            )
        if form == "graph":
            triples = [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
            return QueryResult("graph", triples)
        parsed = ox.parse_query_results(
            io.BytesIO(response.content), format=ox.QueryResultsFormat.JSON
        )
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult("ask", parsed)
        return QueryResult("select", parsed)

    def select(self, sparql: str) -> list[dict[str, Value]]:
        """Run a SELECT query and return its rows as dicts of bound variables."""
        return self.query(sparql).bindings()
