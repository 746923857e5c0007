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
