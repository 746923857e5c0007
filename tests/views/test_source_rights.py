"""What is known of the source texts' rights, shown on the pages of the documents and their
sections; the licence statement that keeps the editors' data apart from the quoted texts; and
a default publisher that says it is one."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import html5lib
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

from openforum_ld.views.pages import SiteInfo

from ..conftest import LOCAL_BASE

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from openforum_ld.load import Dataset
    from openforum_ld.publication import Publication

    from ..conftest import InProcessClient

DC_RIGHTS = "http://purl.org/dc/elements/1.1/rights"


def _rights(dataset: Dataset, document: str, language: str) -> str:
    [row] = dataset.store.select(
        f'SELECT ?r WHERE {{ <{document}> <{DC_RIGHTS}> ?r FILTER(lang(?r) = "{language}") }}'
    )
    return str(row["r"].value)


def _rights_section(html: str | bytes) -> Element | None:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = [s for s in tree.iter("section") if s.get("class") == "source-rights"]
    return found[0] if found else None


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_every_source_document_says_what_is_known_of_its_rights(dataset: Dataset) -> None:
    rows = dataset.store.select("SELECT ?d WHERE { ?d a ofo:SourceDocument }")
    assert len(rows) == 2
    for row in rows:
        for language in ("en", "fr"):
            statement = _rights(dataset, row["d"].value, language)
            assert statement  # and nothing the texts do not say: no holder, no licence
        english = _rights(dataset, row["d"].value, "en")
        assert "names no author, publisher" in english
        assert "rights stay with its authors" in english


def test_document_and_section_pages_show_the_rights_and_how_to_cite_the_text(
    built_site: Path, dataset: Dataset
) -> None:
    report = LOCAL_BASE + "id/document/forum-report"
    for page, language in (
        ("id/document/forum-report.html", "en"),
        ("id/document/forum-report.fr.html", "fr"),
        ("id/section/report-vi.html", "en"),
        ("id/section/report-vi.fr.html", "fr"),
    ):
        section = _rights_section((built_site / page).read_bytes())
        assert section is not None, page
        shown = _text(section)
        assert " ".join(_rights(dataset, report, language).split()) in shown, page
        [cited] = [a.get("href") for a in section.iter("a")]
        assert cited == LOCAL_BASE + "sources/forum-report.txt"
        assert (built_site / "sources" / "forum-report.txt").is_file()
        [title] = [_text(c) for c in section.iter("cite")]
        assert title.startswith("Report of the forum" if language == "en" else "Rapport du forum")
    assert _rights_section((built_site / "id/person/john-maritim.html").read_bytes()) is None


def test_the_server_shows_the_same_rights_on_a_section_page(
    app_client: InProcessClient, dataset: Dataset
) -> None:
    response = app_client.get("/id/section/web-agenda-2", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    section = _rights_section(response.content)
    assert section is not None
    statement = _rights(dataset, LOCAL_BASE + "id/document/forum-web-page", "en")
    assert " ".join(statement.split()) in _text(section)


def test_the_licence_statement_keeps_the_data_apart_from_the_quoted_texts(
    built_site: Path,
) -> None:
    for page in ("index.html", "id/person/john-maritim.html", "not-in-sources/index.html"):
        text = (built_site / page).read_text(encoding="utf-8")
        assert 'rel="license">CC BY 4.0</a>.' in text
        assert "Quoted source texts are not under this licence" in text, page
    home = (built_site / "index.fr.html").read_text(encoding="utf-8")
    assert "leurs droits restent à leurs auteurs" in home
    catalog = rdflib.Graph().parse(built_site / "catalog.ttl")
    [catalog_node] = list(catalog.subjects(RDF.type, DCAT.Catalog))
    [dataset_node] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    rights = catalog.value(catalog_node, DCTERMS.rights)
    assert catalog.value(dataset_node, DCTERMS.rights) == rights
    assert (rights, RDF.type, DCTERMS.RightsStatement) in catalog
    labels = {label.language: str(label) for label in catalog.objects(rights, RDFS.label)}
    assert set(labels) == {"en", "fr"}
    assert "source texts" in labels["en"] and "rights stay with their authors" in labels["en"]


def test_pages_say_plainly_when_the_publisher_is_the_default(
    built_site: Path, publication: Publication
) -> None:
    text = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Publisher not set: “openforum-ld” is the default" in text
    assert "OPENFORUM_LD_PUBLISHER_NAME" in text
    assert SiteInfo.of(publication.manifest).publisher_is_default
    named = dataclasses.replace(publication.manifest, publisher_name="Impact Data Office")
    site = SiteInfo.of(named)
    assert not site.publisher_is_default and site.publisher == "Impact Data Office"


def test_the_footer_names_a_configured_publisher_and_flags_the_default() -> None:
    from openforum_ld.iris import Iris
    from openforum_ld.views.pages import PageRenderer
    from openforum_ld.views.urls import StaticUrls

    urls = StaticUrls(Iris(LOCAL_BASE), "index.html", "en")
    named = SiteInfo("lic", "CC BY 4.0", "v", "s", LOCAL_BASE, "", "Impact Data Office", False)
    page = PageRenderer(urls, "en", named).error(404)
    assert "Published by Impact Data Office." in page and "Publisher not set" not in page
    default = dataclasses.replace(named, publisher="openforum-ld", publisher_is_default=True)
    french = PageRenderer(urls, "fr", default).error(404)
    assert "Éditeur non défini : « openforum-ld » est le nom par défaut" in french
    assert "OPENFORUM_LD_PUBLISHER_NAME" in french
