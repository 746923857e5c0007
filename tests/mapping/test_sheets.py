"""The mapping shipped with the package agrees with the kinds of IRIs and the JSON-LD context."""

from __future__ import annotations

from pathlib import Path

from openforum_ld.iris import KINDS_BY_SLUG
from openforum_ld.mapping.sheets import Key, load_mapping
from openforum_ld.mapping.yaml_rows import read_rows
from openforum_ld.rdf.jsonld import TERMS, build_context

from ..conftest import LOCAL_BASE


def test_every_kind_of_entity_has_one_sheet_and_every_sheet_a_kind_or_iris() -> None:
    mapping = load_mapping()
    kinds = [sheet.kind for sheet in mapping.sheets if sheet.kind not in (None, "graph")]
    assert sorted(kinds) == sorted(KINDS_BY_SLUG)
    assert [sheet.name for sheet in mapping.sheets if sheet.kind is None] == ["resources"]
    assert len({sheet.name for sheet in mapping.sheets}) == len(mapping.sheets)


def test_every_sheet_lists_its_kinds_class_and_columns_keyed_by_the_context() -> None:
    mapping = load_mapping()
    context = build_context(LOCAL_BASE)
    for sheet in mapping.sheets:
        if sheet.kind in KINDS_BY_SLUG:
            assert KINDS_BY_SLUG[sheet.kind].class_iri in sheet.classes, sheet.name
        for column in sheet.columns:
            if column.key in TERMS:
                # The published context says the same of the key as the column does.
                definition = context[column.key]
                assert definition["@id"] == column.property
                assert (definition.get("@container") == "@language") == (column.value == "text")
                if definition.get("@type") == "@id":
                    assert column.value in ("ref", "iri"), (sheet.name, column.key)
            else:
                prefix = column.key.split(":")[0]
                assert prefix in mapping.prefixes, (sheet.name, column.key)
            for kind in column.to:
                assert kind in KINDS_BY_SLUG, (sheet.name, column.key, kind)


def test_a_key_names_its_property_and_its_language_or_datatype() -> None:
    mapping = load_mapping()
    assert mapping.read_key("name@fr") == Key(TERMS["name"][0], language="fr")
    assert mapping.read_key("ofo:statedBy") == Key("https://w3id.org/openforum/ontology#statedBy")
    assert mapping.read_key("startDate^^xsd:gYear") == Key(
        TERMS["startDate"][0], datatype="http://www.w3.org/2001/XMLSchema#gYear"
    )
    assert "unknown column" in str(mapping.read_key("nmae@en"))
    assert "not a language tag" in str(mapping.read_key("name@e n"))


def test_an_empty_cell_states_nothing_and_a_quoted_empty_one_an_empty_text() -> None:
    text = 'people:\n- id: a\n  source: s\n  jobTitle@en:\n  name@en: ""\n  type: []\n'
    [row] = read_rows(Path("people.yaml"), text)
    assert row.cells["jobTitle@en"].values == []
    assert [v.text for v in row.cells["name@en"].values] == [""]
    assert row.cells["type"].values == []


def test_what_is_not_sheets_of_rows_is_an_error_where_it_is() -> None:
    import pytest

    from openforum_ld.errors import DataError

    assert read_rows(Path("empty.yaml"), "# nothing yet\n") == []
    cases = {
        "- a\n": "1:1: the file must map sheet names",
        "talks:\n- &a {id: x}\n- *a\n": "3:3: anchors and aliases",
        "talks:\n- id: [x, {a: b}]\n": "2:11: talks: id must be a single value",
        "talks: []\n---\npeople: []\n": "2:1: a second document",
        "talks:\n- id: x\n  id: y\n": "3:3: talks: column 'id' twice in one row",
    }
    for text, says in cases.items():
        with pytest.raises(DataError) as raised:
            read_rows(Path("f.yaml"), text)
        assert f"f.yaml:{says}" in str(raised.value), text


def test_the_fixed_values_of_a_column_are_those_the_shapes_allow() -> None:
    import rdflib
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    from openforum_ld.config import Settings

    shapes = rdflib.Graph()
    for path in sorted(Settings.load().shapes_dir.glob("*.ttl")):
        shapes.parse(path)
    allowed: dict[str, set[str]] = {}
    for shape, _, members in shapes.triples((None, SH["in"], None)):
        prop = str(shapes.value(shape, SH.path))
        allowed.setdefault(prop, set()).update(str(m) for m in Collection(shapes, members))
    fixed = [c for sheet in load_mapping().sheets for c in sheet.columns if c.values]
    assert fixed
    languages: dict[str, set[str | None]] = {}
    for shape, _, members in shapes.triples((None, SH["in"], None)):
        prop = str(shapes.value(shape, SH.path))
        languages.setdefault(prop, set()).update(
            getattr(m, "language", None) for m in Collection(shapes, members)
        )
    for column in fixed:
        assert set(column.values) == allowed[column.property], column.key
        # A key without a language gives the values the language the shapes list them in.
        assert languages[column.property] == {column.language}, column.key
