"""The work the server hands to whatever holds the store: a SPARQL query, a page, a document.

Jobs run in a query worker process next to the embedded store, or in a thread next to a remote
endpoint; either way they take plain arguments and return a `Reply` of bytes, so the web layer
never touches the store and does not care which kind it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from openforum_ld.errors import QueryError
from openforum_ld.store.results import write_result
from openforum_ld.web.negotiation import GRAPH_OFFERS, RESULT_OFFERS, NotAcceptableError, negotiate

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.config import Settings
    from openforum_ld.iris import Iris
    from openforum_ld.store import SparqlStore


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


class JobContext:
    """What jobs share in one process: settings, the store and what is built from it."""

    def __init__(self, settings: Settings, store: SparqlStore, iris: Iris, version: str) -> None:
        self.settings = settings
        self.store = store
        self.iris = iris
        self.version = version

    @cached_property
    def terms(self) -> Any:
        from openforum_ld.rdf.terms import TermLabels

        return TermLabels(self.settings.ontology_dir)

    @cached_property
    def describer(self) -> Any:
        from openforum_ld.views.describe import Describer

        return Describer(self.store, self.iris, self.terms)

    @cached_property
    def shapes(self) -> Any:
        from openforum_ld.publish.site import read_shapes
        from openforum_ld.validate import load_shapes

        return read_shapes(load_shapes(self.settings.shapes_dir))

    @cached_property
    def search_index(self) -> Any:
        from openforum_ld.web.search import SearchIndex

        return SearchIndex.build(self.store, self.iris)


def run_sparql(
    context: JobContext,
    *,
    query: str,
    default_graphs: list[str],
    named_graphs: list[str],
    accept: str | None,
    format_key: str | None,
    limit: int,
) -> Reply | Problem:
    """Run a query and serialize at most `limit` rows in the negotiated format. HTML is the
    server's business (it renders the query page); here it means the standard format."""
    try:
        result = context.store.query(
            query, default_graphs=default_graphs or None, named_graphs=named_graphs or None
        )
    except QueryError as error:
        status = getattr(error, "status", 400)
        title = "Bad query" if status == 400 else "SPARQL endpoint unavailable"
        return Problem(status, title, str(error))
    offers = GRAPH_OFFERS if result.form == "graph" else RESULT_OFFERS
    try:
        offer = negotiate(offers, accept, format_key)
    except NotAcceptableError as error:
        return Problem(406, "Not acceptable", str(error), tuple(error.offered))
    if offer.format is None:  # HTML asked: the caller renders a page from the JSON results
        offer = offers[0]
    assert offer.format is not None
    try:
        written = write_result(result, offer.format, limit, context.iris.base)
    except (OSError, ValueError, SyntaxError) as error:
        # pyoxigraph evaluates lazily: errors such as a failed SERVICE call surface here.
        return Problem(400, "Bad query", str(error))
    headers = {"X-Openforum-Row-Limit": str(limit)}
    if written.truncated:
        headers["X-Openforum-Truncated"] = "true"
    return Reply(200, offer.media_type, written.body, headers)


JOBS: dict[str, Callable[..., Reply | Problem]] = {
    "sparql": run_sparql,
}


def run_job(context: JobContext, name: str, arguments: dict[str, Any]) -> Reply | Problem:
    """Run one named job; an unexpected failure is a 500 problem, never a crash of the worker."""
    from openforum_ld.web.pagejobs import JOBS as PAGE_JOBS

    job = JOBS.get(name) or PAGE_JOBS.get(name)
    if job is None:
        return Problem(500, "Internal error", f"no job called {name!r}")
    try:
        return job(context, **arguments)
    except QueryError as error:
        return Problem(getattr(error, "status", 400), "Bad query", str(error))
    except Exception as error:  # a worker answers every job; the web side logs the detail
        return Problem(500, "Internal error", f"{type(error).__name__}: {error}")
