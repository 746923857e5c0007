"""CORS, so that a web page on another site can read the data: on entities, on the SPARQL
endpoint, on errors too (a script cannot even read the status of an error without it), and a
preflight for the POSTs a browser cannot send without asking first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.check.client import describe, header_tokens
from openforum_ld.check.conneg import JENA
from openforum_ld.check.discovery import RESULTS_JSON
from openforum_ld.check.probe import ProbeList, Verdict, failed, passed
from openforum_ld.check.sparql import MALFORMED, SELECT, endpoint_url, with_query

if TYPE_CHECKING:
    import httpx

    from openforum_ld.check.discovery import Deployment

probes = ProbeList()

#: The page origin the requests say they come from (a reserved name: nothing is sent there).
ORIGIN = "https://openforum-ld-check.example"


def _allowed(response: httpx.Response, expect_error: bool) -> Verdict:
    """Every response on the way (a browser needs CORS on redirects too) allows the origin."""
    exchange = describe(response)
    if expect_error and response.is_success:
        return failed(f"{exchange}: expected an error status to check")
    missing = [
        f"{hop.status_code} from {hop.url}: Access-Control-Allow-Origin: "
        + hop.headers.get("access-control-allow-origin", "(none)")
        for hop in [*response.history, response]
        if hop.headers.get("access-control-allow-origin") not in ("*", ORIGIN)
    ]
    if missing:
        return failed(f"{exchange}: " + "; ".join(missing))
    return passed(
        f"{exchange}: Access-Control-Allow-Origin: {response.headers['access-control-allow-origin']}"
    )


@probes.add("cors.entity", "An entity's RDF allows other origins to read it")
def entity(deployment: Deployment) -> Verdict:
    iri = deployment.entity()
    return _allowed(deployment.get(iri, JENA.accept, {"Origin": ORIGIN}), expect_error=False)


@probes.add("cors.not-found", "A 404 allows other origins to read it")
def not_found(deployment: Deployment) -> Verdict:
    response = deployment.get(deployment.missing_url, "*/*", {"Origin": ORIGIN})
    return _allowed(response, expect_error=True)


@probes.add("cors.sparql", "SPARQL results allow other origins to read them")
def sparql(deployment: Deployment) -> Verdict:
    url = with_query(endpoint_url(deployment), SELECT)
    return _allowed(deployment.get(url, RESULTS_JSON, {"Origin": ORIGIN}), expect_error=False)


@probes.add("cors.sparql-error", "The 400 for a malformed query allows other origins to read it")
def sparql_error(deployment: Deployment) -> Verdict:
    url = with_query(endpoint_url(deployment), MALFORMED)
    return _allowed(deployment.get(url, RESULTS_JSON, {"Origin": ORIGIN}), expect_error=True)


@probes.add(
    "cors.preflight", "A preflight for a POST of application/sparql-query to the endpoint passes"
)
def preflight(deployment: Deployment) -> Verdict:
    response = deployment.client.send(
        "OPTIONS",
        endpoint_url(deployment),
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        follow=False,
    )
    exchange = describe(response)
    problems = []
    if not response.is_success:
        problems.append("expected 200 or 204")
    allowed = response.headers.get("access-control-allow-origin")
    if allowed not in ("*", ORIGIN):
        problems.append(f"Access-Control-Allow-Origin: {allowed or '(none)'}")
    methods = header_tokens(response, "access-control-allow-methods")
    # POST is a CORS-safelisted method: a preflight need not list it, but a list without it
    # (and without *) refuses it.
    if methods and not methods & {"post", "*"}:
        problems.append(f"Access-Control-Allow-Methods: {', '.join(sorted(methods))} (no POST)")
    headers = header_tokens(response, "access-control-allow-headers")
    if not headers & {"content-type", "*"}:
        problems.append(
            "Access-Control-Allow-Headers: "
            + (", ".join(sorted(headers)) if headers else "(none)")
            + " (no Content-Type)"
        )
    if problems:
        return failed(f"{exchange}: " + "; ".join(problems))
    return passed(exchange)
