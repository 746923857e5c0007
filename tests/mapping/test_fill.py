"""A person typed with a name alone gets that name as preferred label and FOAF name, in the row's
graph, as the shapes ask; a text typed for those is never replaced."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from openforum_ld.iris import FOAF, SCHEMA, SKOS
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.to_rdf import rows_to_quads
from openforum_ld.mapping.yaml_rows import read_rows

from ..conftest import LOCAL_BASE

SHEETS = """\
documents:
- id: minutes
  source: sources
  prefLabel: Minutes
  hasPart: [opening, closing]
sections:
- id: opening
  source: sources
  prefLabel: Minutes, opening
  isPartOf: minutes
  position: 1
- id: closing
  source: sources
  prefLabel: Minutes, closing
  isPartOf: minutes
  position: 2
people:
- id: salma-bennani
  source: opening
  name: Salma Bennani
  name@ar: سلمى بناني
- id: salma-bennani
  source: closing
  name@fr: Salma Bennani
- id: omar-idrissi
  source: opening
  name: Omar Idrissi
  prefLabel: O. Idrissi
  foafName: Omar El Idrissi
places:
- id: fes
  source: closing
  name: Fez
  name@fr: Fès
"""


def _texts(quads: list[ox.Quad], subject: str, prop: str) -> set[tuple[str, str | None, str]]:
    """(text, language, graph) of the statements of `prop` about `subject`."""
    return {
        (q.object.value, q.object.language, q.graph_name.value.rsplit("/", 1)[-1])  # type: ignore[union-attr]
        for q in quads
        if q.subject == ox.NamedNode(LOCAL_BASE + subject) and q.predicate == ox.NamedNode(prop)
    }


def test_a_name_fills_the_preferred_label_and_foaf_name_it_misses_in_each_language() -> None:
    rows = read_rows(Path("forum.yaml"), SHEETS)
    quads, positions = rows_to_quads(load_mapping(), LOCAL_BASE, rows, set(), None, ("en", "fr"))
    names = _texts(quads, "id/person/salma-bennani", SCHEMA + "name")
    assert names == {
        ("Salma Bennani", "en", "opening"),
        ("سلمى بناني", "ar", "opening"),
        ("Salma Bennani", "fr", "closing"),
    }
    assert _texts(quads, "id/person/salma-bennani", SKOS + "prefLabel") == names
    assert _texts(quads, "id/person/salma-bennani", FOAF + "name") == names
    # Only people get a FOAF name; every kind gets its preferred label.
    assert _texts(quads, "id/place/fes", SKOS + "prefLabel") == {
        ("Fez", "en", "closing"),
        ("Fès", "fr", "closing"),
    }
    assert _texts(quads, "id/place/fes", FOAF + "name") == set()
    # A filled text is located where its source was typed.
    subject, graph = LOCAL_BASE + "id/person/salma-bennani", LOCAL_BASE + "graph/opening"
    assert (
        positions.keys[(subject, graph, SKOS + "prefLabel")]
        == positions.keys[(subject, graph, SCHEMA + "name")]
    )


def test_a_typed_preferred_label_or_foaf_name_is_kept() -> None:
    rows = read_rows(Path("forum.yaml"), SHEETS)
    quads, _positions = rows_to_quads(load_mapping(), LOCAL_BASE, rows, set(), None, ("en",))
    assert _texts(quads, "id/person/omar-idrissi", SKOS + "prefLabel") == {
        ("O. Idrissi", "en", "opening")
    }
    assert _texts(quads, "id/person/omar-idrissi", FOAF + "name") == {
        ("Omar El Idrissi", "en", "opening")
    }
