"""VoID: the dataset description at `/.well-known/void` (VoID, section 7.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import RDF

from openforum_ld.check.discovery import VOID
from openforum_ld.check.probe import ProbeList, SkipError, Verdict, failed, passed

if TYPE_CHECKING:
    from rdflib import Graph

    from openforum_ld.check.discovery import Deployment

probes = ProbeList()


def _void(deployment: Deployment) -> Graph:
    graph = deployment.void.graph
    if graph is None:
        raise SkipError("no VoID to read (see void.reachable)")
    return graph


@probes.add("void.reachable", "VoID at /.well-known/void answers */* with RDF that parses")
def reachable(deployment: Deployment) -> Verdict:
    document = deployment.void
    if document.graph is None:
        return failed(document.problem or document.exchange)
    return passed(f"{document.exchange}: {len(document.graph)} triples")


@probes.add("void.dataset", "VoID describes a void:Dataset")
def dataset(deployment: Deployment) -> Verdict:
    graph = _void(deployment)
    typed = set(graph.subjects(RDF.type, VOID.Dataset))
    described = {
        s
        for p in (VOID.triples, VOID.sparqlEndpoint, VOID.dataDump, VOID.uriSpace)
        for s in graph.subjects(p, None)
    }
    datasets = sorted(str(s) for s in typed | described)
    if not datasets:
        return failed(
            f"{deployment.void.exchange}: nothing in it is a void:Dataset or has void:triples, "
            "void:sparqlEndpoint, void:dataDump or void:uriSpace"
        )
    return passed("describes " + ", ".join(f"<{d}>" for d in datasets[:5]))


@probes.add("void.sparql-endpoint", "VoID names the SPARQL endpoint, and it answers")
def sparql_endpoint(deployment: Deployment) -> Verdict:
    graph = _void(deployment)
    named = sorted(str(o) for o in graph.objects(None, VOID.sparqlEndpoint))
    endpoint = deployment.sparql
    if not named:
        if endpoint is not None and endpoint.answers:
            return failed(
                f"the VoID names no void:sparqlEndpoint, yet {endpoint.url} answers "
                f"(found by {endpoint.found_by})"
            )
        raise SkipError("the VoID names no SPARQL endpoint, and none was found")
    notes = []
    for url in named:
        if not deployment.client.allows(url):
            notes.append(f"<{url}> is on another origin: not contacted")
            continue
        probed = deployment.probe_endpoint(url, "VoID void:sparqlEndpoint")
        if probed.answers:
            return passed(f"void:sparqlEndpoint <{url}>: {probed.evidence}")
        notes.append(f"void:sparqlEndpoint <{url}>: {probed.evidence}: no SPARQL JSON boolean")
    if all("another origin" in note for note in notes):
        raise SkipError("; ".join(notes))
    return failed("\n".join(notes))
