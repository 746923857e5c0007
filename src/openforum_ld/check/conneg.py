"""Content negotiation on an entity IRI, with the Accept headers real clients send: browsers
get HTML, RDF clients get RDF they accept and can parse, and what nobody offers gets 406."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from openforum_ld.check.client import describe, media_type
from openforum_ld.check.probe import Probe, ProbeList, Verdict, failed, passed
from openforum_ld.check.rdf import (
    HTML_TYPES,
    RdfError,
    RemoteContextError,
    html_links,
    is_rdf,
    parse_rdf,
)

if TYPE_CHECKING:
    import httpx

    from openforum_ld.check.discovery import Deployment

probes = ProbeList()


@dataclass(frozen=True)
class UserAgent:
    """A client and the Accept header it sends; `wants` is html, rdf or any."""

    key: str
    name: str
    accept: str
    wants: str


#: Firefox's navigation Accept in recent releases (older ones also listed image/avif, image/webp).
FIREFOX = UserAgent(
    "firefox",
    "Firefox",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "html",
)
#: Chrome's navigation Accept.
CHROME = UserAgent(
    "chrome",
    "Chrome",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "html",
)
CURL = UserAgent("curl", "curl", "*/*", "any")
#: rapper with its default parser (RDF/XML): raptor_parser_get_accept_header() for rdfxml.
RAPPER = UserAgent("rapper", "rapper", "application/rdf+xml, text/rdf;q=0.6, */*;q=0.1", "rdf")
#: rdflib 7's Graph.parse(url) with no format: every media type a parser is registered for.
RDFLIB = UserAgent(
    "rdflib",
    "rdflib",
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig",
    "rdf",
)
#: Jena's RDFDataMgr.read(url): WebContent.defaultRDFAcceptHeader (Jena 5).
JENA = UserAgent(
    "jena",
    "Jena RIOT",
    "text/turtle,application/n-triples;q=0.9,application/rdf+xml;q=0.7,application/trig,"
    "application/n-quads;q=0.9,application/ld+json;q=0.8,*/*;q=0.5",
    "rdf",
)
AGENTS = (
    FIREFOX,
    CHROME,
    CURL,
    RAPPER,
    RDFLIB,
    JENA,
    UserAgent("turtle", "Accept: text/turtle", "text/turtle", "rdf"),
    UserAgent("jsonld", "Accept: application/ld+json", "application/ld+json", "rdf"),
    UserAgent("ntriples", "Accept: application/n-triples", "application/n-triples", "rdf"),
    UserAgent("rdfxml", "Accept: application/rdf+xml", "application/rdf+xml", "rdf"),
)
UNSATISFIABLE = "application/x-nonexistent"


def acceptable(accept: str, media: str) -> bool:
    """True when the Accept header gives the media type a quality above 0."""
    return parse_accept_header(accept, MIMEAccept).quality(media) > 0


def judge(response: httpx.Response, agent: UserAgent, iri: str, deployment: Deployment) -> Verdict:
    """Whether a response is what the client asked for: a success, of a media type its
    Accept allows, HTML for browsers, RDF that parses and mentions the IRI for RDF clients."""
    exchange = describe(response)
    if not response.is_success:
        return failed(f"{exchange}: expected a 2xx")
    kind = media_type(response)
    if not acceptable(agent.accept, kind):
        return failed(f"{exchange}: {kind or 'no media type'} is not acceptable under this Accept")
    if kind in HTML_TYPES and agent.wants in ("html", "any"):
        is_html, _ = html_links(response.content, str(response.url))
        if not is_html:
            return failed(f"{exchange}: the body is not an HTML page")
        return passed(f"{exchange}: an HTML page")
    if agent.wants == "html":
        return failed(f"{exchange}: a browser gets {kind}, not an HTML page")
    if not is_rdf(kind):
        return failed(f"{exchange}: {kind} is not an RDF media type")
    try:
        graph = parse_rdf(response.content, kind, str(response.url), deployment.load_context)
    except RemoteContextError as error:
        return passed(
            f"{exchange}: JSON-LD whose remote context <{error}> is on another origin (not fetched)"
        )
    except RdfError as error:
        return failed(f"{exchange}: does not parse as {kind}: {error}")
    names = {iri, str(response.url)}
    mentioned = any(str(term) in names for triple in graph for term in (triple[0], triple[2]))
    if not mentioned:
        return failed(f"{exchange}: {len(graph)} triples, none about <{iri}>")
    return passed(f"{exchange}: {len(graph)} triples")


@probes.add("conneg.entity", "An entity IRI under the deployment's origin dereferences")
def entity(deployment: Deployment) -> Verdict:
    entities, how = deployment.entities
    if not entities:
        return failed(
            f"no entity IRI under {deployment.entity_space} was found: the VoID names no "
            f"void:exampleResource there; {how}"
        )
    response = deployment.get(entities[0], CURL.accept)
    exchange = describe(response)
    if not response.is_success:
        return failed(f"{exchange}: expected a 2xx")
    return passed(f"{len(entities)} sample entities ({how}); {exchange}")


def _agent_probe(agent: UserAgent) -> Probe:
    if agent.wants == "html":
        title = f"{agent.name}'s Accept gets an HTML page"
    elif agent.wants == "any":
        title = f"{agent.name}'s Accept ({agent.accept}) gets HTML or RDF that parses"
    elif agent.name.startswith("Accept:"):
        title = f"{agent.name} gets {agent.accept} that parses and describes the entity"
    else:
        title = f"{agent.name}'s Accept gets RDF it accepts, which parses and describes the entity"

    def negotiate(deployment: Deployment) -> Verdict:
        iri = deployment.entity()
        return judge(deployment.get(iri, agent.accept), agent, iri, deployment)

    return Probe(f"conneg.{agent.key}", title, negotiate)


for _agent in AGENTS:
    probes.append(_agent_probe(_agent))


@probes.add("conneg.not-acceptable", "An Accept the entity cannot satisfy gets 406")
def not_acceptable(deployment: Deployment) -> Verdict:
    response = deployment.get(deployment.entity(), UNSATISFIABLE)
    exchange = describe(response)
    if response.status_code != 406:
        return failed(f"{exchange}: expected 406 Not Acceptable")
    return passed(exchange)
