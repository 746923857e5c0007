"""Each column's help, read from the shapes: there for every column of every sheet, in English
and French, and only ever from a node shape that targets one of the sheet's classes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import openpyxl
import pytest
import rdflib
from rdflib.namespace import SH

from openforum_ld.mapping.column_help import ColumnHelp, read_column_help
from openforum_ld.mapping.sheets import Sheet, load_mapping
from openforum_ld.mapping.workbook_write import write_workbook

from ..conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = "http://schema.org/"
OFO = "https://w3id.org/openforum/ontology#"
PROV = "http://www.w3.org/ns/prov#"

MAPPING = load_mapping()
COLUMNS = [(sheet, column.property) for sheet in MAPPING.sheets for column in sheet.columns]


def _id(value: object) -> str:
    return value.name if isinstance(value, Sheet) else MAPPING.compact(str(value))


@pytest.fixture(scope="module")
def column_help() -> ColumnHelp:
    return read_column_help(ROOT / "shapes")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path)
    return graph


def _own_shapes(shapes: rdflib.Graph, node: rdflib.term.Node, prop: str) -> list[rdflib.Node]:
    """The property shapes of a node shape whose path is `prop` itself."""
    return [
        shape
        for shape in shapes.objects(node, SH.property)
        if shapes.value(shape, SH.path) == rdflib.URIRef(prop)
    ]


@pytest.mark.parametrize(("sheet", "prop"), COLUMNS, ids=_id)
def test_every_column_has_help_in_english_and_french(
    column_help: ColumnHelp, sheet: Sheet, prop: str
) -> None:
    found = column_help.for_column(sheet, prop)
    assert found is not None, f"{sheet.name}: no help for {MAPPING.compact(prop)}"
    for language in ("en", "fr"):
        assert found.names.get(language, "").strip(), (sheet.name, prop, language)
        assert found.descriptions.get(language, "").strip(), (sheet.name, prop, language)
    assert found.text("en") != found.text("fr")


@pytest.mark.parametrize(("sheet", "prop"), COLUMNS, ids=_id)
def test_a_columns_help_is_a_shape_of_its_property_in_a_node_shape_of_the_sheets_classes(
    column_help: ColumnHelp, shapes: rdflib.Graph, sheet: Sheet, prop: str
) -> None:
    [best, *_] = column_help.candidates(sheet, prop)
    node = rdflib.URIRef(best.node_shape)
    targets = {str(t) for t in shapes.objects(node, SH.targetClass)}
    assert targets & set(sheet.classes), (sheet.name, prop, best.node_shape)
    # A shape of the property itself, not of a list of alternatives it is one of.
    own = _own_shapes(shapes, node, prop)
    names = {str(n) for shape in own for n in shapes.objects(shape, SH.name)}
    assert not best.alternative
    assert set(best.help.names.values()) <= names, (sheet.name, prop, names)


@pytest.mark.parametrize(
    ("sheet", "other", "prop"),
    [
        ("talks", "milestones", SCHEMA + "about"),
        ("sessions", "milestones", SCHEMA + "about"),
        ("strategies", "figures", OFO + "statedBy"),
        ("laws", "figures", OFO + "statedIn"),
        ("action-plans", "memberships", SCHEMA + "startDate"),
        ("strategies", "action-plans", PROV + "wasAttributedTo"),
        ("conclusions", "action-plans", PROV + "wasAttributedTo"),
    ],
)
def test_a_property_shared_by_kinds_is_explained_for_each_kind(
    column_help: ColumnHelp, sheet: str, other: str, prop: str
) -> None:
    here = column_help.for_column(MAPPING.by_name[sheet], prop)
    there = column_help.for_column(MAPPING.by_name[other], prop)
    assert here is not None and there is not None
    assert here.text("en") != there.text("en")
    assert here.text("fr") != there.text("fr")


def test_people_tell_affiliation_from_membership_without_a_post(column_help: ColumnHelp) -> None:
    people = MAPPING.by_name["people"]
    affiliation = column_help.for_column(people, SCHEMA + "affiliation")
    member = column_help.for_column(people, "http://www.w3.org/ns/org#memberOf")
    assert affiliation is not None and member is not None
    for language in ("en", "fr"):
        assert affiliation.names[language] != member.names[language]
        assert affiliation.descriptions[language] != member.descriptions[language]


def test_no_help_is_taken_from_the_shapes_of_other_kinds(column_help: ColumnHelp) -> None:
    # Shapes of several kinds explain `about`; a sheet of a class none of them targets gets no
    # help rather than another kind's.
    about = SCHEMA + "about"
    assert len({h.node_shape for h in column_help.shapes[about]}) > 1
    sheet = replace(MAPPING.by_name["talks"], name="venues", classes=(SCHEMA + "Venue",))
    assert column_help.candidates(sheet, about) == []
    assert column_help.for_column(sheet, about) is None


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .

ex:ThingsAndOthers a sh:NodeShape ;
    sh:targetClass ex:Thing, ex:Other ;
    sh:property [ sh:path ex:specific ; sh:name "shared"@en ] .

ex:Things a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [
        sh:path [ sh:alternativePath ( ex:listed ex:exact ) ] ;
        sh:name "any of the list"@en ; sh:description "one of several"@en
    ] , [
        sh:path ex:exact ; sh:name "exact"@en
    ] , [
        sh:path ex:specific ; sh:name "of things"@en
    ] , [
        sh:path ex:ranked ; sh:name "of things, ranked"@en
    ] .

ex:Supers a sh:NodeShape ;
    sh:targetClass ex:Super ;
    sh:property [ sh:path ex:ranked ; sh:name "of supers"@en ] .

ex:Strangers a sh:NodeShape ;
    sh:targetClass ex:Stranger ;
    sh:property [ sh:path ex:only ; sh:name "strangers' only"@en ] .
"""


def test_help_prefers_the_property_the_sheets_class_and_the_narrower_node_shape(
    tmp_path: Path,
) -> None:
    (tmp_path / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    found = read_column_help(tmp_path)
    ex = "http://example.org/"
    sheet = Sheet("things", "thing", (ex + "Super", ex + "Thing"), ())

    def name(prop: str) -> str | None:
        help_ = found.for_column(sheet, ex + prop)
        return None if help_ is None else help_.text("en")

    # Every property of an alternative path gets the list's help...
    assert name("listed") == "any of the list: one of several"
    # ...unless a shape of the property itself says more.
    assert name("exact") == "exact"
    # The sheet's first class first; then the node shape of fewer classes.
    assert name("ranked") == "of supers"
    assert name("specific") == "of things"
    # Never a node shape of classes the sheet does not have.
    assert name("only") is None


def test_a_new_workbook_explains_every_column_in_english_and_french(tmp_path: Path) -> None:
    # The workbook `init` writes: every sheet, every column, each header with its help.
    path = tmp_path / "forum.xlsx"
    write_workbook(
        {}, path, ("en", "fr"), all_sheets=True, column_help=read_column_help(ROOT / "shapes")
    )
    book = openpyxl.load_workbook(path)
    for sheet in MAPPING.sheets:
        for cell in book[sheet.name][1]:
            assert cell.comment is not None, (sheet.name, cell.value)
            english, french = cell.comment.text.split("\n\n")
            assert english and french and english != french, (sheet.name, cell.value)
