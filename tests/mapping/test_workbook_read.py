"""Workbooks are read as the person typed them: each value the text they meant, at its cell."""

from __future__ import annotations

import datetime
import zipfile
from typing import TYPE_CHECKING

import openpyxl
import pytest

from openforum_ld.errors import DataError
from openforum_ld.mapping.cells import SEPARATOR
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.workbook_rows import read_workbook

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.mapping.yaml_rows import Row


def _at(path: Path, sheet: str, cell: str) -> str:
    """How an error shows a cell: the workbook, the sheet and the cell."""
    return SEPARATOR.join((str(path), sheet, cell)) + ": "


def _read(path: Path) -> tuple[list[Row], list[str]]:
    rows, problems = read_workbook(path, path.read_bytes(), load_mapping())
    return rows, [str(p) for p in problems]


def test_values_typed_in_excel_are_read_as_the_text_that_was_meant(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "talks"
    sheet.append(["id", "source", "agendaOrder", "ofo:day", "ofo:time", "ofo:flag", "ofo:ratio"])
    # What a spreadsheet program stores when a person types 2, 20/11/2020, 10:30, TRUE, 1.5.
    sheet.append(
        [
            "opening",
            "web-agenda-1",
            2,
            datetime.datetime(2020, 11, 20),
            datetime.time(10, 30),
            True,
            1.5,
        ]
    )
    sheet["C2"].number_format = "0"
    sheet["D2"].number_format = "dd/mm/yyyy"
    sheet["E2"].number_format = "h:mm"
    sheet.append(["year-row", "web-agenda-1", 2020.0])
    path = tmp_path / "forum.xlsx"
    book.save(path)

    rows, problems = _read(path)
    assert problems == []
    first, second = rows
    texts = {key: [v.text for v in cell.values] for key, cell in first.cells.items()}
    assert texts == {
        "id": ["opening"],
        "source": ["web-agenda-1"],
        "agendaOrder": ["2"],
        "ofo:day": ["2020-11-20"],
        "ofo:time": ["10:30"],
        "ofo:flag": ["true"],
        "ofo:ratio": ["1.5"],
    }
    day = first.cells["ofo:day"].values[0]
    assert (day.line, day.column) == (2, 4)
    assert second.first("agendaOrder") is not None
    assert second.cells["agendaOrder"].values[0].text == "2020"


def test_a_key_in_several_columns_gives_several_values_and_empty_cells_and_rows_are_skipped(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "talks"
    sheet.append(["id", "source", "performer", "name@en", "performer", "performer"])
    sheet.append(["a", "web-agenda-1", "x", None, None, "z"])
    sheet.append([])
    sheet.append([None, None, None, "  "])
    sheet.append(["b", "web-agenda-1", "y", "B"])
    path = tmp_path / "forum.xlsx"
    book.save(path)

    rows, problems = _read(path)
    assert problems == []
    assert [(r.line, r.first("id").text) for r in rows] == [(2, "a"), (5, "b")]  # type: ignore[union-attr]
    performers = rows[0].cells["performer"]
    assert [(v.text, v.line, v.column) for v in performers.values] == [("x", 2, 3), ("z", 2, 6)]
    assert "name@en" not in rows[0].cells


def test_other_sheets_with_data_are_errors_but_lists_help_and_empty_ones_are_not(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "talk"
    sheet.append(["id", "source"])
    sheet.append(["a", "web-agenda-1"])
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    lists.append(["person", "anyone"])
    book.create_sheet("help").append(["How to fill this workbook"])
    book.create_sheet("Sheet1")
    path = tmp_path / "forum.xlsx"
    book.save(path)

    rows, problems = _read(path)
    assert rows == []
    assert problems == [_at(path, "talk", "A1") + "unknown sheet (did you mean talks?)"]


def test_unreadable_keys_formulas_without_results_and_headless_values_are_reported_at_their_cell(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "talks"
    sheet.append(["id", "source", "nmae@en", "agendaOrder", None, "id"])
    sheet.append(["a", "web-agenda-1", "x", "=1+1", "stray", "b"])
    path = tmp_path / "forum.xlsx"
    book.save(path)  # openpyxl saves a formula without its result, as a script would

    _rows, problems = _read(path)
    assert problems == [
        _at(path, "talks", "C1")
        + "unknown column 'nmae@en': not a term of the context nor a known compact IRI",
        _at(path, "talks", "F1") + "a second 'id' column: a row has one id",
        _at(path, "talks", "D2")
        + "a formula without a saved result: open the workbook in a spreadsheet program and save it again, or type the value",
        _at(path, "talks", "E2") + "a value in a column without a key (cell E1 is empty)",
    ]


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_an_error_naming_it(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "forum.xlsx"
    path.write_bytes(content)
    with pytest.raises(DataError) as raised:
        read_workbook(path, content, load_mapping())
    assert raised.value.path == path
    assert "not a workbook that can be read" in str(raised.value)


def test_a_formula_gives_the_result_its_workbook_saved(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "talks"
    sheet.append(["id", "source", "agendaOrder"])
    sheet.append(["a", "web-agenda-1", "=1+1"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    # What a spreadsheet program saves: the formula and its result, which openpyxl cannot write.
    path = tmp_path / "forum.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>1+1</f><v />" in content
                content = content.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            target.writestr(item, content)

    [row], problems = _read(path)
    assert problems == []
    order = row.cells["agendaOrder"].values[0]
    assert (order.text, order.line, order.column) == ("2", 2, 3)
