"""The forum's languages in the shapes: a forum held in Spanish needs no English label."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from openforum_ld.load import load_dataset
from openforum_ld.validate import validate_dataset

from .conftest import TEST_DATA

if TYPE_CHECKING:
    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset

SHAPES = "https://w3id.org/openforum/shapes#"


@pytest.fixture(scope="module")
def spanish(settings: Settings) -> Dataset:
    return load_dataset(TEST_DATA / "spanish", settings.ontology_dir, settings.base_uri)


def test_a_spanish_forum_conforms_with_spanish_as_its_only_language(
    spanish: Dataset, settings: Settings
) -> None:
    report = validate_dataset(spanish, settings.shapes_dir, ("es",))
    assert report.conforms, report.to_text()


def test_a_spanish_forum_read_as_english_lacks_english_labels(
    spanish: Dataset, settings: Settings
) -> None:
    report = validate_dataset(spanish, settings.shapes_dir, ("en", "fr"))
    assert not report.conforms
    messages = {r.message for r in report.violations}
    assert (
        'needs exactly one skos:prefLabel in the forum\'s main language ("en"), at most one per '
        "language, each language-tagged" in messages
    ), messages


def test_a_second_language_asks_topics_for_a_label_in_it(
    spanish: Dataset, settings: Settings
) -> None:
    report = validate_dataset(spanish, settings.shapes_dir, ("es", "en"))
    assert not report.conforms
    failing = {(r.node_shape, r.message) for r in report.violations}
    assert failing == {
        (
            SHAPES + "ConceptShape",
            'a topic needs a preferred label in the forum\'s second language ("en")',
        ),
        (
            SHAPES + "ConceptSchemeShape",
            'a concept scheme needs a preferred label in the forum\'s second language ("en")',
        ),
    }, report.to_text()


def test_the_main_language_rule_names_the_forums_language(
    spanish: Dataset, settings: Settings
) -> None:
    report = validate_dataset(spanish, settings.shapes_dir, ("pt-br",))
    main_language = [r for r in report.violations if "main language" in r.message]
    assert main_language, report.to_text()
    assert all('("pt-br")' in r.message for r in main_language)


def _comments(languages: tuple[str, ...]) -> dict[str, str]:
    """Each node shape's comment once the forum's languages are put in."""
    import rdflib
    from rdflib.namespace import RDFS, SH

    from openforum_ld.config import Settings
    from openforum_ld.validate import load_shapes
    from openforum_ld.validate.languages import put_in_forum_languages

    shapes = load_shapes(Settings.load().shapes_dir)
    put_in_forum_languages(shapes, languages)
    return {
        str(shape): str(shapes.value(shape, RDFS.comment))
        for shape in shapes.subjects(rdflib.RDF.type, SH.NodeShape)
        if shapes.value(shape, RDFS.comment) is not None
    }


def _marked_positions() -> dict[str, set[int]]:
    """Each node shape -> the forum language positions its marked constraints ask for."""
    import rdflib
    from rdflib.namespace import SH

    from openforum_ld.config import Settings
    from openforum_ld.validate import load_shapes
    from openforum_ld.validate.languages import FORUM_LANGUAGE

    shapes = load_shapes(Settings.load().shapes_dir)
    found: dict[str, set[int]] = {}
    for constraint, position in shapes.subject_objects(FORUM_LANGUAGE):
        for link in (SH.property, SH.sparql):
            for shape in shapes.subjects(link, constraint):
                found.setdefault(str(shape), set()).add(int(position))  # type: ignore[arg-type]
    for shape in list(shapes.subjects(rdflib.RDF.type, SH.NodeShape)):
        found.setdefault(str(shape), set())
    return found


@pytest.mark.parametrize("languages", [("en", "fr"), ("es",), ("es", "en"), ("fr", "en")])
def test_the_shapes_comments_name_the_languages_the_constraints_ask_for(
    languages: tuple[str, ...],
) -> None:
    comments = _comments(languages)
    for shape, positions in _marked_positions().items():
        if shape not in comments:
            continue
        comment = comments[shape]
        named = set(re.findall(r'\("([a-z-]+)"\)', comment))
        # It names the languages its constraints ask for, by their tags, and no language the
        # forum does not have (a shape may repeat what another asks: every label is an entity's).
        asked = {languages[p - 1] for p in positions if p <= len(languages)}
        assert asked <= named <= set(languages), (shape, comment)
        for word in ("English", "French", "anglais", "français"):
            assert word not in comment, (shape, comment)
