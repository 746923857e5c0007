"""The diagrams on the server: the build's SVG files served from the publication as they are,
the images and links of the pages that show them, and what an entity page's neighbourhood
script is told to fetch and link to."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import html5lib
import pyoxigraph as ox

if TYPE_CHECKING:
    from pathlib import Path

    from ..conftest import InProcessClient

SVG = "{http://www.w3.org/2000/svg}"


def _html(text: str) -> ET.Element:
    return html5lib.parse(text, namespaceHTMLElements=False)  # type: ignore[no-any-return]


def _path(client: InProcessClient, url: str) -> str:
    """A URL of the server as a path to ask the client for."""
    split = urlsplit(url)
    return split.path.removeprefix(urlsplit(client.base_url).path) + (
        f"?{split.query}" if split.query else ""
    )


def test_the_server_serves_the_diagrams_the_build_drew(
    app_client: InProcessClient, built_site: Path
) -> None:
    files = sorted((built_site / "diagrams").glob("*.svg"))
    assert files
    for file in files:
        response = app_client.get(f"diagrams/{file.name}")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.content == file.read_bytes()
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_the_pages_images_and_the_diagrams_links_lead_to_pages_of_the_server(
    app_client: InProcessClient,
) -> None:
    for page, language in (("", "en"), ("?lang=fr", "fr"), ("id/place/", "en")):
        url = urljoin(app_client.base_url, page)
        response = app_client.get(page, headers={"Accept": "text/html"})
        assert response.status_code == 200, response.text
        images = list(_html(response.text).iterfind(".//figure[@class='diagram']/a/img"))
        assert len(images) == 1, page
        image_url = urljoin(url, images[0].get("src", ""))
        svg = app_client.get(_path(app_client, image_url))
        assert svg.headers["content-type"] == "image/svg+xml", image_url
        root = ET.fromstring(svg.content)
        links = [a.get("href", "") for a in root.iter(f"{SVG}a")]
        assert links
        for link in links:
            target = app_client.get(_path(app_client, urljoin(image_url, link)))
            assert target.status_code == 200, f"{image_url}: {link}"
            assert target.headers["content-type"].startswith("text/html")
            assert target.headers["content-language"] == language


def test_an_entity_page_tells_its_script_where_the_twin_and_the_neighbours_pages_are(
    app_client: InProcessClient,
) -> None:
    path = "id/place/morocco"
    response = app_client.get(path, headers={"Accept": "text/html"})
    document = _html(response.text)
    (figure,) = document.iterfind(".//figure[@class='neighbourhood']")
    assert figure.get("hidden") is not None, "without scripts the figure is not shown"
    assert figure.get("aria-labelledby") == figure.find("figcaption").get("id")  # type: ignore[union-attr]
    scripts = [s.get("src", "") for s in document.iter("script") if s.get("type") == "module"]
    assert len(scripts) == 1
    script = app_client.get(_path(app_client, urljoin(app_client.base_url + path, scripts[0])))
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")

    twin_url = urljoin(app_client.base_url + path, figure.get("data-twin", ""))
    twin = app_client.get(_path(app_client, twin_url))
    assert twin.headers["content-type"].startswith("application/ld+json")
    graph = ox.Store()
    graph.load(twin.content, format=ox.RdfFormat.JSON_LD)
    iri = figure.get("data-iri", "")
    assert iri == app_client.base_url + path
    kinds = json.loads(figure.get("data-kinds", ""))
    assert set(kinds) == {"person", "organization", "programme", "place"}
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    neighbours = {
        term.value
        for quad in graph
        if quad.predicate != rdf_type and iri in (quad.subject.value, quad.object.value)
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode)
        and term.value != iri
        and term.value.startswith(app_client.base_url + "id/")
    }
    assert neighbours
    for neighbour in sorted(neighbours):
        kind, slug = neighbour.removeprefix(app_client.base_url + "id/").split("/")
        link = figure.get("data-link", "").replace("{kind}", kind).replace("{slug}", slug)
        page = app_client.get(_path(app_client, urljoin(app_client.base_url + path, link)))
        assert page.status_code == 200, link
        assert page.headers["content-type"].startswith("text/html")


def test_hostile_labels_are_text_in_the_diagrams(hostile_client: InProcessClient) -> None:
    home = hostile_client.get("", headers={"Accept": "text/html"})
    (image,) = _html(home.text).iterfind(".//figure[@class='diagram']/a/img")
    svg = hostile_client.get(
        _path(hostile_client, urljoin(hostile_client.base_url, image.get("src", "")))
    )
    root = ET.fromstring(svg.content)
    titles = {t.text for t in root.iter(f"{SVG}title")}
    assert 'Bo <script>alert("xss-name")</script> Speaker' in titles
    assert "</script><script>alert('xss-end')</script> plans" in titles
    elements = {e.tag.removeprefix(SVG) for e in root.iter()}
    assert elements <= {"svg", "title", "desc", "rect", "text", "g", "path", "a"}
    assert not [name for e in root.iter() for name in e.attrib if name.lower().startswith("on")]
