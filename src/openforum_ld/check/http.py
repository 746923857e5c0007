"""HTTP done right on the entity and the dataset documents: HEAD, Vary on negotiated
responses, validators that give 304, and 404 for what is not there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.check.client import FetchError, describe, header_tokens
from openforum_ld.check.conneg import FIREFOX, JENA
from openforum_ld.check.probe import (
    ProbeList,
    SkipError,
    Verdict,
    combine,
    failed,
    passed,
    skipped,
)

if TYPE_CHECKING:
    import httpx

    from openforum_ld.check.discovery import Deployment

probes = ProbeList()

#: Headers a HEAD must answer with as the GET does (RFC 9110, section 9.3.2).
_SAME_AS_GET = ("content-type", "etag", "last-modified", "vary")


def _targets(deployment: Deployment) -> list[tuple[str, str]]:
    """(URL, Accept) pairs: the entity as a browser and as an RDF client, and the start URL."""
    targets = []
    try:
        iri = deployment.entity()
        targets += [(iri, FIREFOX.accept), (iri, JENA.accept)]
    except SkipError:
        pass
    return [*targets, (deployment.url, "*/*")]


def _head_matches(deployment: Deployment, url: str, accept: str) -> Verdict:
    get = deployment.get(url, accept)
    head = deployment.client.send("HEAD", url, accept=accept)
    exchange = describe(head)
    differences = []
    if head.status_code != get.status_code:
        differences.append(f"status {head.status_code}, GET gives {get.status_code}")
    for name in _SAME_AS_GET:
        if head.headers.get(name) != get.headers.get(name):
            differences.append(
                f"{name}: {head.headers.get(name)!r}, GET gives {get.headers.get(name)!r}"
            )
    length = head.headers.get("content-length")
    if (
        length is not None
        and "content-length" in get.headers
        and length != get.headers["content-length"]
    ):
        differences.append(
            f"content-length: {length}, GET gives {get.headers['content-length']} "
            "(a HEAD may leave it out, never state another length)"
        )
    if differences:
        return failed(f"{exchange}: " + "; ".join(differences))
    return passed(exchange)


@probes.add("http.head", "HEAD answers with the status and headers GET gives")
def head(deployment: Deployment) -> Verdict:
    return combine(
        [_head_matches(deployment, url, accept) for url, accept in _targets(deployment)],
        "nothing to compare",
    )


def _chain(response: httpx.Response) -> list[httpx.Response]:
    return [*response.history, response]


@probes.add("http.vary", "Responses that depend on Accept carry Vary: Accept")
def vary(deployment: Deployment) -> Verdict:
    iri = deployment.entity()
    browser = deployment.get(iri, FIREFOX.accept)
    client = deployment.get(iri, JENA.accept)
    for one, other in zip(_chain(browser), _chain(client), strict=False):
        if one.url != other.url:
            break
        differs = (
            one.status_code != other.status_code
            or one.headers.get("location") != other.headers.get("location")
            or one.headers.get("content-type") != other.headers.get("content-type")
        )
        if not differs:
            continue
        missing = [
            describe(r) + f": Vary: {r.headers.get('vary', '(none)')}"
            for r in (one, other)
            if not header_tokens(r, "vary") & {"accept", "*"}
        ]
        if missing:
            return failed(
                f"<{one.url}> answers according to Accept without Vary: Accept, so a "
                "cache can give a browser's page to an RDF client:\n" + "\n".join(missing)
            )
        return passed(f"<{one.url}>: Vary: {one.headers.get('vary')}")
    return skipped(f"<{iri}> answers a browser and an RDF client alike: nothing is negotiated")


def _revalidates(
    deployment: Deployment, url: str, accept: str, validator: str, condition: str
) -> Verdict | None:
    response = deployment.get(url, accept)
    value = response.headers.get(validator)
    if value is None or not response.is_success:
        return None
    again = deployment.client.send("GET", url, accept=accept, headers={condition: value})
    exchange = describe(again)
    if again.status_code != 304:
        return failed(f"{exchange}: expected 304 Not Modified")
    return passed(exchange)


def _entity_revalidation(deployment: Deployment, validator: str, condition: str) -> list[Verdict]:
    iri = deployment.entity()
    found = [
        _revalidates(deployment, iri, accept, validator, condition)
        for accept in (FIREFOX.accept, JENA.accept)
    ]
    return [v for v in found if v is not None]


@probes.add("http.etag", "An entity's ETag gives 304 Not Modified on If-None-Match")
def etag(deployment: Deployment) -> Verdict:
    verdicts = _entity_revalidation(deployment, "etag", "If-None-Match")
    if not verdicts:
        iri = deployment.entity()
        return failed(
            f"{describe(deployment.get(iri, JENA.accept))}: no ETag, so clients and caches "
            "must download the representation again every time"
        )
    return combine(verdicts, "")


@probes.add(
    "http.last-modified", "An entity's Last-Modified gives 304 Not Modified on If-Modified-Since"
)
def last_modified(deployment: Deployment) -> Verdict:
    verdicts = _entity_revalidation(deployment, "last-modified", "If-Modified-Since")
    return combine(verdicts, f"<{deployment.entity()}> sends no Last-Modified")


def _document_revalidation(deployment: Deployment, url: str) -> Verdict | None:
    """A conditional GET of a document that may be large: the body is never read."""
    with deployment.client.stream(url, accept="*/*") as first:
        value = first.headers.get("etag")
        if value is None or not first.is_success:
            return None
    with deployment.client.stream(url, accept="*/*", headers={"If-None-Match": value}) as again:
        exchange = describe(again)
        if again.status_code != 304:
            return failed(f"{exchange}: expected 304 Not Modified")
        return passed(exchange)


@probes.add(
    "http.etag-documents",
    "VoID, catalog and dumps that send an ETag give 304 Not Modified on If-None-Match",
)
def etag_documents(deployment: Deployment) -> Verdict:
    urls = []
    if deployment.void.graph is not None:
        urls.append(deployment.void_url)
    catalog, _ = deployment.catalog
    if catalog is not None and catalog.graph is not None and catalog.url not in urls:
        urls.append(catalog.url)
    dumps = [d for d in deployment.dumps if deployment.client.allows(d.url)]
    if dumps:
        urls.append(min(dumps, key=lambda d: d.byte_size or 0).url)
    verdicts = []
    for url in urls:
        try:
            found = _document_revalidation(deployment, url)
        except FetchError as error:
            found = failed(str(error))
        if found is not None:
            verdicts.append(found)
    return combine(verdicts, "no VoID, catalog or dump sends an ETag")


@probes.add("http.not-found", "An IRI the deployment does not have gets 404 (or 410)")
def not_found(deployment: Deployment) -> Verdict:
    response = deployment.get(deployment.missing_url, "*/*")
    exchange = describe(response)
    if response.status_code not in (404, 410):
        return failed(f"{exchange}: expected 404 Not Found for an IRI that names nothing")
    return passed(exchange)
