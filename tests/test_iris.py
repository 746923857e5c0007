from __future__ import annotations

import pytest

from openforum_ld.iris import KINDS, Iris, is_slug, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Tangier-Tétouan-Al Hoceïma", "tangier-tetouan-al-hoceima"),
        ("Morocco's Commitments", "morocco-s-commitments"),
        ("  Law No. 13.31 ", "law-no-13-31"),
        ("«Femmes Bladi»", "femmes-bladi"),
    ],
)
def test_slugify_gives_lowercase_ascii_words(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert is_slug(slug)


def test_entity_iris_round_trip_under_any_base() -> None:
    for base in ("http://127.0.0.1:8000/", "https://w3id.org/openforum/"):
        iris = Iris(base)
        iri = iris.entity("person", "john-maritim")
        assert iri == f"{base}id/person/john-maritim"
        assert iris.split_entity(iri) == ("person", "john-maritim")


def test_iris_outside_the_entity_space_are_not_entities() -> None:
    iris = Iris("http://127.0.0.1:8000/")
    assert iris.split_entity("http://127.0.0.1:8000/graph/report-v") is None
    assert iris.split_entity("http://127.0.0.1:8000/id/unknown-kind/x") is None
    assert iris.split_entity("http://127.0.0.1:8000/id/person/Not A Slug") is None
    assert iris.split_entity("https://w3id.org/openforum/id/person/x") is None


def test_kinds_have_unique_slugs_and_classes() -> None:
    assert len({k.slug for k in KINDS}) == len(KINDS)
    assert len({k.class_iri for k in KINDS}) == len(KINDS)
