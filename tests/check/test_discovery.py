"""Discovery: what a deployment publishes, found from its URL alone."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from openforum_ld.check.client import Client
from openforum_ld.check.discovery import CheckOptions, Deployment, Dump

from .tiny import tiny_deployment

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def discover(*faults: str, **options: Any) -> Iterator[tuple[str, Deployment]]:
    """A tiny deployment with these faults, and what discovery finds on it."""
    with tiny_deployment(*faults) as url, Client([url], 10) as client:
        yield url, Deployment(client, CheckOptions(url, **options))


def test_discovery_follows_the_well_known_void() -> None:
    with discover() as (url, found):
        assert found.void.graph is not None
        assert found.sparql is not None
        assert (found.sparql.url, found.sparql.found_by) == (
            url + "sparql",
            "VoID void:sparqlEndpoint",
        )
        catalog, tried = found.catalog
        assert catalog is not None
        assert (catalog.url, tried) == (url + "catalog", [])  # rdfs:seeAlso in the VoID
        assert found.entity_space == url + "id/"
        entities, how = found.entities
        assert entities == [url + "id/thing/a", url + "id/place/c", url + "id/thing/b"]
        assert how == "1 from void:exampleResource; 2 from SPARQL"
        gzipped = found.dumps[0]
    assert gzipped == Dump(
        url + "dumps/data.nt.gz",
        ("void:dataDump", "dcat:downloadURL"),
        byte_size=gzipped.byte_size,
        algorithm="sha256",
        checksum=gzipped.checksum,
        media_type="application/n-triples",
        compression="application/gzip",
    )
    assert gzipped.byte_size and gzipped.checksum and len(gzipped.checksum) == 64


def test_discovery_without_void_tries_the_common_paths() -> None:
    with discover("no-void") as (url, found):
        assert found.void.graph is None
        assert found.sparql is not None
        assert (found.sparql.url, found.sparql.found_by) == (
            url + "sparql",
            "the common path sparql",
        )
        catalog, _ = found.catalog
        assert catalog is not None and catalog.url == url + "catalog"
        # The two current dumps and the release's file.
        assert [d.declared_by for d in found.dumps] == [("dcat:downloadURL",)] * 3
        entities, how = found.entities
    assert len(entities) == 3
    assert how == "3 from SPARQL"


def test_discovery_takes_the_endpoint_and_catalog_it_is_given() -> None:
    with tiny_deployment() as url, Client([url], 10) as client:
        options = CheckOptions(url, sparql=url + "sparql?x=1", catalog=url + "catalog", sample=1)
        found = Deployment(client, options)
        assert found.sparql is not None and found.sparql.found_by == "--sparql"
        assert found.sparql.answers
        catalog, _ = found.catalog
        assert catalog is not None and catalog.url == url + "catalog"
        assert found.entities[0] == [url + "id/thing/a"]


def test_discovery_reports_an_endpoint_that_does_not_answer() -> None:
    with tiny_deployment() as url, Client([url], 10) as client:
        found = Deployment(client, CheckOptions(url, sparql=url + "nothing-here"))
        assert found.sparql is not None and not found.sparql.answers
        assert found.sparql.evidence.endswith("-> 404 text/plain; charset=utf-8")
        entities, how = found.entities
    assert entities == [url + "id/thing/a"]
    assert how == "1 from void:exampleResource; no SPARQL endpoint answers"
