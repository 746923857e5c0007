"""What is known of the source texts' rights, shown on the pages of the documents and their
sections; the licence statement that keeps the editors' data apart from the quoted texts; and
a default publisher that says it is one."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import html5lib
import pytest
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


def _home_rights(html: str | bytes) -> Element:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    [section] = [s for s in tree.iter("section") if s.get("aria-labelledby") == "rights"]
    return section


def _documents(dataset_or_site: Dataset | Path) -> dict[str, dict[str, dict[str | None, str]]]:
    """Each source document -> its titles and its rights statements, by language."""
    from openforum_ld.load import Dataset

    query = (
        "SELECT ?d ?kind ?value WHERE { GRAPH ?g { ?d a <https://w3id.org/openforum/ontology#SourceDocument> "
        '{ ?d <http://www.w3.org/2004/02/skos/core#prefLabel> ?value BIND("title" AS ?kind) } UNION '
        f'{{ ?d <{DC_RIGHTS}> ?value BIND("rights" AS ?kind) }} }} }}'
    )
    if isinstance(dataset_or_site, Dataset):
        rows = [(r["d"], r["kind"], r["value"]) for r in dataset_or_site.store.select(query)]
    else:
        import pyoxigraph as ox

        store = ox.Store()
        store.load(path=dataset_or_site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
        rows = [(r["d"], r["kind"], r["value"]) for r in store.query(query)]  # type: ignore[index,union-attr]
    found: dict[str, dict[str, dict[str | None, str]]] = {}
    for document, kind, value in rows:
        found.setdefault(document.value, {}).setdefault(kind.value, {})[value.language] = (
            value.value
        )  # type: ignore[union-attr]
    return found


def _shown_rights(html: str | bytes) -> dict[str, tuple[str, str | None, str, str | None]]:
    """Document link -> (title, its lang, statement, its lang) on the home page."""
    shown = {}
    for item in _home_rights(html).iter("li"):
        [link] = item.iter("a")
        [statement] = item.iter("span")
        shown[link.get("href", "")] = (
            _text(link),
            link.get("lang"),
            _text(statement),
            statement.get("lang"),
        )
    return shown


def test_the_home_page_gives_each_documents_rights_as_the_data_states_them(
    built_site: Path, dataset: Dataset
) -> None:
    documents = _documents(dataset)
    for page, language in (("index.html", "en"), ("index.fr.html", "fr")):
        shown = {
            href.rsplit("/", 1)[-1].split(".")[0]: item
            for href, item in _shown_rights((built_site / page).read_bytes()).items()
        }
        expected = {}
        for iri, kinds in documents.items():
            # A statement the data gives in English alone is shown in English, marked so.
            rights = kinds["rights"]
            lang = language if language in rights else "en"
            expected[iri.rsplit("/", 1)[-1]] = (
                kinds["title"][language],
                language,
                " ".join(rights[lang].split()),
                lang,
            )
        assert shown == expected, page
        # Nothing said of the texts' rights but what the data says.
        paragraphs = " ".join(
            _text(p) for p in _home_rights((built_site / page).read_bytes()).iter("p")
        )
        assert "rights stay" not in paragraphs and "restent à leurs auteurs" not in paragraphs


def test_the_footer_leaves_the_texts_rights_to_the_home_page(built_site: Path) -> None:
    for page, home in (
        ("index.html", "index.html"),
        ("id/person/john-maritim.html", "../../index.html"),
        ("not-in-sources/index.html", "../index.html"),
    ):
        tree = html5lib.parse((built_site / page).read_bytes(), namespaceHTMLElements=False)
        [footer] = tree.iter("footer")
        [licence] = [a for a in footer.iter("a") if a.get("rel") == "license"]
        assert _text(licence) == "CC BY 4.0"
        [rights] = [a for a in footer.iter("a") if a.get("class") == "sources-rights"]
        assert rights.get("href") == home + "#rights"
        assert "not under this licence" not in _text(footer), page


def test_the_catalogs_rights_statement_gives_the_documents_own(
    built_site: Path, dataset: Dataset
) -> None:
    catalog = rdflib.Graph().parse(built_site / "catalog.ttl")
    [catalog_node] = list(catalog.subjects(RDF.type, DCAT.Catalog))
    [dataset_node] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    rights = catalog.value(catalog_node, DCTERMS.rights)
    assert catalog.value(dataset_node, DCTERMS.rights) == rights
    assert (rights, RDF.type, DCTERMS.RightsStatement) in catalog
    labels = {label.language: str(label) for label in catalog.objects(rights, RDFS.label)}
    assert set(labels) == {"en", "fr"}
    for kinds in _documents(dataset).values():
        for language in ("en", "fr"):
            assert " ".join(kinds["rights"][language].split()) in labels[language]
            assert kinds["title"][language] in labels[language]


@pytest.fixture(scope="module")
def unstated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `init` whose document states nothing of its rights."""
    from ..example_project import build, example_project

    folder = example_project(tmp_path_factory.mktemp("unstated") / "next-forum")
    sheet = folder / "data" / "forum.yaml"
    kept, dropping = [], False
    for line in sheet.read_text(encoding="utf-8").splitlines(keepends=True):
        dropping = line.startswith("  dc:rights") or (dropping and line.startswith("    "))
        if not dropping:
            kept.append(line)
    assert len(kept) < len(sheet.read_text(encoding="utf-8").splitlines())
    sheet.write_text("".join(kept), encoding="utf-8")
    return build(folder)


def test_a_project_shows_its_documents_rights_and_none_it_does_not_state(
    example_site: Path, unstated_site: Path
) -> None:
    [(iri, kinds)] = _documents(example_site).items()
    for page, language in (("index.html", "en"), ("index.fr.html", "fr")):
        [(href, shown)] = _shown_rights((example_site / page).read_bytes()).items()
        assert href.endswith(iri.rsplit("/", 1)[-1] + ("" if language == "en" else ".fr") + ".html")
        assert shown == (
            kinds["title"][language],
            language,
            " ".join(kinds["rights"][language].split()),
            language,
        )
    assert _documents(unstated_site) and all(
        "rights" not in kinds for kinds in _documents(unstated_site).values()
    )
    for page, words in (
        ("index.html", "The data states nothing of their rights."),
        ("index.fr.html", "Les données n'indiquent rien de leurs droits."),
    ):
        section = _home_rights((unstated_site / page).read_bytes())
        assert words in _text(section) and not list(section.iter("li"))
    catalog = rdflib.Graph().parse(unstated_site / "catalog.ttl")
    [catalog_node] = list(catalog.subjects(RDF.type, DCAT.Catalog))
    rights = catalog.value(catalog_node, DCTERMS.rights)
    labels = {label.language: str(label) for label in catalog.objects(rights, RDFS.label)}
    assert labels["en"].endswith("the data states nothing of their rights.")
    assert labels["fr"].endswith("les données n'indiquent rien de leurs droits.")


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
