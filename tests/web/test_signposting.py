"""FAIR Signposting over HTTP: the landing page's typed links, an entity's, and the licence on
every response and inside every RDF document."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from ..conftest import InProcessClient


def _links(response: httpx.Response) -> set[tuple[str, str]]:
    """(rel, target) of every link in every Link header of a response."""
    found = set()
    for header in response.headers.get_list("link"):
        for part in header.split(", <"):
            target, _, params = part.lstrip("<").partition(">")
            for param in params.split(";"):
                name, _, value = param.strip().partition("=")
                if name == "rel":
                    found.add((value.strip('"'), target))
    return found


def test_the_landing_page_signposts_its_identifier_metadata_licence_and_downloads(
    app_client: InProcessClient, publication
) -> None:
    base = app_client.base_url
    manifest = publication.manifest
    response = app_client.get("", headers={"Accept": "text/html"})
    links = _links(response)
    assert {
        ("cite-as", base),
        ("describedby", base + "catalog.ttl"),
        ("describedby", base + "void.ttl"),
        ("type", "https://schema.org/Dataset"),
        ("license", manifest.license),
    } <= links
    items = {target for rel, target in links if rel == "item"}
    assert items == {base + d.path for d in manifest.dumps}
    for target in (base + "catalog.ttl", base + "void.ttl", *items):
        assert app_client.get(target.removeprefix(base)).status_code == 200, target


def test_an_entity_signposts_the_iri_to_cite_and_its_rdf(app_client: InProcessClient) -> None:
    iri = app_client.base_url + "id/person/john-maritim"
    for accept in ("text/html", "text/turtle"):
        links = _links(app_client.get("id/person/john-maritim", headers={"Accept": accept}))
        assert ("cite-as", iri) in links and ("describedby", iri + ".ttl") in links


def test_every_data_response_names_its_licence(app_client: InProcessClient, publication) -> None:
    license = publication.manifest.license
    dump = publication.manifest.dumps[0].path
    for path, headers in (
        (dump, {}),
        ("id/person/john-maritim.ttl", {}),
        ("graph/report-vii", {"Accept": "application/n-quads"}),
        ("sparql?query=ASK%20%7B%7D", {"Accept": "application/sparql-results+json"}),
        ("catalog.ttl", {}),
    ):
        response = app_client.get(path, headers=headers)
        assert response.status_code == 200, path
        assert ("license", license) in _links(response), path


def test_every_entity_and_graph_document_states_its_own_licence(
    app_client: InProcessClient, publication
) -> None:
    import pyoxigraph as ox

    from openforum_ld.views.entity import ENTITY_FORMATS

    license = publication.manifest.license
    base = app_client.base_url
    for path in ("id/person/john-maritim", "id/forum/open-smart-regions-2020", "graph/report-vii"):
        for fmt in ENTITY_FORMATS:
            response = app_client.get(path + fmt.suffix)
            assert response.status_code == 200, path + fmt.suffix
            stated = {
                (q.object.value, q.graph_name)
                for q in ox.parse(response.content, format=fmt.oxigraph, base_iri=base)
                if q.subject == ox.NamedNode(base + path + fmt.suffix)
                and q.predicate.value == "http://purl.org/dc/terms/license"
            }
            assert stated == {(license, ox.DefaultGraph())}, path + fmt.suffix
