"""The workbook `convert` writes: text cells, keys in row 1, each column's help from the shapes in
English and French, and drop-downs of fixed values and of the ids a reference takes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openpyxl
import pytest
import rdflib
from rdflib.namespace import SH

from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.workbook_rows import read_workbook
from openforum_ld.mapping.workbook_write import write_workbook

from ..conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    from openforum_ld.mapping.from_rdf import SheetRows

SCHEMA = rdflib.Namespace("http://schema.org/")
OFO = rdflib.Namespace("https://w3id.org/openforum/ontology#")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def book(forum_workbook: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(forum_workbook)


def _help(shapes: rdflib.Graph, targets: list[rdflib.URIRef], path: rdflib.URIRef) -> list[str]:
    """The names and descriptions, in English and French, of the property shapes of `path`
    whose node shapes target one of `targets`."""
    texts = []
    for node in {n for t in targets for n in shapes.subjects(SH.targetClass, t)}:
        for shape in shapes.objects(node, SH.property):
            if shapes.value(shape, SH.path) == path:
                for predicate in (SH.name, SH.description):
                    texts.extend(
                        str(o)
                        for o in shapes.objects(shape, predicate)
                        if o.language in ("en", "fr")
                    )
    return texts


def _column(sheet: Worksheet, key: str) -> str:
    """The letter of the first column headed `key`."""
    return next(c.column_letter for c in sheet[1] if c.value == key)


def _validation(sheet: Worksheet, letter: str) -> DataValidation:
    [found] = [v for v in sheet.data_validations.dataValidation if f"{letter}2:" in str(v.sqref)]
    return found


def _list_values(book: openpyxl.Workbook, validation: DataValidation) -> list[str]:
    sheet_name, _, cells = str(validation.formula1).partition("!")
    assert sheet_name.strip("'") == "lists"
    return [str(row[0].value) for row in book["lists"][cells.replace("$", "")]]


@pytest.mark.parametrize(
    ("sheet", "key", "targets", "path"),
    [
        ("forums", "startDate", [OFO.Forum], SCHEMA.startDate),
        ("people", "jobTitle@en", [SCHEMA.Person], SCHEMA.jobTitle),
        ("talks", "performer", [OFO.Talk], SCHEMA.performer),
    ],
)
def test_a_column_header_and_prompt_give_the_shapes_help_in_english_and_french(
    book: openpyxl.Workbook,
    shapes: rdflib.Graph,
    sheet: str,
    key: str,
    targets: list[rdflib.URIRef],
    path: rdflib.URIRef,
) -> None:
    expected = _help(shapes, targets, path)
    assert len(expected) == 4, expected  # a name and a description, in English and French
    worksheet = book[sheet]
    letter = _column(worksheet, key)
    comment = worksheet[f"{letter}1"].comment
    assert comment is not None
    for text in expected:
        assert text in comment.text
    validation = _validation(worksheet, letter)
    assert validation.showInputMessage
    assert validation.promptTitle == key
    english_name = next(t for t in expected if t in comment.text.split("\n\n")[0])
    assert validation.prompt is not None and validation.prompt.startswith(english_name)
    assert len(validation.prompt) <= 255


def test_a_column_of_fixed_values_offers_them_and_refuses_others(
    book: openpyxl.Workbook, shapes: rdflib.Graph
) -> None:
    people = book["people"]
    validation = _validation(people, _column(people, "honorificPrefix@en"))
    assert validation.type == "list"
    assert validation.errorStyle == "stop" and validation.showErrorMessage
    [shape] = [
        s for s in shapes.subjects(SH.path, SCHEMA.honorificPrefix) if shapes.value(s, SH["in"])
    ]
    allowed = [str(v) for v in rdflib.collection.Collection(shapes, shapes.value(shape, SH["in"]))]
    assert _list_values(book, validation) == allowed


def test_a_reference_column_offers_the_ids_its_sheet_has_when_opened_and_warns_of_a_new_one(
    book: openpyxl.Workbook,
) -> None:
    talks = book["talks"]
    validation = _validation(talks, _column(talks, "performer"))
    assert validation.type == "list"
    assert validation.errorStyle == "warning"
    # The people sheet's id column itself, so a person added later is offered too.
    assert book["people"]["A1"].value == "id"
    assert validation.formula1 == "'people'!$A$2:$A$1048576"
    # Both performer columns take the drop-down.
    assert str(validation.sqref).count(":") == 2


def test_a_reference_to_several_kinds_offers_the_ids_of_each_of_their_sheets(
    book: openpyxl.Workbook,
) -> None:
    mapping = load_mapping()
    column = mapping.by_name["sessions"].by_property[mapping.expand("about") or ""]
    sheets = [mapping.by_kind[kind].name for kind in column.to]
    assert len(sheets) > 1
    sessions = book["sessions"]
    validation = _validation(sessions, _column(sessions, "about"))
    sheet_name, cells = str(validation.formula1).split("!")
    assert sheet_name.strip("'") == "lists"
    formulas = [str(row[0].value) for row in book["lists"][cells.replace("$", "")]]
    # Each row of each sheet, read when the drop-down opens; the first of each sheet's block:
    firsts = [f for f in formulas if f.endswith("!$A2)")]
    assert [f.split("!")[0].removeprefix("=IF(").strip("'") for f in firsts] == sheets
    assert all(f.startswith("=IF(") for f in formulas)


def test_the_lists_sheet_is_hidden_and_every_cell_is_text(book: openpyxl.Workbook) -> None:
    assert book["lists"].sheet_state == "hidden"
    assert book.sheetnames[-1] == "lists"
    talks = book["talks"]
    assert talks.freeze_panes == "A2"
    assert talks.auto_filter.ref is not None and talks.auto_filter.ref.startswith("A1:")
    assert all(cell.font.bold for cell in talks[1])
    order = talks[_column(talks, "agendaOrder")]
    assert {type(c.value) for c in order[1:] if c.value is not None} == {str}
    assert {c.number_format for c in order} == {"@"}
    date = book["forums"][_column(book["forums"], "startDate")]
    assert {c.value for c in date[1:] if c.value is not None} == {"2020-11-20"}
    assert date[1].number_format == "@"
    assert talks.column_dimensions[_column(talks, "agendaOrder")].number_format == "@"


def test_all_sheets_gives_every_sheet_and_column_of_the_mapping(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    write_workbook({}, path, ("en", "fr"), all_sheets=True)
    book = openpyxl.load_workbook(path)
    mapping = load_mapping()
    # The fixed values' drop-downs are there from the start.
    assert book.sheetnames == [s.name for s in mapping.sheets] + ["lists"]
    people = [c.value for c in book["people"][1]]
    assert people[:3] == ["id", "source", "type"]
    for column in mapping.by_name["people"].columns:
        if column.value == "text":
            assert {f"{column.key}@en", f"{column.key}@fr"} <= set(people)
        else:
            assert column.key in people
    rows, problems = read_workbook(path, path.read_bytes(), mapping)
    assert (rows, problems) == ([], [])


def test_an_entity_with_no_class_is_refused_rather_than_given_its_sheets(tmp_path: Path) -> None:
    from openforum_ld.errors import DataError

    rows = {"people": [{"id": "someone", "source": "editorial", "type": []}]}
    with pytest.raises(DataError, match="people: someone has no class in any graph"):
        write_workbook(rows, tmp_path / "forum.xlsx")
    assert not (tmp_path / "forum.xlsx").exists()


def test_every_value_reads_back_as_the_text_written(tmp_path: Path) -> None:
    texts = ["=1+1", "2020", "10:30", "2020-11-20", "true", "007", "1e3", " padded "]
    rows: SheetRows = {
        "talks": [{"id": "a", "source": "web-agenda-1", "type": ["ofo:Talk"], "ofo:x@en": texts}]
    }
    path = tmp_path / "forum.xlsx"
    write_workbook(rows, path)
    [row], problems = read_workbook(path, path.read_bytes(), load_mapping())
    assert problems == []
    assert sorted(v.text for v in row.cells["ofo:x@en"].values) == sorted(texts)


def test_the_type_column_names_the_classes_its_sheet_gives(book: openpyxl.Workbook) -> None:
    mapping = load_mapping()
    for name in ("organizations", "places"):
        worksheet = book[name]
        [header] = [c for c in worksheet[1] if c.value == "type"][:1]
        assert header.comment is not None
        classes = ", ".join(mapping.compact(c) for c in mapping.by_name[name].classes)
        english, french = header.comment.text.split("\n\n")[:2]
        assert f"this sheet's classes ({classes})" in english
        assert f"les classes de cette feuille ({classes})" in french


def test_a_prompt_holds_whole_texts_the_main_language_first(book: openpyxl.Workbook) -> None:
    prompts = [
        (str(v.prompt), comment_text)
        for worksheet in book.worksheets
        for v in worksheet.data_validations.dataValidation
        if v.prompt
        for comment_text in [
            worksheet.cell(1, next(iter(v.sqref.ranges)).min_col).comment.text  # type: ignore[union-attr]
        ]
    ]
    assert prompts
    for prompt, comment in prompts:
        assert len(prompt) <= 255
        english, *others = comment.split("\n\n")
        if len(comment) <= 255:
            assert prompt == comment
        elif len(english) <= 255:
            # The languages that fit, whole: never a French text cut in the middle.
            assert comment.startswith(prompt) and prompt.startswith(english)
            assert prompt in ("\n\n".join([english, *others[:n]]) for n in range(len(others)))
