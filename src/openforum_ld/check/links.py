"""No dangling local links: the sample entities dereference as RDF and as HTML, and every IRI
under the deployment's origin in their RDF, and every same-origin link in their pages, leads
somewhere (2xx, after redirects). The number of links followed is bounded by --max-links."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urldefrag

from rdflib import URIRef

from openforum_ld.check.client import (
    FetchError,
    LeftOriginError,
    describe,
    media_type,
    origin_of,
)
from openforum_ld.check.conneg import FIREFOX, JENA, judge
from openforum_ld.check.probe import ProbeList, Verdict, combine, failed, passed, skipped
from openforum_ld.check.rdf import RdfError, RemoteContextError, html_links, parse_rdf
from openforum_ld.check.report import Outcome

if TYPE_CHECKING:
    from openforum_ld.check.discovery import Deployment

probes = ProbeList()

#: Requests in flight at once while following links: quick, and kind to the server.
CONCURRENCY = 4


@dataclass
class Sampled:
    """A sample entity: how its RDF and its page came back, and where they link."""

    iri: str
    verdicts: list[Verdict] = field(default_factory=list)
    rdf_links: set[str] = field(default_factory=set)
    page_links: set[str] = field(default_factory=set)


def _sample_one(deployment: Deployment, iri: str) -> Sampled:
    sampled = Sampled(iri)
    for agent in (JENA, FIREFOX):
        try:
            response = deployment.get(iri, agent.accept)
        except FetchError as error:
            sampled.verdicts.append(failed(str(error)))
            continue
        verdict = judge(response, agent, iri, deployment)
        sampled.verdicts.append(verdict)
        if not response.is_success:
            continue
        if agent is FIREFOX:
            _, links = html_links(response.content, str(response.url))
            sampled.page_links = {u for u in links if origin_of(u) == deployment.origin}
            continue
        try:
            graph = parse_rdf(
                response.content,
                media_type(response),
                str(response.url),
                deployment.load_context,
            )
        except (RdfError, RemoteContextError):
            continue
        sampled.rdf_links = {
            urldefrag(str(term))[0]
            for triple in graph
            for term in triple
            if isinstance(term, URIRef) and origin_of(str(term)) == deployment.origin
        }
    return sampled


def samples(deployment: Deployment) -> list[Sampled]:
    """The sample entities, each fetched as RDF and as HTML once."""

    def fetch_all() -> list[Sampled]:
        entities, _ = deployment.entities
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            return list(pool.map(lambda iri: _sample_one(deployment, iri), entities))

    return deployment.memo("samples", fetch_all)


def _resolves(deployment: Deployment, url: str, accept: str, where: str) -> Verdict:
    try:
        response = deployment.client.send("HEAD", url, accept=accept)
        if response.status_code in (405, 501):
            response = deployment.client.send("GET", url, accept=accept)
    except LeftOriginError as error:
        return passed(f"{error} (not followed further)")
    except FetchError as error:
        return failed(f"{error} ({where})")
    exchange = describe(response)
    if not response.is_success:
        return failed(f"{exchange} ({where})")
    return passed(exchange)


def _follow(deployment: Deployment, found: dict[str, str], accept: str, what: str) -> Verdict:
    """Follow links (URL -> where it was found), at most --max-links of them."""
    if not found:
        return skipped(f"the sample entities have no {what}")
    limit = deployment.options.max_links
    chosen = sorted(found)[:limit]
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        verdicts = list(
            pool.map(lambda url: _resolves(deployment, url, accept, found[url]), chosen)
        )
    note = f"followed {len(chosen)} of {len(found)} {what}" + (
        f" (--max-links {limit})" if len(found) > limit else ""
    )
    failures = [v.detail for v in verdicts if v.outcome is Outcome.FAIL]
    if failures:
        return failed("\n".join([f"{note}; {len(failures)} do not resolve:", *failures]))
    return passed(note)


@probes.add("links.entities", "The sample entities dereference as RDF and as HTML")
def entities(deployment: Deployment) -> Verdict:
    sampled = samples(deployment)
    if not sampled:
        return skipped("no sample entity (see conneg.entity)")
    return combine([v for s in sampled for v in s.verdicts], "")


@probes.add("links.rdf", "Every IRI under the origin in their RDF dereferences")
def rdf_links(deployment: Deployment) -> Verdict:
    sampled = samples(deployment)
    if not sampled:
        return skipped("no sample entity (see conneg.entity)")
    checked = {s.iri for s in sampled}
    found: dict[str, str] = {}
    for entity in sampled:
        for url in sorted(entity.rdf_links - checked):
            found.setdefault(url, f"in the RDF of <{entity.iri}>")
    return _follow(deployment, found, JENA.accept, "local IRIs in their RDF")


@probes.add("links.html", "Every same-origin link in their HTML pages resolves")
def page_links(deployment: Deployment) -> Verdict:
    sampled = samples(deployment)
    if not sampled:
        return skipped("no sample entity (see conneg.entity)")
    found: dict[str, str] = {}
    for entity in sampled:
        for url in sorted(entity.page_links):
            found.setdefault(url, f"on the page of <{entity.iri}>")
    return _follow(deployment, found, FIREFOX.accept, "same-origin links in their pages")
