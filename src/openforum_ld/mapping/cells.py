"""Where a value was typed: a line and column of a YAML file, or a cell of a sheet of a workbook.

Rows keep a line and a column either way (a workbook's row and column numbers); what differs is
what they are read in, and so how a person is shown the place: `data/forum.yaml:12:5`, or the
workbook, the sheet and the cell, `data/forum.xlsx`, `talks` and `D7`, joined by SEPARATOR.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils.cell import get_column_letter

#: Between a workbook, a sheet and a cell: the arrow a spreadsheet user reads as "then".
SEPARATOR = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "


@dataclass(frozen=True)
class WorkbookSheet:
    """One sheet of a workbook: what a workbook's rows are read in, where a YAML row has its
    file's path."""

    workbook: Path
    name: str

    def __str__(self) -> str:
        return f"{self.workbook}{SEPARATOR}{self.name}"


#: What rows are read in: a YAML file, or a sheet of a workbook.
RowsFile = Path | WorkbookSheet


def cell_name(line: int, column: int) -> str:
    """A cell's name as a spreadsheet shows it: row 7, column 4 is D7."""
    return f"{get_column_letter(column)}{line}"


def shown_position(
    where: RowsFile, line: int, column: int | None, shown_path: str | None = None
) -> str:
    """A place as the person who typed there looks for it: `path:line:column`, or
    the workbook, sheet and cell. `shown_path` replaces the file's path (made relative, say)."""
    if isinstance(where, WorkbookSheet):
        workbook = shown_path if shown_path is not None else str(where.workbook)
        if column is None:
            return SEPARATOR.join((workbook, where.name, f"row {line}"))
        return SEPARATOR.join((workbook, where.name, cell_name(line, column)))
    shown = f"{shown_path if shown_path is not None else where}:{line}"
    return shown if column is None else f"{shown}:{column}"


def shown_from_here(path: Path) -> str:
    """A file's path relative to the working directory when it is under it (as validation
    reports show paths), else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def file_of(where: RowsFile) -> Path:
    """The file a place is in: the workbook of a sheet."""
    return where.workbook if isinstance(where, WorkbookSheet) else where
