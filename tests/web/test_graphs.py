"""Named graphs as resources, and the provenance a person reads: graph pages and documents
negotiated as entities are, section pages quoting their source lines, and entity pages linking
each source to those lines."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin, urlsplit

import html5lib
import pytest
import rdflib
from rdflib.namespace import PROV, RDF, SKOS, VOID

from openforum_ld.views.source_text import text_lines

from ..conftest import TWINS
from .test_resources import ENTITY_CLIENTS

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import httpx

    from openforum_ld.config import Settings
    from openforum_ld.publication import Publication

    from ..conftest import InProcessClient

OFO = rdflib.Namespace("https://w3id.org/openforum/ontology#")
SCHEMA = rdflib.Namespace("http://schema.org/")
GRAPH = "graph/report-vi"
SECTION = "id/section/report-vi"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BROWSERS = [c for c in ENTITY_CLIENTS if c[2] == "text/html"]


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def _html(response: httpx.Response) -> Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(response.content, transport_encoding="utf-8")  # type: ignore[no-any-return]


def _turtle(client: InProcessClient, path: str) -> rdflib.Graph:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.content, format="turtle")


def _dump(client: InProcessClient) -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dump = gzip.decompress(client.get("dumps/openforum.nq.gz").content)
    dataset.parse(data=dump, format="nquads")
    return dataset


def _graphs(publication: Publication) -> list[str]:
    base = publication.manifest.base
    return sorted(g for g in publication.manifest.graphs if g.startswith(base + "graph/"))


# ------------------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(("client", "accept", "expected"), BROWSERS, ids=[c[0] for c in BROWSERS])
def test_a_browser_gets_the_page_of_a_graph(
    app_client: InProcessClient, client: str, accept: str | None, expected: str
) -> None:
    response = app_client.get(GRAPH, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert _media(response) == "text/html"
    assert "Accept" in response.headers["vary"] and "Accept-Language" in response.headers["vary"]
    assert (
        f'<{urlsplit(app_client.base_url).path}{GRAPH}.ttl>; rel="alternate"'
        in (response.headers["link"])
    )
    label = _turtle(app_client, GRAPH).value(
        rdflib.URIRef(app_client.base_url + GRAPH), SKOS.prefLabel
    )
    assert label is not None
    assert _html(response).findtext(".//h1") == str(label)


def test_every_graph_of_the_publication_has_a_page_in_each_language(
    app_client: InProcessClient, publication: Publication
) -> None:
    graphs = _graphs(publication)
    assert {app_client.base_url + name for name in ("graph/mentions", "graph/sources")} <= set(
        graphs
    )
    for graph in graphs:
        for language in ("en", "fr"):
            response = app_client.get(
                graph, headers={"Accept": BROWSER, "Accept-Language": language}
            )
            assert response.status_code == 200, (graph, response.text)
            assert response.headers["content-language"] == language
            assert _html(response).get("lang") == language


def test_the_turtle_of_a_graph_says_what_the_graph_is(app_client: InProcessClient) -> None:
    document = _turtle(app_client, GRAPH)
    graph = rdflib.URIRef(app_client.base_url + GRAPH)
    section = rdflib.URIRef(app_client.base_url + SECTION)
    assert (graph, RDF.type, PROV.Entity) in document
    assert (graph, RDF.type, OFO.SourcedGraph) in document
    assert (graph, PROV.wasDerivedFrom, section) in document
    report = document.value(section, SCHEMA.isPartOf)
    assert (graph, PROV.wasDerivedFrom, report) in document
    assert document.value(section, OFO.firstLine) is not None
    assert document.value(section, OFO.lastLine) is not None
    # Its statements, as the dump has them, and how many.
    held = set(_dump(app_client).graph(graph))
    assert held and held <= set(document)
    assert document.value(graph, VOID.triples).toPython() == len(held)


def test_the_trig_of_a_graph_keeps_the_graph_as_it_is(app_client: InProcessClient) -> None:
    for name in ("graph/mentions", GRAPH):
        graph = rdflib.URIRef(app_client.base_url + name)
        response = app_client.get(name, headers={"Accept": "application/trig"})
        assert response.status_code == 200 and _media(response) == "application/trig"
        document = rdflib.Dataset()
        document.parse(data=response.content, format="trig")
        assert set(document.graph(graph)) == set(_dump(app_client).graph(graph)), name
        about = document.graph(rdflib.URIRef(app_client.base_url + "graph/sources"))
        assert (graph, SKOS.prefLabel, None) in about, name
        assert document.default_graph.value(graph, VOID.triples) is not None, name


@pytest.mark.parametrize(("suffix", "media_type"), TWINS)
def test_a_graphs_format_twins(app_client: InProcessClient, suffix: str, media_type: str) -> None:
    response = app_client.get(GRAPH + suffix, headers={"Accept": "image/png"})
    assert response.status_code == 200, response.text
    assert _media(response) == media_type


def test_what_a_graph_cannot_be_sent_as_is_406_with_a_message(
    app_client: InProcessClient,
) -> None:
    response = app_client.get(GRAPH, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text and "text/html" in response.text
    assert "Accept" in response.headers["vary"]


def test_a_graph_that_does_not_exist_is_404(app_client: InProcessClient) -> None:
    for accept in (BROWSER, "text/turtle"):
        assert app_client.get("graph/no-such-graph", headers={"Accept": accept}).status_code == 404


# ------------------------------------------------------------------- sections and their lines


def _section_lines(page: Element) -> dict[int, str]:
    lines = {}
    for line in page.iterfind(".//pre[@class='source-lines']/span[@class='line']"):
        number = int(line.get("id", "").removeprefix("L"))
        text = line.find("span[@class='text']")
        assert text is not None
        lines[number] = "".join(text.itertext())
    return lines


def test_a_section_page_quotes_its_lines_as_the_source_file_has_them(
    app_client: InProcessClient, settings: Settings
) -> None:
    section = _turtle(app_client, SECTION)
    iri = rdflib.URIRef(app_client.base_url + SECTION)
    first = int(section.value(iri, OFO.firstLine))  # type: ignore[arg-type]
    last = int(section.value(iri, OFO.lastLine))  # type: ignore[arg-type]
    document = str(section.value(iri, SCHEMA.isPartOf)).rsplit("/", 1)[-1]
    source = text_lines((settings.sources_dir / f"{document}.txt").read_text(encoding="utf-8"))
    page = _html(app_client.get(SECTION, headers={"Accept": BROWSER}))
    assert _section_lines(page) == {n: source[n - 1] for n in range(first, last + 1)}


def test_a_section_page_shows_the_statements_taken_from_it(
    app_client: InProcessClient,
) -> None:
    page = _html(app_client.get(SECTION, headers={"Accept": BROWSER}))
    taken = page.find(".//div[@class='taken']")
    assert taken is not None
    links = {urldefrag(a.get("href", ""))[0] for a in taken.iter("a")}
    assert f"/{GRAPH}" in links
    subjects = {
        s for s, _, _ in _dump(app_client).graph(rdflib.URIRef(app_client.base_url + GRAPH))
    }
    shown = {
        app_client.base_url + a.get("href", "").lstrip("/")
        for heading in taken.iter("h3")
        for a in heading.iter("a")
        if a.get("class") != "line-ref"
    }
    assert {str(s) for s in subjects if isinstance(s, rdflib.URIRef)} == shown


def test_an_entity_pages_sources_link_to_the_lines_that_name_it(
    app_client: InProcessClient,
) -> None:
    person = "id/person/john-maritim"
    name = str(
        _turtle(app_client, person).value(
            rdflib.URIRef(app_client.base_url + person), SKOS.prefLabel
        )
    )
    page = _html(app_client.get(person, headers={"Accept": BROWSER}))
    targets = {
        a.get("href", "")
        for a in page.iterfind(".//ul[@class='source-list']/li/a")
        if "#L" in a.get("href", "")
    }
    assert targets
    for target in sorted(targets):
        path, anchor = urldefrag(urljoin(app_client.base_url + person, target))
        section = _html(app_client.get(path, headers={"Accept": BROWSER}))
        lines = _section_lines(section)
        number = int(anchor.removeprefix("L"))
        assert number in lines, target
        assert name.split()[-1] in lines[number], (target, lines[number])


def test_the_statements_beside_a_section_point_to_the_lines_naming_their_subjects(
    app_client: InProcessClient,
) -> None:
    page = _html(app_client.get(SECTION, headers={"Accept": BROWSER}))
    lines = _section_lines(page)
    names = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SCHEMA.name, SCHEMA.alternateName)
    checked = 0
    for heading in page.iterfind(".//div[@class='taken']//h3"):
        refs = [a for a in heading.iter("a") if a.get("class") == "line-ref"]
        if not refs:
            continue
        subject = urlsplit(next(heading.iter("a")).get("href", "")).path.lstrip("/")
        data = _turtle(app_client, subject)
        iri = rdflib.URIRef(app_client.base_url + subject)
        said = {" ".join(str(o).split()).lower() for p in names for o in data.objects(iri, p)}
        line = " ".join(lines[int(refs[0].get("href", "").removeprefix("#L"))].split()).lower()
        assert any(name in line for name in said), (subject, line)
        checked += 1
    assert checked
