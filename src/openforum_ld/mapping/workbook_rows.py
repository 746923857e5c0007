"""Workbooks (.xlsx) -> rows, every value the string the person meant, at its cell.

Row 1 of a sheet holds the column keys, as YAML rows do (`id`, `source`, `name@en`); a key may
head several columns, each giving one more value. A spreadsheet program stores what is typed as
numbers, dates and times, so each is written back as the text that was meant: 2020 (never
2020.0), 2020-11-20, 10:30, true. A formula gives the result the program saved with it.

The workbook is read in openpyxl's read-only mode, which streams each sheet's XML instead of
building every cell: it knows no merged ranges (a merged cell's value is in its first cell, the
others are empty, as they are to a reader of the file), and hidden rows and columns are read like
the others. A second pass is made only when the workbook holds formulas, for their saved results.
"""

from __future__ import annotations

import datetime
import difflib
import io
import zipfile
from typing import TYPE_CHECKING, Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from openforum_ld.errors import DataError
from openforum_ld.mapping.cells import WorkbookSheet, cell_name
from openforum_ld.mapping.sheets import ROW_KEYS
from openforum_ld.mapping.to_rdf import CellProblem
from openforum_ld.mapping.yaml_rows import Cell, Row, Value

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from openforum_ld.mapping.sheets import Mapping

WORKBOOK_SUFFIXES = (".xlsx",)
#: Sheets a workbook may have beside the mapping's: the drop-downs' values, a page of help.
SHEETS_NOT_READ = ("lists", "help")
# Keys one column only may give: a row is one entity in one source.
_ONCE = ("id", "source")
# What openpyxl raises on a file that is not a workbook or is damaged: a zip archive that is not
# one, a part missing from it (KeyError), XML that does not parse (SyntaxError), a value it cannot
# read (ValueError, TypeError).
_UNREADABLE = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    SyntaxError,
    ValueError,
    TypeError,
)


def is_workbook_file(path: Path) -> bool:
    """Whether a file of a data directory is a workbook to read: not the owner file a
    spreadsheet program keeps beside a workbook it has open (`~$forum.xlsx`)."""
    return path.suffix in WORKBOOK_SUFFIXES and not path.name.startswith("~$")


def read_workbook(path: Path, data: bytes, mapping: Mapping) -> tuple[list[Row], list[CellProblem]]:
    """The rows of a workbook's sheets (those of the mapping), and the mistakes found in
    reading them (unknown sheets and keys, values without a key, formulas without a result).
    A file that is not a workbook is a DataError."""
    try:
        rows, problems, formulas = _Reader(path, mapping, data_only=False).read(data, set())
        if formulas:
            rows, problems, _formulas = _Reader(path, mapping, data_only=True).read(data, formulas)
    except _UNREADABLE as error:
        reason = str(error) or type(error).__name__
        raise DataError(f"not a workbook that can be read (.xlsx): {reason}", path) from None
    return rows, problems


def cell_text(value: Any) -> str | None:
    """The text a person meant by what a cell holds; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # A whole number is stored as a float: 2020.0 was typed 2020. Otherwise the 15
        # significant digits a spreadsheet shows (0.1 + 0.2 is 0.3 there).
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return _clock(value.hour, value.minute, value.second)
    if isinstance(value, datetime.timedelta):
        seconds = round(value.total_seconds())
        return _clock(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    text = str(value)
    return text if text.strip() else None


def _clock(hours: int, minutes: int, seconds: int) -> str:
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


class _Reader:
    """One pass over a workbook's sheets."""

    def __init__(self, path: Path, mapping: Mapping, *, data_only: bool) -> None:
        self.path = path
        self.mapping = mapping
        self.data_only = data_only
        self.problems: list[CellProblem] = []
        self.formulas: set[tuple[str, int, int]] = set()

    def problem(self, sheet: WorkbookSheet, line: int, column: int, message: str) -> None:
        self.problems.append(CellProblem(sheet, line, column, sheet.name, message))

    def read(
        self, data: bytes, formulas: set[tuple[str, int, int]]
    ) -> tuple[list[Row], list[CellProblem], set[tuple[str, int, int]]]:
        """The rows, the problems, and where the formulas are (when not `data_only`);
        `formulas` are those a first pass found, whose saved results this one reads."""
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=self.data_only, keep_links=False
        )
        rows: list[Row] = []
        try:
            for worksheet in book.worksheets:
                if worksheet.title in SHEETS_NOT_READ:
                    continue
                sheet = WorkbookSheet(self.path, worksheet.title)
                # The size a file records may be wrong (some programs write none): read them all.
                worksheet.reset_dimensions()
                lines = worksheet.iter_rows()
                if worksheet.title not in self.mapping.by_name:
                    self._unknown(sheet, lines)
                    continue
                keys = self._keys(sheet, next(lines, ()))
                for number, cells in enumerate(lines, start=2):
                    row = self._row(sheet, number, cells, keys, formulas)
                    if row is not None:
                        rows.append(row)
        finally:
            book.close()
        return rows, self.problems, self.formulas

    def _unknown(self, sheet: WorkbookSheet, lines: Iterable[tuple[Any, ...]]) -> None:
        """A sheet the mapping does not have is an error when it holds anything."""
        for cells in lines:
            if any(cell_text(cell.value) is not None for cell in cells):
                names = difflib.get_close_matches(sheet.name, list(self.mapping.by_name), 3)
                hint = f" (did you mean {', '.join(names)}?)" if names else ""
                self.problem(sheet, 1, 1, f"unknown sheet{hint}")
                return

    def _keys(self, sheet: WorkbookSheet, header: tuple[Any, ...]) -> dict[int, str | None]:
        """Each column's key (by column number), from row 1; a key that cannot be read is
        reported at its cell, and its column (None) is not read."""
        keys: dict[int, str | None] = {}
        for number, cell in enumerate(header, start=1):
            key = cell_text(cell.value)
            if key is None:
                continue
            key = key.strip()
            if key in _ONCE and key in keys.values():
                self.problem(sheet, 1, number, f"a second {key!r} column: a row has one {key}")
                keys[number] = None
                continue
            if key not in ROW_KEYS:
                read = self.mapping.read_key(key)
                if isinstance(read, str):
                    self.problem(sheet, 1, number, read)
                    keys[number] = None
                    continue
            keys[number] = key
        return keys

    def _row(
        self,
        sheet: WorkbookSheet,
        number: int,
        cells: tuple[Any, ...],
        keys: dict[int, str | None],
        formulas: set[tuple[str, int, int]],
    ) -> Row | None:
        row = Row(sheet.name, sheet, number, 1)
        for column, cell in enumerate(cells, start=1):
            text = self._text(sheet, number, column, cell, formulas)
            if text is None:
                continue
            if column not in keys:
                # Reported once per column: its first value says where the key is missing.
                keys[column] = None
                self.problem(
                    sheet,
                    number,
                    column,
                    f"a value in a column without a key (cell {cell_name(1, column)} is empty)",
                )
            key = keys[column]
            if key is None:
                continue
            found = row.cells.get(key)
            if found is None:
                found = row.cells[key] = Cell(key, number, column, [])
            found.values.append(Value(text, number, column))
        if row.cells:
            for column, key in keys.items():
                if key is not None and key not in row.cells and key not in row.blank_columns:
                    row.blank_columns[key] = column
        return row if row.cells else None

    def _text(
        self,
        sheet: WorkbookSheet,
        number: int,
        column: int,
        cell: Any,
        formulas: set[tuple[str, int, int]],
    ) -> str | None:
        data_type = getattr(cell, "data_type", None)
        if data_type == "f":
            self.formulas.add((sheet.name, number, column))
            return None
        if data_type == "e":
            self.problem(sheet, number, column, f"the cell shows an error ({cell.value})")
            return None
        text = cell_text(cell.value)
        if text is None and (sheet.name, number, column) in formulas:
            self.problem(
                sheet,
                number,
                column,
                "a formula without a saved result: open the workbook in a spreadsheet program "
                "and save it again, or type the value",
            )
        return text
