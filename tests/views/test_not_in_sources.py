"""The "not in the sources" page: one list, stated in the data, shown on the page in English and
French, and the same as the list in docs/model.md."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import html5lib
import rdflib
from rdflib.namespace import DCAT, FOAF, RDF

from ..conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from openforum_ld.load import Dataset

    from ..conftest import InProcessClient

OFO = "https://w3id.org/openforum/ontology#"


def _documented_items() -> set[str]:
    """The bullets of docs/model.md's section "Not in the sources, so not in the data"."""
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("## Not in the sources, so not in the data", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^- (.+)$", section, flags=re.MULTILINE))


def _data_items(dataset: Dataset, language: str) -> set[str]:
    rows = dataset.store.select(
        f"SELECT ?item WHERE {{ ?forum a ofo:Forum ; <{OFO}notInSources> ?item "
        f'FILTER(lang(?item) = "{language}") }}'
    )
    return {row["item"].value for row in rows}


def _listed(html: str | bytes) -> tuple[str, list[str]]:
    """The page's language and the items of its list, as a browser's parser reads them."""
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    [listing] = [u for u in tree.iter("ul") if u.get("class") == "not-in-sources"]
    return str(tree.get("lang")), ["".join(li.itertext()) for li in listing.iter("li")]


def test_docs_and_data_list_the_same_things_not_in_the_sources(dataset: Dataset) -> None:
    documented = _documented_items()
    assert len(documented) >= 10
    assert _data_items(dataset, "en") == documented
    assert len(_data_items(dataset, "fr")) == len(documented)


def test_the_page_shows_the_list_in_english_and_in_french(
    built_site: Path, dataset: Dataset
) -> None:
    for name, language in (("index.html", "en"), ("index.fr.html", "fr")):
        page = (built_site / "not-in-sources" / name).read_bytes()
        shown_language, items = _listed(page)
        assert shown_language == language
        assert set(items) == _data_items(dataset, language), name
        assert len(items) == len(set(items))


def test_the_home_page_and_the_catalog_link_to_the_page(built_site: Path) -> None:
    for name, target in (
        ("index.html", "not-in-sources/index.html"),
        ("index.fr.html", "not-in-sources/index.fr.html"),
    ):
        home = (built_site / name).read_text(encoding="utf-8")
        assert f'href="{target}"' in home, name
    catalog = rdflib.Graph().parse(built_site / "catalog.ttl")
    [dataset] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    pages = {str(p) for p in catalog.objects(dataset, FOAF.page)}
    assert LOCAL_BASE + "not-in-sources/index.html" in pages
    assert (built_site / "not-in-sources" / "index.html").is_file()


def test_the_server_shows_the_same_page_in_the_readers_language(
    app_client: InProcessClient, dataset: Dataset
) -> None:
    for headers, language in (({}, "en"), ({"Accept-Language": "fr"}, "fr")):
        response = app_client.get("/not-in-sources", headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-language"] == language
        shown_language, items = _listed(response.content)
        assert shown_language == language
        assert set(items) == _data_items(dataset, language)
    home = app_client.get("/").text
    assert 'href="/not-in-sources"' in home
    catalog_link = app_client.get("/not-in-sources/index.html")
    assert catalog_link.status_code == 200  # the address the catalog gives
