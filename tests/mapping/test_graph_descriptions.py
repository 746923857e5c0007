"""Rows whose source is a section that no `graphs` row describes: the section's graph is
described for them, in `graph/sources`, as the shipped data describes its graphs; and a text
column whose key names no language is in the forum's main language."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import yaml

from openforum_ld.iris import OFO, PROV, RDF, SCHEMA, SKOS
from openforum_ld.load import load_dataset
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.to_rdf import CellCheckError, rows_to_quads
from openforum_ld.mapping.yaml_rows import read_rows
from openforum_ld.validate import validate_dataset

from ..conftest import LOCAL_BASE

if TYPE_CHECKING:
    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset

SHEETS = """\
documents:
- id: minutes
  source: sources
  prefLabel: Acta del foro
  prefLabel@fr: Procès-verbal du forum
  hasPart: [opening, closing]
sections:
- id: opening
  source: sources
  prefLabel: Acta, apertura
  prefLabel@fr: Procès-verbal, ouverture
  isPartOf: minutes
  position: 1
- id: closing
  source: sources
  prefLabel@es: Acta, cierre
  isPartOf: minutes
  position: 2
people:
- id: ana-perez
  source: opening
  name: Ana Pérez
  jobTitle: Alcaldesa
  honorificPrefix: Ms.
  name@fr: Ana Pérez
- id: ana-perez
  source: closing
  description: Cierra el foro.
"""


def _quads(text: str, languages: tuple[str, ...]) -> set[ox.Quad]:
    rows = read_rows(Path("forum.yaml"), text)
    quads, _positions = rows_to_quads(load_mapping(), LOCAL_BASE, rows, set(), None, languages)
    return set(quads)


def _iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(LOCAL_BASE + path)


def _texts(quads: set[ox.Quad], subject: str, prop: str, graph: str) -> set[str]:
    return {
        f"{q.object.value}@{q.object.language}"
        for q in quads
        if q.subject == _iri(subject)
        and q.predicate == ox.NamedNode(prop)
        and q.graph_name == _iri(graph)
        and isinstance(q.object, ox.Literal)
    }


def test_a_text_column_without_a_language_is_in_the_forums_main_language() -> None:
    quads = _quads(SHEETS, ("es", "fr"))
    person = "id/person/ana-perez"
    assert _texts(quads, person, SCHEMA + "name", "graph/opening") == {
        "Ana Pérez@es",
        "Ana Pérez@fr",
    }
    assert _texts(quads, person, SCHEMA + "jobTitle", "graph/opening") == {"Alcaldesa@es"}
    # A property of the context's text terms that is no column of the sheet: text too.
    assert _texts(quads, person, SCHEMA + "description", "graph/closing") == {"Cierra el foro.@es"}
    # Honorifics are written as the shapes list them, in English, whatever the forum's language.
    assert _texts(quads, person, SCHEMA + "honorificPrefix", "graph/opening") == {"Ms.@en"}
    in_english = _quads(SHEETS, ("en",))
    assert _texts(in_english, person, SCHEMA + "jobTitle", "graph/opening") == {"Alcaldesa@en"}


def _described(quads: set[ox.Quad], graph: ox.NamedNode) -> dict[str, set[str]]:
    sources = _iri("graph/sources")
    found: dict[str, set[str]] = {}
    for quad in quads:
        if quad.subject == graph:
            assert quad.graph_name == sources, quad
            obj = quad.object
            shown = f"{obj.value}@{obj.language}" if isinstance(obj, ox.Literal) else obj.value
            found.setdefault(quad.predicate.value, set()).add(shown)
    return found


def test_a_section_given_as_source_gets_its_graph_described_from_the_section() -> None:
    quads = _quads(SHEETS, ("es", "fr"))
    section, document = _iri("id/section/opening"), _iri("id/document/minutes")
    assert _described(quads, _iri("graph/opening")) == {
        RDF + "type": {OFO + "SourcedGraph", PROV + "Entity"},
        PROV + "wasDerivedFrom": {section.value, document.value},
        SKOS + "prefLabel": {
            "Afirmaciones tomadas de Acta, apertura@es",
            "Affirmations tirées de Procès-verbal, ouverture@fr",
        },
    }
    closing = _described(quads, _iri("graph/closing"))
    assert closing[SKOS + "prefLabel"] == {"Afirmaciones tomadas de Acta, cierre@es"}


def test_the_graph_of_the_documents_and_sections_is_described_from_the_documents() -> None:
    quads = _quads(SHEETS, ("es", "fr"))
    assert _described(quads, _iri("graph/sources")) == {
        RDF + "type": {PROV + "Entity"},
        PROV + "wasDerivedFrom": {_iri("id/document/minutes").value},
        SKOS + "prefLabel": {
            "Documentos fuente y sus secciones@es",
            "Documents sources et leurs sections@fr",
        },
    }
    # A language with no wording: the sources graph is labelled in English.
    described = _described(_quads(SHEETS, ("sw",)), _iri("graph/sources"))
    assert described[SKOS + "prefLabel"] == {"Source documents and sections@en"}


def test_the_graph_of_the_editors_additions_is_described_from_the_documents() -> None:
    text = SHEETS + "- id: ana-perez\n  source: editorial\n  name@en: Ana Perez\n"
    quads = _quads(text, ("es", "fr"))
    assert _described(quads, _iri("graph/editorial")) == {
        RDF + "type": {PROV + "Entity"},
        PROV + "wasDerivedFrom": {_iri("id/document/minutes").value},
        SKOS + "prefLabel": {"Adiciones editoriales@es", "Ajouts éditoriaux@fr"},
    }
    assert _texts(quads, "id/person/ana-perez", SCHEMA + "name", "graph/editorial") == {
        "Ana Perez@en"
    }


def test_a_graphs_row_describes_its_graph_instead() -> None:
    text = SHEETS + (
        "graphs:\n- id: opening\n  source: sources\n  type: [ofo:SourcedGraph]\n"
        "  wasDerivedFrom: [section:opening, document:minutes]\n"
    )
    described = _described(_quads(text, ("es",)), _iri("graph/opening"))
    assert described == {
        RDF + "type": {OFO + "SourcedGraph"},
        PROV + "wasDerivedFrom": {
            _iri("id/section/opening").value,
            _iri("id/document/minutes").value,
        },
    }


def test_a_source_that_is_neither_a_graph_nor_a_section_is_reported_with_the_closest() -> None:
    text = SHEETS.replace("  source: closing\n", "  source: closin\n")
    with pytest.raises(CellCheckError) as raised:
        _quads(text, ("es",))
    [problem] = raised.value.errors
    assert problem.message == (
        "source 'closin' is not a graph the data describes, nor a section of the sections "
        "sheet, nor sources or editorial (did you mean closing?)"
    )
    offset = text.index("closin\n")
    line = text.count("\n", 0, offset) + 1
    assert (problem.line, problem.column) == (line, offset - text.rfind("\n", 0, offset))


def test_the_shipped_forum_without_its_section_graphs_keeps_their_provenance_and_conforms(
    yaml_copy: Path, settings: Settings, dataset: Dataset
) -> None:
    graphs_file = yaml_copy / "graphs.yaml"
    graphs = yaml.safe_load(graphs_file.read_text(encoding="utf-8"))["graphs"]
    kept = [row for row in graphs if "ofo:SourcedGraph" not in row.get("type", [])]
    assert len(kept) < len(graphs)
    graphs_file.write_text(yaml.safe_dump({"graphs": kept}, allow_unicode=True), encoding="utf-8")

    from_sections = load_dataset(
        yaml_copy, settings.ontology_dir, settings.base_uri, None, None, settings.languages
    )
    derived = "SELECT ?g ?source WHERE { ?g a ofo:SourcedGraph ; prov:wasDerivedFrom ?source }"
    assert sorted(map(str, from_sections.store.select(derived))) == sorted(
        map(str, dataset.store.select(derived))
    )
    report = validate_dataset(from_sections, settings.shapes_dir, settings.languages)
    assert report.conforms, report.to_text()
