"""The static site: valid HTML5, no broken links, nothing from another host, labels not IRIs."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urlsplit

import html5lib
import pytest
import rdflib

from openforum_ld.publication import read_manifest
from openforum_ld.views.source_text import text_lines

from ..conftest import LOCAL_BASE

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from openforum_ld.config import Settings


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])  # type: ignore[arg-type]
        self._in_json = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_page_parses_as_html5_without_errors(built_site: Path) -> None:
    pages = _pages(built_site)
    assert len(pages) > 250
    strict = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in pages:
        strict.parse(page.read_bytes(), transport_encoding="utf-8")


def test_every_internal_link_resolves_to_a_file_of_the_site(built_site: Path) -> None:
    checked = 0
    for page in _pages(built_site):
        if page.name.startswith("404."):
            continue  # links from the base path, for any depth: checked below
        for link in _parse(page).links:
            target, fragment = urldefrag(link)
            if urlsplit(target).scheme or not target:
                continue
            path = (page.parent / unquote(target)).resolve()
            assert path.is_file(), f"{page.relative_to(built_site)} links to missing {link}"
            if fragment and path.suffix == ".html":
                assert f'id="{fragment}"' in path.read_text(encoding="utf-8"), (
                    f"{page}: #{fragment}"
                )
            checked += 1
    assert checked > 5000


@pytest.mark.parametrize("name", ["404.html", "404.fr.html"])
def test_the_404_page_links_from_the_base_path(built_site: Path, name: str) -> None:
    links = [link for link in _parse(built_site / name).links if not link.startswith("#")]
    assert links and all(link.startswith("/") for link in links if not urlsplit(link).scheme)
    for link in links:
        if urlsplit(link).scheme:
            continue
        assert (built_site / link.lstrip("/").split("#")[0]).is_file()


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    for page in _pages(built_site):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text):
            # Signposting and alternates name other resources; they load nothing.
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag) or re.search(
                r'rel="(?:alternate|license|cite-as|describedby|type|item)"', tag
            ), (page, tag)


def test_every_entity_has_a_page_and_rdf_twins(built_site: Path, dataset) -> None:
    rows = dataset.store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{LOCAL_BASE}id/")) }}'
    )
    for row in rows:
        stem = built_site / row["s"].value.removeprefix(LOCAL_BASE)
        for suffix in (".html", ".fr.html", ".ttl", ".jsonld", ".nt", ".rdf", ".trig", ".nq"):
            assert stem.with_name(stem.name + suffix).is_file(), f"{stem}{suffix}"


def test_an_entity_page_shows_labels_languages_sources_and_incoming_links(built_site: Path) -> None:
    page = (built_site / "id" / "person" / "john-maritim.html").read_text(encoding="utf-8")
    assert '<h1 lang="en" dir="auto">John Maritim</h1>' in page
    assert ">County Government of Elgeyo</a>" in page  # a label, not the IRI, for the linked entity
    assert 'href="../organization/county-government-of-elgeyo.html"' in page
    assert "Report, section VII</a>" in page and "lines 278\u2013361" in page
    assert "speaker in" in page and ">County Government Of Elgeyo Marakwet, Kenya</a>" in page
    assert "Conforms to the shape" in page and "validation/index.html#shape-PersonShape" in page
    assert 'type="text/turtle" href="john-maritim.ttl"' in page


def test_the_embedded_schema_org_jsonld_describes_the_entity(built_site: Path) -> None:
    [script] = _parse(built_site / "id" / "talk" / "ozurgeti-georgia.html").scripts
    node = json.loads(script)
    assert node["@context"] == "https://schema.org"
    assert node["@id"] == f"{LOCAL_BASE}id/talk/ozurgeti-georgia"
    assert node["@type"] == "Event"
    assert node["name"] == "Ozurgeti, Georgia"
    assert node["performer"] == {
        "@id": f"{LOCAL_BASE}id/person/nana-tavdumadze",
        "name": "Nana Tavdumadze",
    }


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".nt", ".rdf"])
def test_the_rdf_twins_hold_the_entitys_statements_and_neighbours_labels(
    built_site: Path, suffix: str
) -> None:
    path = built_site / "id" / "person" / "john-maritim"
    graph = rdflib.Graph().parse(
        data=path.with_name(path.name + suffix).read_bytes(),
        format={".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".rdf": "xml"}[suffix],
    )
    me = rdflib.URIRef(f"{LOCAL_BASE}id/person/john-maritim")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert (me, skos.prefLabel, rdflib.Literal("John Maritim", lang="en")) in graph
    talk = rdflib.URIRef(f"{LOCAL_BASE}id/talk/county-government-of-elgeyo-marakwet")
    assert (talk, rdflib.URIRef("http://schema.org/performer"), me) in graph  # incoming
    assert (talk, skos.prefLabel, None) in graph  # the neighbour's label


def test_the_home_page_has_the_forum_its_agenda_counts_and_downloads(
    built_site: Path, entities_of_kind: dict[str, int]
) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Open Smart Regions: Convergence for Openness" in home
    assert home.count('<ol class="agenda">') == 1 and home.count("id/talk/") >= 15
    organizations = entities_of_kind["organization"]
    assert (
        'href="id/organization/index.html">Organizations</a></th>'
        f'<td class="number">{organizations}</td>' in home
    )
    assert 'href="dumps/openforum.ttl"' in home and 'href="catalog.ttl"' in home


def test_the_validation_page_lists_every_shape_and_says_the_data_conforms(
    built_site: Path, shape_count: int
) -> None:
    page = (built_site / "validation" / "index.html").read_text(encoding="utf-8")
    assert f"The data conforms to all {shape_count} shapes" in page
    assert page.count('<tr id="shape-') == shape_count
    report = rdflib.Graph().parse(built_site / "validation" / "report.ttl")
    assert (None, rdflib.SH.conforms, rdflib.Literal(True)) in report


def test_sitemap_lists_every_entity_iri_and_robots_points_to_it(built_site: Path, dataset) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    rows = dataset.store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{LOCAL_BASE}id/")) }}'
    )
    entities = {row["s"].value for row in rows}
    assert entities <= set(listed)
    assert LOCAL_BASE in listed and f"{LOCAL_BASE}id/person/" in listed
    assert len(listed) == len(set(listed))
    for address in listed:  # each is a page of the site, by its canonical address
        path = address.removeprefix(LOCAL_BASE)
        page = built_site / (
            path + "index.html" if path.endswith("/") or not path else path + ".html"
        )
        assert page.is_file(), address
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {LOCAL_BASE}sitemap.xml" in robots
    assert "Disallow: /sparql" in robots and "Disallow: /search" in robots


@pytest.mark.parametrize(
    "page",
    [
        "index",
        "id/person/john-maritim",
        "id/person/index",
        "validation/index",
        "not-in-sources/index",
        "graph/report-vi",
        "graph/mentions",
    ],
)
def test_every_page_is_in_english_and_french_each_linking_to_the_other(
    built_site: Path, page: str
) -> None:
    english = built_site / f"{page}.html"
    french = built_site / f"{page}.fr.html"
    name = english.name.removesuffix(".html")
    for path, language, other, other_file in (
        (english, "en", "fr", f"{name}.fr.html"),
        (french, "fr", "en", f"{name}.html"),
    ):
        text = path.read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in text
        assert f'<link rel="alternate" hreflang="{other}" href="{other_file}">' in text
        assert f'href="{other_file}" hreflang="{other}" lang="{other}"' in text  # the switch
    assert "Personnes" in (built_site / "index.fr.html").read_text(encoding="utf-8")


def test_french_pages_link_to_french_pages(built_site: Path) -> None:
    links = _parse(built_site / "id" / "person" / "john-maritim.fr.html").links
    entity_links = [link for link in links if link.startswith("../") and link.endswith(".html")]
    assert entity_links
    assert all(link.endswith(".fr.html") for link in entity_links), entity_links


# ------------------------------------------------------------------ graphs, sections, sources

OFO = rdflib.Namespace("https://w3id.org/openforum/ontology#")
SCHEMA = rdflib.Namespace("http://schema.org/")
TWINS = (".html", ".fr.html", ".ttl", ".jsonld", ".nt", ".rdf", ".trig", ".nq")


def _html(path: Path) -> Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes(), transport_encoding="utf-8")  # type: ignore[no-any-return]


def _lines(page: Element) -> dict[int, str]:
    return {
        int(line.get("id", "").removeprefix("L")): "".join(
            line.find("span[@class='text']").itertext()
        )  # type: ignore[union-attr]
        for line in page.iterfind(".//pre[@class='source-lines']/span[@class='line']")
    }


def test_every_graph_has_its_pages_and_rdf_documents(built_site: Path) -> None:
    graphs = [g for g in read_manifest(built_site).graphs if g.startswith(LOCAL_BASE + "graph/")]
    assert LOCAL_BASE + "graph/mentions" in graphs
    for graph in graphs:
        stem = graph.removeprefix(LOCAL_BASE)
        for suffix in TWINS:
            assert (built_site / f"{stem}{suffix}").is_file(), f"{stem}{suffix}"
        turtle = rdflib.Graph().parse(built_site / f"{stem}.ttl", format="turtle")
        assert (rdflib.URIRef(graph), rdflib.RDF.type, None) in turtle, graph
        for suffix, language in ((".html", "en"), (".fr.html", "fr")):
            assert _html(built_site / f"{stem}{suffix}").get("lang") == language


def test_the_source_texts_are_published_as_they_were_read(
    built_site: Path, settings: Settings
) -> None:
    published = sorted((built_site / "sources").iterdir())
    assert [p.name for p in published] == ["forum-report.txt", "forum-web-page.txt"]
    for path in published:
        assert path.read_bytes() == (settings.sources_dir / path.name).read_bytes()
        page = built_site / "id" / "document" / path.with_suffix(".html").name
        assert f"../../sources/{path.name}" in _parse(page).links, page


@pytest.mark.parametrize("section", ["report-vi", "web-agenda-2"])
def test_a_section_page_quotes_its_lines_as_the_source_file_has_them(
    built_site: Path, settings: Settings, section: str
) -> None:
    stem = built_site / "id" / "section" / section
    data = rdflib.Graph().parse(stem.with_name(f"{section}.ttl"), format="turtle")
    iri = rdflib.URIRef(f"{LOCAL_BASE}id/section/{section}")
    first, last = (int(data.value(iri, p)) for p in (OFO.firstLine, OFO.lastLine))  # type: ignore[arg-type]
    document = str(data.value(iri, SCHEMA.isPartOf)).rsplit("/", 1)[-1]
    source = text_lines((settings.sources_dir / f"{document}.txt").read_text(encoding="utf-8"))
    for suffix in (".html", ".fr.html"):
        page = _html(stem.with_name(section + suffix))
        assert _lines(page) == {n: source[n - 1] for n in range(first, last + 1)}, suffix


def test_an_entity_pages_sources_point_at_lines_of_their_section_pages(built_site: Path) -> None:
    page = built_site / "id" / "person" / "john-maritim.html"
    links = [
        link
        for link in _parse(page).links
        if "/section/" in link and urldefrag(link)[1].startswith("L")
    ]
    assert links
    for link in links:
        target, anchor = urldefrag(link)
        lines = _lines(_html((page.parent / target).resolve()))
        assert int(anchor.removeprefix("L")) in lines, link
