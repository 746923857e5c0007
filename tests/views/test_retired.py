"""Reading retired IRIs from the store: what each named, when it went, why, and what replaces
it, read from the test records of tests/data/retired."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from openforum_ld.store import Store
from openforum_ld.views.retired import RETIRED_FILTER, replacements, retired_iris, withdrawn

from ..conftest import LOCAL_BASE, RENAMED, TEST_DATA, WITHDRAWN


@pytest.fixture(scope="module")
def store() -> Store:
    """The test records, and one live entity beside them, in the default graph (which views
    read: the union of the data graphs in a publication)."""
    opened = Store()
    path = TEST_DATA / "retired" / "retired.trig"
    parsed = ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=LOCAL_BASE)
    opened.add_quads(ox.Quad(q.subject, q.predicate, q.object) for q in parsed)
    live = ox.NamedNode(LOCAL_BASE + RENAMED[1])
    opened.add_quads(
        [
            ox.Quad(
                live,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("http://schema.org/Person"),
            )
        ]
    )
    return opened


def test_every_retired_iri_is_read_with_its_record(store: Store) -> None:
    found = {r.path: r for r in retired_iris(store, LOCAL_BASE)}
    assert set(found) == {RENAMED[0], WITHDRAWN}
    renamed = found[RENAMED[0]]
    assert renamed.replaced_by == LOCAL_BASE + RENAMED[1]
    assert renamed.former_type == "http://schema.org/Person"
    assert renamed.date.startswith("2026-11-30")
    gone = found[WITHDRAWN]
    assert gone.replaced_by is None
    assert gone.label("fr") == "Villages intelligents"
    assert gone.label("de") == "Smart villages"  # English when the language has none
    assert "editors' guess" in gone.note("en") and "éditeurs" in gone.note("fr")


def test_replaced_and_withdrawn_part_them(store: Store) -> None:
    retired = retired_iris(store, LOCAL_BASE)
    assert replacements(retired) == {RENAMED[0]: LOCAL_BASE + RENAMED[1]}
    assert [r.path for r in withdrawn(retired)] == [WITHDRAWN]


def test_under_another_base_there_is_none(store: Store) -> None:
    assert retired_iris(store, "https://elsewhere.example/") == []


def test_the_filter_leaves_retired_subjects_out(store: Store) -> None:
    rows = store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{LOCAL_BASE}id/")) '
        f"{RETIRED_FILTER} }}"
    )
    assert [row["s"].value for row in rows] == [LOCAL_BASE + RENAMED[1]]
