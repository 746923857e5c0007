"""An entity's page: its names in other languages and scripts under its title, each marked with
its language and direction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import html5lib
import pyoxigraph as ox
import pytest

from openforum_ld.views.pages import text_direction

from ..example_project import ARABIC_NAME, BASE, PERSON

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element


def _other_names(html: bytes) -> list[tuple[str, str | None, str | None]]:
    """(text, lang, dir) of each name shown under the title."""
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    [names] = [p for p in tree.iter("p") if p.get("class") == "other-names"] or [None]
    if names is None:
        return []
    return [("".join(s.itertext()), s.get("lang"), s.get("dir")) for s in names.iter("span")]


def _title(html: bytes) -> str:
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    return "".join(next(tree.iter("h1")).itertext())


def _names(site: Path, iri: str) -> set[tuple[str, str | None]]:
    """Every name of `iri` in the site's dump: (text, language)."""
    store = ox.Store()
    store.load(path=site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
    rows = store.query(
        f"SELECT DISTINCT ?name WHERE {{ GRAPH ?g {{ <{iri}> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://schema.org/name>|"
        "<http://xmlns.com/foaf/0.1/name> ?name } }"
    )
    return {(row["name"].value, row["name"].language) for row in rows}  # type: ignore[union-attr]


def test_a_persons_page_shows_the_name_in_arabic_right_to_left(example_site: Path) -> None:
    assert (ARABIC_NAME, "ar") in _names(example_site, f"{BASE}id/person/{PERSON}")
    for page in (f"{PERSON}.html", f"{PERSON}.fr.html"):
        shown = _other_names((example_site / "id" / "person" / page).read_bytes())
        assert (ARABIC_NAME, "ar", "rtl") in shown, page


def test_every_name_but_the_title_is_shown_once_in_its_language(example_site: Path) -> None:
    for kind, slug in (("person", PERSON), ("forum", "example-forum")):
        names = _names(example_site, f"{BASE}id/{kind}/{slug}")
        for page in (f"{slug}.html", f"{slug}.fr.html"):
            html = (example_site / "id" / kind / page).read_bytes()
            title = _title(html)
            shown = _other_names(html)
            texts = [text for text, _, _ in shown]
            assert title not in texts and len(texts) == len(set(texts)), page
            assert {text for text, _ in names} == {title, *texts}, page
            assert {(text, lang) for text, lang, _ in shown} <= names, page


@pytest.mark.parametrize(
    ("language", "direction"),
    [
        ("ar", "rtl"),
        ("ar-MA", "rtl"),
        ("fa", "rtl"),
        ("he", "rtl"),
        ("az-Arab", "rtl"),
        ("ar-Latn", "auto"),
        ("en", "auto"),
        ("fr", "auto"),
        (None, "auto"),
    ],
)
def test_right_to_left_scripts_are_said_outright(language: str | None, direction: str) -> None:
    assert text_direction(language) == direction


def test_source_labels_are_marked_with_the_language_they_are_in(example_site: Path) -> None:
    store = ox.Store()
    store.load(path=example_site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
    rows = store.query(
        "SELECT DISTINCT ?label WHERE { GRAPH ?g { ?section a "
        "<https://w3id.org/openforum/ontology#SourceSection> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } }"
    )
    labels = {(row["label"].value, row["label"].language) for row in rows}  # type: ignore[union-attr]
    # A French page: the sections are named in the forum's main language, English, and say so.
    html = (example_site / "id" / "person" / f"{PERSON}.fr.html").read_bytes()
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    [listed] = [ul for ul in tree.iter("ul") if ul.get("class") == "source-list"]
    links = [a for li in listed.iter("li") for a in li.iter("a")]
    assert links
    assert {("".join(a.itertext()), a.get("lang")) for a in links} <= labels
    chips = [
        a
        for s in tree.iter("span")
        if s.get("class") == "sources"
        for a in s.iter("a")
        if a.get("class") is None  # not a link to a page that confirms a value
    ]
    assert chips
    full = {text.split(":")[0]: language for text, language in labels}
    assert {("".join(a.itertext()), a.get("lang")) for a in chips} <= set(full.items())
