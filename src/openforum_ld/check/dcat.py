"""DCAT: a catalog that lists the dataset and its distributions (DCAT 3, DCAT-AP)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import RDF

from openforum_ld.check.discovery import DCAT
from openforum_ld.check.probe import ProbeList, SkipError, Verdict, failed, passed

if TYPE_CHECKING:
    from rdflib import Graph

    from openforum_ld.check.discovery import Deployment

probes = ProbeList()


def _catalog(deployment: Deployment) -> Graph:
    document, _ = deployment.catalog
    if document is None or document.graph is None:
        raise SkipError("no DCAT catalog to read (see dcat.reachable)")
    return document.graph


@probes.add("dcat.reachable", "A DCAT catalog is found and answers */* with RDF that parses")
def reachable(deployment: Deployment) -> Verdict:
    document, tried = deployment.catalog
    if document is None:
        where = "\n".join(tried) if tried else "nothing to try"
        return failed(
            "no DCAT catalog: the VoID has no DCAT and links to none, and no common path "
            f"has one (pass --catalog URL if it is elsewhere). Tried:\n{where}"
        )
    if document.graph is None:
        return failed(document.problem or document.exchange)
    where = " (in the VoID)" if document is deployment.void else ""
    return passed(f"{document.exchange}{where}: {len(document.graph)} triples")


@probes.add("dcat.dataset", "The catalog lists a dcat:Dataset with a distribution")
def dataset(deployment: Deployment) -> Verdict:
    graph = _catalog(deployment)
    datasets = sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str)
    if not datasets:
        return failed("the catalog has no dcat:Dataset")
    counts = {d: len(set(graph.objects(d, DCAT.distribution))) for d in datasets}
    if not any(counts.values()):
        return failed(
            "no dcat:Dataset has a dcat:distribution: " + ", ".join(d.n3() for d in datasets)
        )
    return passed(", ".join(f"{d.n3()} ({n} distributions)" for d, n in counts.items() if n))


@probes.add(
    "dcat.distributions",
    "Each downloadable distribution states its media type, byte size and checksum",
)
def distributions(deployment: Deployment) -> Verdict:
    _catalog(deployment)
    declared = [d for d in deployment.dumps if "dcat:downloadURL" in d.declared_by]
    if not declared:
        raise SkipError("the catalog has no distribution with a dcat:downloadURL")
    gaps = []
    for dump in declared:
        missing = [
            name
            for name, value in (
                ("dcat:mediaType", dump.media_type),
                ("dcat:byteSize", dump.byte_size),
                (
                    "spdx:checksum (spdx:algorithm, spdx:checksumValue)",
                    dump.checksum and dump.algorithm,
                ),
            )
            if not value
        ]
        if missing:
            gaps.append(f"<{dump.url}> has no " + ", no ".join(missing))
    if gaps:
        return failed("\n".join(gaps))
    return passed(f"{len(declared)} distributions, each with media type, size and checksum")
