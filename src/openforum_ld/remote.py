"""A store that is an existing SPARQL 1.1 endpoint (Oxigraph server, Fuseki, QLever, Virtuoso).

It answers the same `query`/`select` the embedded store answers, with the same result objects,
so the pages and the endpoint run unchanged on a dataset that outgrew one machine. The endpoint's
default graph is expected to be the union of the data graphs, as the build's dumps load it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox

from openforum_ld.errors import QueryError
from openforum_ld.iris import NAMESPACES
from openforum_ld.store import QueryResult
from openforum_ld.store.sparql_text import query_form

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


class RemoteStore:
    """SPARQL over HTTP, answering like the embedded store."""

    def __init__(self, endpoint: str, timeout: float) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
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
    ) -> QueryResult:
        """Send the query with the predeclared prefixes; parse the answer into result objects."""
        prologue = "".join(
            f"PREFIX {p}: <{ns}>\n" for p, ns in NAMESPACES.items() if f"{p}:" in sparql
        )
        form = query_form(sparql)
        params: list[tuple[str, str | int | float | bool | None]] = [
            ("default-graph-uri", g) for g in default_graphs or ()
        ]
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        try:
            response = self._client.post(
                self.endpoint,
                params=params,
                content=(prologue + sparql).encode("utf-8"),
                headers={"Content-Type": "application/sparql-query", "Accept": _ACCEPT[form]},
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
        result = self.query(sparql)
        names = result.variables
        return [
            {
                name: term
                for name, term in zip(names, row, strict=True)
                if term is not None and not isinstance(term, ox.Triple)
            }
            for row in result.rows()
        ]
