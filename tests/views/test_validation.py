"""The validation page says what the shapes checked in the forum's own languages: a forum held
in Spanish is not told its entities need an English label; and it speaks French where the
shapes do."""

from __future__ import annotations

from typing import TYPE_CHECKING

import html5lib
import pytest
import rdflib
from rdflib.namespace import SH

from openforum_ld.validate import load_shapes

from ..conftest import TEST_DATA

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from openforum_ld.config import Settings

ENTITY_SHAPE = "shape-EntityShape"


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    """The Spanish test forum, published with Spanish as its only language."""
    from openforum_ld import publish

    out = tmp_path_factory.mktemp("spanish") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")
        publish.build(settings.with_(data_dir=TEST_DATA / "spanish", languages=("es",)), out)
    return out


def _row(html: bytes, anchor: str) -> Element:
    tree: Element = html5lib.parse(html, namespaceHTMLElements=False)
    [row] = [r for r in tree.iter("tr") if r.get("id") == anchor]
    return row


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_a_spanish_forum_is_told_its_entities_need_a_spanish_label(spanish_site: Path) -> None:
    for page in ("index.html", "index.fr.html"):
        html = (spanish_site / "validation" / page).read_bytes()
        [comment] = _row(html, ENTITY_SHAPE).iter("p")
        assert "English" not in _text(comment)
        assert 'preferred label in the forum\'s main language ("es")' in _text(comment)
        assert comment.get("lang") == "en"
    # An entity's page names the shapes it conforms to, with their comments alike.
    [person] = sorted((spanish_site / "id" / "person").glob("*.fr.html"))[:1]
    shown = person.read_text(encoding="utf-8")
    assert '<span lang="en">Every entity has an IRI, exactly one preferred label in the' in shown
    assert "main language (&#34;es&#34;)" in shown and "English preferred" not in shown


def test_the_shipped_forum_is_told_english(built_site: Path) -> None:
    html = (built_site / "validation" / "index.html").read_bytes()
    [comment] = _row(html, ENTITY_SHAPE).iter("p")
    assert 'preferred label in the forum\'s main language ("en")' in _text(comment)


def _property_texts(settings: Settings) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(names, descriptions) by language of the entity shape's property shapes."""
    shapes = load_shapes(settings.shapes_dir)
    shape = rdflib.URIRef("https://w3id.org/openforum/shapes#EntityShape")
    found = []
    for node in shapes.objects(shape, SH.property):
        names = {v.language: str(v) for v in shapes.objects(node, SH.name)}  # type: ignore[union-attr]
        descriptions = {v.language: str(v) for v in shapes.objects(node, SH.description)}  # type: ignore[union-attr]
        found.append((names, descriptions))
    return found


def test_the_property_shapes_are_described_in_the_readers_language(
    built_site: Path, settings: Settings
) -> None:
    expected = _property_texts(settings)
    assert expected and all({"en", "fr"} <= names.keys() for names, _ in expected)
    for page, language in (("index.html", "en"), ("index.fr.html", "fr")):
        row = _row((built_site / "validation" / page).read_bytes(), ENTITY_SHAPE)
        shown = [
            [(_text(span), span.get("lang")) for span in item.iter("span")]
            for item in row.iter("li")
        ]
        names = [spans[0][0] for spans in shown]
        assert names == sorted(names, key=str.casefold), page  # in the order of the reader's words
        assert sorted(shown) == sorted(
            [
                [(names[language], language), (" ".join(descriptions[language].split()), language)]
                for names, descriptions in expected
            ]
        ), page
