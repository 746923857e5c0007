"""Search over every name and label in every language and script: a project made by `init`
whose person is also named in Arabic, served in this process."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from openforum_ld.config import Settings
from openforum_ld.iris import Iris
from openforum_ld.publication import Publication
from openforum_ld.views.search import LABEL_PROPERTIES
from openforum_ld.web.app import create_app
from openforum_ld.web.engine import InlineEngine, publication_context

from ..conftest import InProcessClient
from ..example_project import ARABIC_NAME, BASE, PERSON

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

PERSON_IRI = f"{BASE}id/person/{PERSON}"


@pytest.fixture(scope="module")
def example_client(example_site: Path) -> Iterator[InProcessClient]:
    """The application on the example publication, its jobs run in this process; asked at the
    root of the base's host, as a proxy that serves the base's path would ask it."""
    opened = Publication.open(example_site)
    context = publication_context(opened, Iris(BASE))
    app = create_app(Settings.load(base_uri=BASE), opened, InlineEngine(context))
    client = InProcessClient(app, urlsplit(BASE)._replace(path="/").geturl())
    try:
        yield client
    finally:
        client.close()
        opened.close()


def _store(site: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
    return store


def _labels(store: ox.Store, iri: str) -> dict[str, str]:
    """The preferred labels of `iri`, by language."""
    rows = store.query(
        f"SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}",
        use_default_graph_as_union=True,
    )
    return {row["l"].language: row["l"].value for row in rows}  # type: ignore[index,union-attr]


def _found(client: InProcessClient, query: str, language: str = "en") -> list[dict[str, str]]:
    response = client.get(
        "search",
        params={"q": query, "lang": language},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def test_a_name_in_another_script_is_found_and_shown_in_the_readers_language(
    example_client: InProcessClient, example_site: Path
) -> None:
    labels = _labels(_store(example_site), PERSON_IRI)
    first_word = ARABIC_NAME.split()[0]
    for language in ("en", "fr"):
        hits = _found(example_client, first_word, language)
        assert [hit["iri"] for hit in hits] == [PERSON_IRI]
        assert hits[0]["label"] == labels[language]
        assert hits[0]["matched"] == ARABIC_NAME
    # A vowel sign written over a letter does not keep the name from being found.
    with_vowel = first_word[0] + "\u064e" + first_word[1:]
    assert [hit["iri"] for hit in _found(example_client, with_vowel)] == [PERSON_IRI]


def test_the_page_of_results_links_the_label_in_the_readers_language(
    example_client: InProcessClient, example_site: Path
) -> None:
    labels = _labels(_store(example_site), PERSON_IRI)
    # One word of two: not an exact match, so a page of results rather than a redirect.
    page = example_client.get(
        "search",
        params={"q": ARABIC_NAME.split()[0], "lang": "fr"},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 200
    assert f'lang="fr" dir="auto">{labels["fr"]}</a>' in page.text
    # The name that matched, marked with its language, right to left.
    assert f'<small lang="ar" dir="rtl">({ARABIC_NAME})</small>' in page.text


def test_every_name_and_label_in_every_language_finds_its_entity(
    example_client: InProcessClient, example_site: Path
) -> None:
    store = _store(example_site)
    properties = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = list(
        store.query(
            f"SELECT DISTINCT ?s ?label WHERE {{ ?s ?p ?label "
            f'FILTER(?p IN ({properties}) && STRSTARTS(STR(?s), "{BASE}id/")) }}',
            use_default_graph_as_union=True,
        )
    )
    languages = {row["label"].language for row in rows}  # type: ignore[index,union-attr]
    assert {"en", "fr", "ar"} <= languages
    for row in rows:
        label, iri = row["label"].value, row["s"].value  # type: ignore[index,union-attr]
        # Upper case and without accents, as a reader may type it.
        typed = "".join(
            c for c in unicodedata.normalize("NFD", label.upper()) if not unicodedata.combining(c)
        )
        assert iri in {hit["iri"] for hit in _found(example_client, typed)}, label
