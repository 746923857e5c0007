"""The forum's languages in the shapes: a forum held in Spanish needs no English label."""

from __future__ import annotations

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
