"""The home page of a publication with two forums lists them, earliest first, each linked to
its own part of the page with its agenda."""

from __future__ import annotations

from typing import TYPE_CHECKING

import html5lib

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from openforum_ld.load import Dataset

    from ..conftest import InProcessClient


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _forums_listed(html: str | bytes) -> list[tuple[str, str]]:
    """(link text, target) of each forum in the page's list of forums."""
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    [nav] = [n for n in tree.iter("nav") if n.get("class") == "forums"]
    return [(_text(a), a.get("href", "")) for a in nav.iter("a")]


def _forum_sections(html: str | bytes) -> dict[str, Element]:
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    return {
        section.get("aria-labelledby", ""): section
        for section in tree.iter("section")
        if section.get("class") == "forum"
    }


def _forums_by_date(dataset: Dataset) -> list[tuple[str, str, str]]:
    rows = dataset.store.select(
        "SELECT ?f ?label ?date WHERE { ?f a ofo:Forum ; skos:prefLabel ?label ; "
        'schema:startDate ?date FILTER(lang(?label) = "en") } ORDER BY ?date'
    )
    return [(r["f"].value, r["label"].value, r["date"].value) for r in rows]


def test_the_home_page_lists_both_forums_earliest_first(
    two_forums_client: InProcessClient, two_forums_site: Path, two_forums_dataset: Dataset
) -> None:
    expected = _forums_by_date(two_forums_dataset)
    assert len(expected) == 2
    served = two_forums_client.get("/", headers={"Accept": "text/html"}).text
    written = (two_forums_site / "index.html").read_bytes()
    for html in (served, written):
        listed = _forums_listed(html)
        assert [text for text, _ in listed] == [label for _, label, _ in expected]
        sections = _forum_sections(html)
        for (_, target), (_, label, _) in zip(listed, expected, strict=True):
            section = sections[target.removeprefix("#")]
            [heading] = section.iter("h1")
            assert _text(heading) == label


def test_each_forum_shows_its_own_agenda(
    two_forums_client: InProcessClient, two_forums_dataset: Dataset
) -> None:
    html = two_forums_client.get("/", headers={"Accept": "text/html"}).text
    sections = list(_forum_sections(html).values())
    for (forum, _, _), section in zip(_forums_by_date(two_forums_dataset), sections, strict=True):
        talks = two_forums_dataset.store.select(
            "SELECT ?label WHERE { ?talk schema:superEvent/schema:superEvent "
            f'<{forum}> ; skos:prefLabel ?label FILTER(lang(?label) = "en") }}'
        )
        [agenda] = [o for o in section.iter("ol") if o.get("class") == "agenda"]
        shown = {_text(a) for a in agenda.iter("a")}
        assert {row["label"].value for row in talks} <= shown


def test_a_home_page_of_one_forum_has_no_list_of_forums(app_client: InProcessClient) -> None:
    html = app_client.get("/", headers={"Accept": "text/html"}).text
    assert 'class="forums"' not in html


def _descriptions(html: str | bytes) -> list[tuple[str, str | None]]:
    """(text, lang attribute) of each forum description on a home page."""
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        (_text(p), p.get("lang"))
        for section in tree.iter("section")
        if section.get("class") == "forum"
        for p in section.iter("p")
        if p.get("class") == "description"
    ]


def _described(site: Path) -> list[tuple[str, str]]:
    """(text, language) of every forum description in the site's dump."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
    rows = store.query(
        "SELECT DISTINCT ?d WHERE { GRAPH ?g { ?f a <https://w3id.org/openforum/ontology#Forum> ;"
        " <http://schema.org/description> ?d } }"
    )
    return [(row["d"].value, row["d"].language) for row in rows]  # type: ignore[union-attr]


def test_each_home_page_describes_the_forum_once_in_its_own_language(example_site: Path) -> None:
    described = _described(example_site)
    assert {language for _, language in described} == {"en", "fr"}
    for page, language in (("index.html", "en"), ("index.fr.html", "fr")):
        shown = _descriptions((example_site / page).read_bytes())
        expected = [(" ".join(text.split()), lang) for text, lang in described if lang == language]
        assert shown == expected, page


def test_a_forum_described_in_its_main_language_only_is_so_described_in_every_language(
    built_site: Path, dataset: Dataset
) -> None:
    rows = dataset.store.select(
        "SELECT DISTINCT ?d WHERE { ?f a ofo:Forum ; schema:description ?d }"
    )
    described = {(row["d"].value, row["d"].language) for row in rows}  # type: ignore[union-attr]
    assert {language for _, language in described} == {"en"} and len(described) > 1
    for page in ("index.html", "index.fr.html"):
        # Every paragraph, each marked as the English it is.
        assert set(_descriptions((built_site / page).read_bytes())) == described, page


def test_agenda_links_carry_the_language_of_the_label_they_show(
    built_site: Path, dataset: Dataset
) -> None:
    rows = dataset.store.select("SELECT ?l WHERE { ?x skos:prefLabel|schema:name ?l }")
    labels = {(row["l"].value, row["l"].language) for row in rows}  # type: ignore[union-attr]
    for page in ("index.html", "index.fr.html"):
        tree: Element = html5lib.parse(
            (built_site / page).read_bytes(), namespaceHTMLElements=False
        )
        [agenda] = [o for o in tree.iter("ol") if o.get("class") == "agenda"]
        links = list(agenda.iter("a"))
        assert links
        assert {(_text(a), a.get("lang")) for a in links} <= labels, page


def _forum_labels(site: Path) -> dict[str, str]:
    """The forum's preferred labels, by language, from the site's dump."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
    rows = store.query(
        "SELECT ?l WHERE { GRAPH ?g { ?f a <https://w3id.org/openforum/ontology#Forum> ;"
        " <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"
    )
    return {row["l"].language: row["l"].value for row in rows}  # type: ignore[union-attr]


def test_the_citation_titles_the_dataset_in_the_readers_language(example_site: Path) -> None:
    labels = _forum_labels(example_site)
    assert labels.keys() >= {"en", "fr"} and labels["en"] != labels["fr"]
    for page, language, words in (
        ("index.html", "en", ": linked open data"),
        ("index.fr.html", "fr", "\u00a0: données ouvertes liées"),
    ):
        tree: Element = html5lib.parse(
            (example_site / page).read_bytes(), namespaceHTMLElements=False
        )
        [section] = [s for s in tree.iter("section") if s.get("class") == "citation"]
        [cite] = section.iter("cite")
        [name] = cite.iter("span")
        assert (name.text, name.get("lang")) == (labels[language], language), page
        assert "".join(cite.itertext()) == labels[language] + words
        # The page's own title names the forum the same way.
        [heading] = [h for h in tree.iter("h1") if h.get("id") == "forum-1"]
        assert _text(heading) == labels[language]
