"""Retired IRIs over HTTP: a replaced one moves for good to its replacement, a withdrawn one is
gone with a tombstone that says what it was, when it went and why; neither counts as an
entity. The data are the forum's with graph/retired of tests/data/retired."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import html5lib
import pyoxigraph as ox
import pytest
import rdflib

from openforum_ld.iris import DCTERMS, OWL, PROV, SKOS

from ..conftest import LOCAL_BASE, RENAMED, TEST_DATA, TWINS, WITHDRAWN

if TYPE_CHECKING:
    from pathlib import Path

    from ..conftest import InProcessClient

RETIRED_DATA = TEST_DATA / "retired" / "retired.trig"


def _retired_record(iri: str) -> dict[str, dict[str, str]]:
    """What tests/data/retired says of `iri`: property -> {language or "": value}."""
    found: dict[str, dict[str, str]] = {}
    base = iri.split("id/")[0]
    for quad in ox.parse(path=str(RETIRED_DATA), format=ox.RdfFormat.TRIG, base_iri=base):
        if quad.subject.value == iri:
            value = quad.object
            language = value.language or "" if isinstance(value, ox.Literal) else ""
            found.setdefault(quad.predicate.value, {})[language] = value.value
    return found


def _text(html: str) -> str:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join(" ".join(tree.find("body").itertext()).split())


@pytest.mark.parametrize("suffix", ["", *(suffix for suffix, _ in TWINS)])
def test_a_replaced_iri_moves_for_good_to_its_replacement(
    retired_client: InProcessClient, suffix: str
) -> None:
    old, new = RENAMED
    response = retired_client.get(f"/{old}{suffix}?lang=fr")
    assert response.status_code == 301
    assert response.headers["location"] == f"/{new}{suffix}?lang=fr"


def test_the_replacement_answers_and_names_what_it_replaces(
    retired_client: InProcessClient,
) -> None:
    response = retired_client.get(f"/{RENAMED[1]}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    page = retired_client.get(f"/{RENAMED[1]}", headers={"Accept": "text/html"})
    tree = html5lib.parse(page.text, namespaceHTMLElements=False)
    assert f"/{RENAMED[0]}" in {a.get("href") for a in tree.iter("a")}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_withdrawn_iri_is_gone_with_a_tombstone(
    retired_client: InProcessClient, language: str
) -> None:
    iri = retired_client.base_url + WITHDRAWN
    record = _retired_record(iri)
    response = retired_client.get(
        f"/{WITHDRAWN}", headers={"Accept": "text/html", "Accept-Language": language}
    )
    assert response.status_code == 410
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-language"] == language
    text = _text(response.text)
    assert iri in text
    assert record[SKOS + "historyNote"][language] in text  # why
    assert record[PROV + "invalidatedAtTime"][""][:10] in text  # when
    label = record["http://www.w3.org/2000/01/rdf-schema#label"]
    assert (label.get(language) or label["en"]) in text  # what
    tree = html5lib.parse(response.text, namespaceHTMLElements=False)
    hrefs = {a.get("href") for a in tree.iter("a")}
    assert "/uri-policy" in {h.split("?")[0] for h in hrefs}
    assert '</uri-policy>; rel="help"' in response.headers["link"]


@pytest.mark.parametrize(("suffix", "media_type"), [t for t in TWINS if t[0] != ".html"])
def test_a_withdrawn_iri_gives_rdf_clients_its_record(
    retired_client: InProcessClient, suffix: str, media_type: str
) -> None:
    iri = retired_client.base_url + WITHDRAWN
    negotiated = retired_client.get(f"/{WITHDRAWN}", headers={"Accept": media_type})
    by_suffix = retired_client.get(f"/{WITHDRAWN}{suffix}")
    for response in (negotiated, by_suffix):
        assert response.status_code == 410
        assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in negotiated.headers["vary"]
    fmt = {".jsonld": "json-ld", ".rdf": "xml", ".nq": "nquads"}.get(suffix, suffix[1:])
    graph = rdflib.Dataset(default_union=True)
    graph.parse(data=by_suffix.content, format=fmt, publicID=iri)
    subject = rdflib.URIRef(iri)
    assert (subject, rdflib.URIRef(OWL + "deprecated"), rdflib.Literal(True)) in graph
    assert graph.value(subject, rdflib.URIRef(PROV + "invalidatedAtTime")) is not None
    assert graph.value(subject, rdflib.URIRef(DCTERMS + "isReplacedBy")) is None


def test_head_answers_as_get_does(retired_client: InProcessClient) -> None:
    for path in (WITHDRAWN, RENAMED[0]):
        got = retired_client.get(f"/{path}")
        head = retired_client.head(f"/{path}")
        assert head.status_code == got.status_code
        assert head.content == b""
        assert head.headers.get("location") == got.headers.get("location")


def test_an_unknown_iri_is_still_not_found(retired_client: InProcessClient) -> None:
    assert retired_client.get("/id/topic/never-published").status_code == 404


def test_retired_iris_are_not_entities(retired_client: InProcessClient) -> None:
    """Not listed, not found by search, not in the site map, not counted."""
    for path in (WITHDRAWN, RENAMED[0]):
        kind = path.split("/")[1]
        listing = retired_client.get(f"/id/{kind}/")
        assert f"/{path}" not in {
            a.get("href")
            for a in html5lib.parse(listing.text, namespaceHTMLElements=False).iter("a")
        }
        label = _retired_record(retired_client.base_url + path)[
            "http://www.w3.org/2000/01/rdf-schema#label"
        ]["en"]
        found = retired_client.get("/search", params={"q": label, "format": "json"})
        assert retired_client.base_url + path not in {r["iri"] for r in found.json()["results"]}


def test_the_site_map_and_void_leave_retired_iris_out(retired_site: Path, built_site: Path) -> None:
    sitemap = (retired_site / "sitemap.xml").read_text(encoding="utf-8")
    assert WITHDRAWN not in sitemap and RENAMED[0] not in sitemap
    assert f"<loc>{LOCAL_BASE}uri-policy</loc>" in sitemap

    def entities(site: Path) -> int:
        void = rdflib.Graph().parse(site / "void.ttl")
        dataset = next(void.subjects(rdflib.URIRef("http://rdfs.org/ns/void#rootResource")))
        return int(void.value(dataset, rdflib.URIRef("http://rdfs.org/ns/void#entities")))

    # The same data, less the retired graph: the same entities.
    assert entities(retired_site) == entities(built_site)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_uri_policy_page(retired_client: InProcessClient, language: str) -> None:
    response = retired_client.get("/uri-policy", headers={"Accept-Language": language})
    assert response.status_code == 200
    assert response.headers["content-language"] == language
    text = _text(response.text)
    base = retired_client.base_url
    assert f"{base}id/{{kind}}/{{slug}}" in text
    assert "301" in text and "410" in text
    assert base + WITHDRAWN in text and base + RENAMED[0] in text  # the retired IRIs listed


def test_every_page_links_to_the_uri_policy(retired_client: InProcessClient) -> None:
    for path in ("/", f"/{RENAMED[1]}", "/validation", "/id/person/", "/graph/retired"):
        response = retired_client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
        tree = html5lib.parse(response.text, namespaceHTMLElements=False)
        footer = tree.find(".//footer")
        assert "/uri-policy" in {a.get("href") for a in footer.iter("a")}, path


def test_the_static_build_writes_the_tombstones_and_the_policy(retired_site: Path) -> None:
    for language_suffix in (".html", ".fr.html"):
        tombstone = (retired_site / f"{WITHDRAWN}{language_suffix}").read_text(encoding="utf-8")
        assert retired_site.joinpath(f"uri-policy{language_suffix}").is_file()
        assert "uri-policy" in tombstone
    assert re.search(
        r'href="(\.\./)+uri-policy\.fr\.html"', (retired_site / f"{WITHDRAWN}.fr.html").read_text()
    )
    for suffix, _ in TWINS:
        assert (retired_site / f"{WITHDRAWN}{suffix}").is_file()
    # A replaced IRI has nothing of its own: its rule in the rewrites sends clients on.
    assert not list(retired_site.glob(f"{RENAMED[0]}.*"))
    assert json.loads((retired_site / "version.json").read_text())["version"]
