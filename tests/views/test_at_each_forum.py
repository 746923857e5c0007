"""A person's page shows each forum they took part in, and what they were and did at each: the
titles and posts the forum's documents give them, their talks and what they said."""

from __future__ import annotations

from typing import TYPE_CHECKING

import html5lib

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset

    from ..conftest import InProcessClient


def _title_after_name(text_file: Path, line: int, name: str, separator: str) -> str:
    """A speaker's title as a source text writes it after the name, on `line`."""
    text = text_file.read_text(encoding="utf-8")
    written = text.splitlines()[line - 1].strip()
    return written.split(name + separator, 1)[1].strip()


def _forums_shown(html: str) -> dict[str, dict[str, list[str]]]:
    """For each forum of the section "At each forum", its headed lists, as a reader sees them."""
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    [section] = [s for s in tree.iter("section") if s.get("class") == "at-each-forum"]
    shown = {}
    for part in (child for child in section if child.tag == "section"):
        [heading] = part.iter("h3")
        lists: dict[str, list[str]] = {}
        [terms] = part.iter("dl")
        current = ""
        for child in terms:
            if child.tag == "dt":
                current = "".join(child.itertext()).strip()
            else:
                items = ["".join(li.itertext()).strip() for li in child.iter("li")]
                lists[current] = items or ["".join(child.itertext()).strip()]
        shown["".join(heading.itertext()).strip()] = lists
    return shown


def test_a_person_at_two_forums_has_each_forums_title_and_talk(
    two_forums_client: InProcessClient, two_forums_settings: Settings
) -> None:
    response = two_forums_client.get(
        "/id/person/slobodan-milic", headers={"Accept": "text/html", "Accept-Language": "en"}
    )
    assert response.status_code == 200
    shown = _forums_shown(response.text)
    # Earliest first, each with its date.
    assert list(shown) == [
        "Open Smart Regions: Convergence for Openness (2020-11-20)",
        "Open Local Governments Exchange 2021 (2021-06-15)",
    ]
    first, second = shown.values()
    texts = two_forums_settings.sources_dir
    title_2020 = _title_after_name(texts / "forum-web-page.txt", 38, "Slobodan Milic", " - ")
    title_2021 = _title_after_name(
        texts / "local-exchange-programme.txt", 18, "Slobodan Milic", ","
    )
    assert title_2020 in first["Titles given"]
    assert title_2021 not in first["Titles given"]
    assert first["Posts"] == [title_2020]
    assert second["Titles given"] == [title_2021]
    assert second["Posts"] == [title_2021]
    assert second["Talks"] == ["Citizens In The Council Chamber"]
    assert "Citizens In The Council Chamber" not in first["Talks"]
    assert second["What they said"] == ["Municipalities with open council sessions: 11"]


def test_the_moderator_is_shown_as_such_at_the_forum(
    two_forums_client: InProcessClient, two_forums_dataset: Dataset
) -> None:
    response = two_forums_client.get(
        "/id/person/tarik-nesh-nash", headers={"Accept": "text/html", "Accept-Language": "fr"}
    )
    [(forum, lists)] = _forums_shown(response.text).items()
    assert forum.startswith("Open Smart Regions")
    assert lists["A modéré le forum"] == ["Oui"]
    [row] = two_forums_dataset.store.select(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ofo:statedBy ?p . "
        '?p skos:prefLabel "Tarik Nesh-Nash"@en }'
    )
    assert len(lists["Ce qu'elle ou il a dit"]) == int(row["n"].value) > 0


def test_a_page_not_about_a_person_has_no_such_section(two_forums_client: InProcessClient) -> None:
    response = two_forums_client.get("/id/organization/oecd", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert 'class="at-each-forum"' not in response.text


def test_a_membership_is_shown_at_the_forum_whose_document_states_it(
    two_forums_client: InProcessClient, two_forums_dataset: Dataset
) -> None:
    response = two_forums_client.get(
        "/id/person/amina-berrada", headers={"Accept": "text/html", "Accept-Language": "en"}
    )
    [(forum, lists)] = _forums_shown(response.text).items()
    assert forum.startswith("Open Local Governments Exchange 2021")
    rows = two_forums_dataset.store.select(
        "SELECT ?label WHERE { ?m org:member ?p ; org:organization/skos:prefLabel ?label . "
        '?p skos:prefLabel "Amina Berrada"@en FILTER(lang(?label) = "en") }'
    )
    assert lists["Memberships"] == [row["label"].value for row in rows] != []
