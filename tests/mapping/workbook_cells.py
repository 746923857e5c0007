"""Finding and changing a cell of a workbook by its sheet, row id and key, as a person would."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openpyxl

from openforum_ld.mapping.cells import SEPARATOR

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.cell.cell import Cell


def at(path: Path, sheet: str, cell: str) -> str:
    """How an error shows a cell: the workbook, the sheet and the cell."""
    return SEPARATOR.join((str(path), sheet, cell))


def find_cell(book: openpyxl.Workbook, sheet: str, key: str, *, has_value: bool = True) -> Cell:
    """The first cell of the first column headed `key` whose row has a value there (or none,
    with `has_value` false)."""
    worksheet = book[sheet]
    [column] = [c.column for c in worksheet[1] if c.value == key][:1]
    for row in range(2, worksheet.max_row + 1):
        cell = worksheet.cell(row, column)
        if (cell.value is not None) == has_value:
            return cell
    raise AssertionError(f"no row of {sheet} with {key}")


def change(path: Path, sheet: str, key: str, value: object) -> str:
    """Give the first value of column `key` in `sheet` another value; the cell's name."""
    book = openpyxl.load_workbook(path)
    cell = find_cell(book, sheet, key)
    cell.value = value
    book.save(path)
    return str(cell.coordinate)
