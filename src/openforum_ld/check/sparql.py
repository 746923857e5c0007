"""The SPARQL 1.1 Protocol basics: the three ways to send a query, the result formats, errors,
and updates refused by a read-only endpoint (which must leave the data as it was)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from openforum_ld.check.client import FetchError, describe, header_tokens, media_type
from openforum_ld.check.discovery import RESULTS_JSON
from openforum_ld.check.probe import ProbeList, SkipError, Verdict, failed, passed
from openforum_ld.check.rdf import RdfError, parse_rdf, parse_results

if TYPE_CHECKING:
    import httpx

    from openforum_ld.check.discovery import Deployment

probes = ProbeList()

SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
MALFORMED = "SELECT * WHERE { this is not SPARQL"
FORM = "application/x-www-form-urlencoded"


def endpoint_url(deployment: Deployment) -> str:
    """The endpoint that answers. SkipError when there is none."""
    endpoint = deployment.sparql
    if endpoint is None or not endpoint.answers:
        raise SkipError("no SPARQL endpoint answers (see sparql.endpoint)")
    return endpoint.url


def with_query(url: str, query: str) -> str:
    """The endpoint URL with `query=` added, as a GET sends it."""
    return url + ("&" if "?" in url else "?") + urlencode({"query": query})


def _marker(deployment: Deployment) -> str:
    return f"urn:uuid:{deployment.token}"


def _update(deployment: Deployment, verb: str = "INSERT") -> str:
    marker = _marker(deployment)
    return f'{verb} DATA {{ <{marker}> <{marker}> "openforum-ld check: an update a read-only endpoint must refuse" }}'


def _select_verdict(response: httpx.Response, expected: str, rows: int | None = None) -> Verdict:
    exchange = describe(response)
    if response.status_code != 200:
        return failed(f"{exchange}: expected 200")
    if media_type(response) != expected:
        return failed(f"{exchange}: expected {expected}")
    try:
        result = parse_results(response.content, expected)
    except RdfError as error:
        return failed(f"{exchange}: the results do not parse: {error}")
    if result.type != "SELECT":
        return failed(f"{exchange}: not SELECT results")
    found = len(list(result))
    if rows is not None and found != rows:
        return failed(f"{exchange}: {found} rows, where SPARQL JSON gave {rows}")
    return passed(f"{exchange}: {found} rows")


@probes.add("sparql.endpoint", "A SPARQL endpoint is given or found, and answers an ASK")
def endpoint(deployment: Deployment) -> Verdict:
    found = deployment.sparql
    if found is None:
        return failed(
            "no SPARQL endpoint: --sparql was not given, VoID and DCAT name none on this "
            "origin, and neither sparql nor query answers an ASK"
        )
    if not found.answers:
        return failed(
            f"{found.url} (from {found.found_by}): {found.evidence}: expected 200 with a "
            "SPARQL JSON boolean"
        )
    return passed(f"{found.url} (from {found.found_by}): {found.evidence}")


@probes.add("sparql.get", "SELECT by GET with query= gives SPARQL JSON results")
def query_get(deployment: Deployment) -> Verdict:
    url = with_query(endpoint_url(deployment), SELECT)
    return _select_verdict(deployment.get(url, RESULTS_JSON), RESULTS_JSON)


@probes.add("sparql.post-form", "SELECT by POST of an application/x-www-form-urlencoded form")
def query_post_form(deployment: Deployment) -> Verdict:
    response = deployment.client.send(
        "POST",
        endpoint_url(deployment),
        accept=RESULTS_JSON,
        headers={"Content-Type": FORM},
        content=urlencode({"query": SELECT}),
    )
    return _select_verdict(response, RESULTS_JSON)


@probes.add("sparql.post-direct", "SELECT by POST of application/sparql-query")
def query_post_direct(deployment: Deployment) -> Verdict:
    response = deployment.client.send(
        "POST",
        endpoint_url(deployment),
        accept=RESULTS_JSON,
        headers={"Content-Type": "application/sparql-query"},
        content=SELECT,
    )
    return _select_verdict(response, RESULTS_JSON)


def _json_rows(deployment: Deployment) -> int | None:
    response = deployment.get(with_query(endpoint_url(deployment), SELECT), RESULTS_JSON)
    try:
        return len(list(parse_results(response.content, RESULTS_JSON)))
    except RdfError:
        return None


def _results_probe(key: str, media: str, label: str) -> None:
    @probes.add(f"sparql.results-{key}", f"SELECT results as {label} when Accept asks for {media}")
    def results(deployment: Deployment) -> Verdict:
        url = with_query(endpoint_url(deployment), SELECT)
        return _select_verdict(deployment.get(url, media), media, _json_rows(deployment))


for _key, _media, _label in (
    ("json", RESULTS_JSON, "SPARQL JSON"),
    ("xml", "application/sparql-results+xml", "SPARQL XML"),
    ("csv", "text/csv", "CSV"),
    ("tsv", "text/tab-separated-values", "TSV"),
):
    _results_probe(_key, _media, _label)


@probes.add("sparql.ask", "ASK gives a SPARQL JSON boolean")
def ask(deployment: Deployment) -> Verdict:
    response = deployment.get(with_query(endpoint_url(deployment), ASK), RESULTS_JSON)
    exchange = describe(response)
    if response.status_code != 200 or media_type(response) != RESULTS_JSON:
        return failed(f"{exchange}: expected 200 {RESULTS_JSON}")
    try:
        result = parse_results(response.content, RESULTS_JSON)
    except RdfError as error:
        return failed(f"{exchange}: does not parse: {error}")
    if result.type != "ASK":
        return failed(f"{exchange}: not an ASK result")
    return passed(f"{exchange}: {str(result.askAnswer).lower()}")


@probes.add("sparql.construct-turtle", "CONSTRUCT gives Turtle when Accept asks for text/turtle")
def construct_turtle(deployment: Deployment) -> Verdict:
    url = with_query(endpoint_url(deployment), CONSTRUCT)
    response = deployment.get(url, "text/turtle")
    exchange = describe(response)
    if response.status_code != 200 or media_type(response) != "text/turtle":
        return failed(f"{exchange}: expected 200 text/turtle")
    try:
        graph = parse_rdf(response.content, "text/turtle", str(response.url))
    except RdfError as error:
        return failed(f"{exchange}: does not parse: {error}")
    return passed(f"{exchange}: {len(graph)} triples")


@probes.add("sparql.vary", "Results chosen by Accept say so with Vary: Accept")
def vary(deployment: Deployment) -> Verdict:
    response = deployment.get(with_query(endpoint_url(deployment), SELECT), RESULTS_JSON)
    exchange = describe(response)
    tokens = header_tokens(response, "vary")
    if "accept" not in tokens and "*" not in tokens:
        shown = response.headers.get("vary", "(no Vary header)")
        return failed(
            f"{exchange}: Vary: {shown}; caches may serve these results to a client that asked for another format"
        )
    return passed(f"{exchange}: Vary: {response.headers['vary']}")


@probes.add("sparql.not-acceptable", "An Accept the endpoint cannot satisfy gets 406")
def not_acceptable(deployment: Deployment) -> Verdict:
    url = with_query(endpoint_url(deployment), SELECT)
    response = deployment.get(url, "application/x-nonexistent")
    exchange = describe(response)
    if response.status_code != 406:
        return failed(f"{exchange}: expected 406 Not Acceptable")
    return passed(exchange)


@probes.add("sparql.bad-query", "A query that does not parse gets 400")
def bad_query(deployment: Deployment) -> Verdict:
    response = deployment.get(with_query(endpoint_url(deployment), MALFORMED), RESULTS_JSON)
    exchange = describe(response)
    if response.status_code != 400:
        return failed(f"{exchange}: expected 400 Bad Request")
    return passed(exchange)


def _refused(deployment: Deployment, content_type: str, body: str, cleanup: str) -> Verdict:
    response = deployment.client.send(
        "POST", endpoint_url(deployment), headers={"Content-Type": content_type}, content=body
    )
    exchange = describe(response)
    if 400 <= response.status_code < 500:
        return passed(exchange)
    if response.is_success:
        deployment.accepted_updates.append((content_type, cleanup))
        return failed(f"{exchange}: the update was accepted; expected a 4xx")
    return failed(f"{exchange}: expected a 4xx refusal")


@probes.add(
    "sparql.update-direct",
    "SPARQL Update by POST of application/sparql-update is refused with a 4xx",
)
def update_direct(deployment: Deployment) -> Verdict:
    return _refused(
        deployment,
        "application/sparql-update",
        _update(deployment),
        _update(deployment, "DELETE"),
    )


@probes.add(
    "sparql.update-form", "SPARQL Update by POST of a form with update= is refused with a 4xx"
)
def update_form(deployment: Deployment) -> Verdict:
    return _refused(
        deployment,
        FORM,
        urlencode({"update": _update(deployment)}),
        urlencode({"update": _update(deployment, "DELETE")}),
    )


def _undo(deployment: Deployment) -> list[str]:
    """Send the DELETE DATA that undoes each update the endpoint accepted."""
    notes = []
    for content_type, cleanup in deployment.accepted_updates:
        try:
            undone = deployment.client.send(
                "POST",
                endpoint_url(deployment),
                headers={"Content-Type": content_type},
                content=cleanup,
            )
            notes.append(f"the check removed its triple again: {describe(undone)}")
        except FetchError as error:
            notes.append(f"the check could not remove its triple: {error}")
    return notes


@probes.add("sparql.update-no-effect", "After the updates the data is unchanged")
def update_no_effect(deployment: Deployment) -> Verdict:
    marker = _marker(deployment)
    url = with_query(endpoint_url(deployment), f"ASK {{ <{marker}> ?p ?o }}")
    response = deployment.client.send("GET", url, accept=RESULTS_JSON)
    exchange = describe(response)
    try:
        present = bool(parse_results(response.content, media_type(response)).askAnswer)
    except RdfError as error:
        return failed("\n".join([f"{exchange}: does not parse: {error}", *_undo(deployment)]))
    if not present:
        return passed(f"{exchange}: false")
    return failed(
        "\n".join(
            [f"{exchange}: true: the triple an update inserted is in the data", *_undo(deployment)]
        )
    )
