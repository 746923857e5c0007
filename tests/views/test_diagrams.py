"""The diagrams the build draws: well-formed SVG holding every section, talk, speaker and place
of the store in the order and shape the data gives, every box a link to a page of the site, the
same bytes from one build to the next; and the pages that show them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING

import html5lib
import pytest

from openforum_ld import publish
from openforum_ld.views.svg import text_width, wrap

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset

SVG = "{http://www.w3.org/2000/svg}"
_PATH = re.compile(r"M(\d+) (\d+)H(\d+)V(\d+)H(\d+)")


@dataclass(frozen=True)
class Box:
    """A box of a drawn tree, as read back from the SVG."""

    title: str
    href: str
    x: int
    y: int
    width: int
    height: int

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


def _boxes(root: ET.Element) -> list[Box]:
    boxes = []
    for link in root.iter(f"{SVG}a"):
        title, rect = link.find(f"{SVG}title"), link.find(f"{SVG}rect")
        assert title is not None and rect is not None, ET.tostring(link)
        boxes.append(
            Box(
                title.text or "",
                link.get("href", ""),
                *(int(rect.get(name, "")) for name in ("x", "y", "width", "height")),
            )
        )
    return boxes


def _edges(root: ET.Element, boxes: list[Box]) -> set[tuple[str, str]]:
    """(child, parent) titles of every connector, found by where it starts and ends."""
    edges = set()
    for path in root.iter(f"{SVG}path"):
        match = _PATH.fullmatch(path.get("d", ""))
        assert match, path.get("d")
        start, start_y, _, end_y, end = map(int, match.groups())
        (parent,) = [b for b in boxes if b.x + b.width == start and b.middle == start_y]
        (child,) = [b for b in boxes if b.x == end and b.middle == end_y]
        edges.add((child.title, parent.title))
    return edges


def _english(dataset: Dataset, pattern: str, *names: str) -> list[tuple[str, ...]]:
    """Rows of a query's variables, in its order; `?x` variables come with `?xLabel`, the
    resource's English preferred label."""
    rows = dataset.store.select(pattern)
    return [tuple(row[name].value for name in names) for row in rows]


@pytest.fixture(scope="module")
def diagrams(built_site: Path) -> dict[str, ET.Element]:
    """Every SVG the build wrote, parsed, by its path in the site."""
    files = sorted((built_site / "diagrams").glob("*.svg"))
    assert files, "the build wrote no diagram"
    return {f"diagrams/{f.name}": ET.parse(f).getroot() for f in files}


def _agenda(diagrams: dict[str, ET.Element]) -> ET.Element:
    """The agenda of the (one) forum, in English."""
    (found,) = [
        root
        for path, root in diagrams.items()
        if re.fullmatch(r"diagrams/agenda-[a-z0-9-]+\.svg", path)
    ]
    return found


def test_every_diagram_is_an_svg_document_with_a_title_and_a_description(
    diagrams: dict[str, ET.Element],
) -> None:
    assert set(diagrams) >= {"diagrams/places.svg", "diagrams/places.fr.svg"}
    for path, root in diagrams.items():
        assert root.tag == f"{SVG}svg", path
        title, description = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text, path
        assert description is not None and description.text, path
        assert root.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
        width, height = int(root.get("width", "0")), int(root.get("height", "0"))
        assert root.get("viewBox") == f"0 0 {width} {height}"
        for box in _boxes(root):
            assert box.x >= 0 and box.x + box.width <= width, (path, box)
            assert box.y >= 0 and box.y + box.height <= height, (path, box)
        # Drawn with attributes only: a Content-Security-Policy refusing inline styles and
        # scripts (the server's) changes nothing.
        assert not [e for e in root.iter() if e.get("style") or e.tag.endswith("script")], path


def test_the_agenda_holds_every_section_talk_and_speaker_in_agenda_order(
    dataset: Dataset, diagrams: dict[str, ET.Element]
) -> None:
    sections = _english(
        dataset,
        """SELECT ?label (MIN(?order) AS ?position) WHERE {
             ?forum a ofo:Forum ; schema:subEvent ?section .
             ?section ofo:agendaOrder ?order ; skos:prefLabel ?label FILTER(lang(?label) = "en")
           } GROUP BY ?section ?label ORDER BY ?position""",
        "label",
    )
    talks = _english(
        dataset,
        """SELECT ?sectionLabel ?label (MIN(?order) AS ?position) WHERE {
             ?forum a ofo:Forum ; schema:subEvent ?section .
             ?section schema:subEvent ?talk ; skos:prefLabel ?sectionLabel .
             ?talk ofo:agendaOrder ?order ; skos:prefLabel ?label
             FILTER(lang(?label) = "en" && lang(?sectionLabel) = "en")
           } GROUP BY ?sectionLabel ?talk ?label ORDER BY ?sectionLabel ?position""",
        "sectionLabel",
        "label",
    )
    speakers = _english(
        dataset,
        """SELECT DISTINCT ?talkLabel ?label WHERE {
             ?forum a ofo:Forum ; schema:subEvent ?section . ?section schema:subEvent ?talk .
             ?talk ofo:agendaOrder ?order ; schema:performer ?speaker ; skos:prefLabel ?talkLabel .
             ?speaker skos:prefLabel ?label
             FILTER(lang(?label) = "en" && lang(?talkLabel) = "en")
           }""",
        "talkLabel",
        "label",
    )
    assert sections and talks and speakers
    root = _agenda(diagrams)
    boxes = _boxes(root)
    columns = sorted({box.x for box in boxes})
    assert len(columns) == 3
    shown_sections = [b.title for b in boxes if b.x == columns[0]]
    assert shown_sections == [label for (label,) in sections]
    edges = _edges(root, boxes)
    for section in shown_sections:
        shown_talks = [b for b in sorted(boxes, key=lambda b: b.y) if (b.title, section) in edges]
        assert [b.title for b in shown_talks] == [t for s, t in talks if s == section]
        assert {b.x for b in shown_talks} == {columns[1]}
    drawn_speakers = {(parent, child) for child, parent in edges if parent not in shown_sections}
    assert drawn_speakers == set(speakers)
    assert {b.x for b in boxes if b.title in {s for _, s in speakers}} == {columns[2]}


def test_the_tree_of_places_draws_every_place_under_the_places_it_is_in(
    dataset: Dataset, diagrams: dict[str, ET.Element]
) -> None:
    places = {
        label
        for (label,) in _english(
            dataset,
            """SELECT ?label WHERE { ?place a schema:Place ; skos:prefLabel ?label
                 FILTER(lang(?label) = "en" && CONTAINS(STR(?place), "/id/place/")) }""",
            "label",
        )
    }
    stated = set(
        _english(
            dataset,
            """SELECT ?label ?parentLabel WHERE {
                 ?place schema:containedInPlace ?parent ; skos:prefLabel ?label .
                 ?parent a schema:Place ; skos:prefLabel ?parentLabel
                 FILTER(lang(?label) = "en" && lang(?parentLabel) = "en")
               }""",
            "label",
            "parentLabel",
        )
    )
    root = diagrams["diagrams/places.svg"]
    boxes = _boxes(root)
    assert {b.title for b in boxes} == places
    drawn = _edges(root, boxes)
    assert drawn <= stated

    def reaches(child: str, ancestor: str, seen: frozenset[str] = frozenset()) -> bool:
        parents = {p for c, p in drawn if c == child and p not in seen}
        return ancestor in parents or any(reaches(p, ancestor, seen | {p}) for p in parents)

    # Every containment the data states is drawn, or follows from the ones drawn.
    assert [pair for pair in stated if not reaches(*pair)] == []
    # A tree starts at each place that is in no other place, and only there.
    leftmost = min(b.x for b in boxes)
    assert {b.title for b in boxes if b.x == leftmost} == places - {c for c, _ in stated}


def test_the_french_diagrams_use_french_labels_where_the_data_has_them(
    dataset: Dataset, diagrams: dict[str, ET.Element]
) -> None:
    french = {
        english: translated
        for english, translated in _english(
            dataset,
            """SELECT ?en ?fr WHERE { ?place a schema:Place ; skos:prefLabel ?en, ?fr
                 FILTER(lang(?en) = "en" && lang(?fr) = "fr") }""",
            "en",
            "fr",
        )
    }
    assert french
    english_titles = {b.title for b in _boxes(diagrams["diagrams/places.svg"])}
    french_titles = {b.title for b in _boxes(diagrams["diagrams/places.fr.svg"])}
    assert french_titles == {french.get(title, title) for title in english_titles}
    assert (
        diagrams["diagrams/places.fr.svg"].get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    )


def test_every_box_links_to_a_page_of_the_site(
    built_site: Path, diagrams: dict[str, ET.Element]
) -> None:
    for path, root in diagrams.items():
        french = path.endswith(".fr.svg")
        for box in _boxes(root):
            target, _, query = box.href.partition("?")
            assert query == ("lang=fr" if french else ""), (path, box.href)
            page = (built_site / "diagrams" / target).resolve()
            assert page.is_file(), f"{path}: {box.href} leads nowhere"
            assert page.is_relative_to(built_site.resolve() / "id")
            if french:  # the page the rewrite rules and the server give for ?lang=fr
                assert page.with_name(page.stem + ".fr.html").is_file()


def test_the_diagrams_are_the_same_bytes_from_one_build_to_the_next(
    tmp_path: Path, settings: Settings, built_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1606780800")
    again = tmp_path / "site"
    publish.build(settings, again)
    first = {p.name: p.read_bytes() for p in (built_site / "diagrams").iterdir()}
    second = {p.name: p.read_bytes() for p in (again / "diagrams").iterdir()}
    assert first == second


def _html(path: Path) -> ET.Element:
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("page", "list_selector"),
    [
        ("index.html", ".//ol[@class='agenda']"),
        ("index.fr.html", ".//ol[@class='agenda']"),
        ("id/place/index.html", ".//ul[@class='listing']"),
        ("id/place/index.fr.html", ".//ul[@class='listing']"),
        # The forum's own page: its sections are listed as its sub-events.
        ("id/forum/open-smart-regions-2020.html", ".//section[@aria-labelledby='properties']"),
        ("id/forum/open-smart-regions-2020.fr.html", ".//section[@aria-labelledby='properties']"),
    ],
)
def test_pages_show_their_diagram_as_an_image_beside_the_list_it_draws(
    built_site: Path, page: str, list_selector: str
) -> None:
    document = _html(built_site / page)
    (figure,) = document.iterfind(".//figure[@class='diagram']")
    image = figure.find("./a/img")
    assert image is not None
    assert image.get("alt"), "the image needs a text alternative"
    source = (built_site / page).parent / image.get("src", "")
    assert source.is_file() and source.suffix == ".svg"
    language = "fr" if page.endswith(".fr.html") else "en"
    assert source.name.endswith(".fr.svg") == (language == "fr")
    assert document.find(list_selector) is not None, "the list stays, as the text alternative"


def test_wrapped_labels_fit_their_width_and_end_with_an_ellipsis_when_cut() -> None:
    text = "Open Region Achievements Of The Region Of Tangier-Tetouan-Al Houceima " * 3
    lines = wrap(text, 200, max_lines=3)
    assert len(lines) == 3
    assert all(text_width(line) <= 200 for line in lines)
    assert lines[-1].endswith("…")
    assert " ".join(wrap("Short label", 200)) == "Short label"
    unbroken = wrap("x" * 80, 200)
    assert "".join(unbroken) == "x" * 80 and all(text_width(line) <= 200 for line in unbroken)
