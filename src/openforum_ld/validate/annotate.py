"""`validate --annotate`: copies of the data's workbooks with a comment on each cell in error.

The person who typed the data sees each mistake where it was made, in the spreadsheet they
work in, rather than reading cell names off a terminal. A mistake known only by its row (a
missing value has no cell) is put on the row's first cell. The copies are written beside each
other and moved into place at the end, so an error while writing leaves no half of them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from openforum_ld.errors import DataError
from openforum_ld.mapping.cells import WorkbookSheet, cell_name, shown_from_here

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.mapping.to_rdf import CellProblem
    from openforum_ld.validate import ValidationReport

_AUTHOR = "openforum-ld validate"
# A pale red, the colour spreadsheets use for a cell in error, readable under black text.
_IN_ERROR = PatternFill(fill_type="solid", start_color="FFF4CCCC", end_color="FFF4CCCC")
_COMMENT_SIZE = (360, 160)


@dataclass(frozen=True)
class Mistake:
    """One mistake at a cell (or, with no column, at a row) of a sheet of a workbook."""

    where: WorkbookSheet
    line: int
    column: int | None
    text: str


def mistakes_of_cell_checks(problems: list[CellProblem]) -> list[Mistake]:
    """The cell checks' mistakes that are in workbooks."""
    return [
        Mistake(p.path, p.line, p.column, p.message)
        for p in problems
        if isinstance(p.path, WorkbookSheet)
    ]


def mistakes_of_report(report: ValidationReport) -> list[Mistake]:
    """The shapes' results at the workbook cells where their focus node and path were typed."""
    found = []
    for result in report.results:
        text = f"{result.severity}: {result.message}"
        if result.value is not None:
            text += f" (value: {result.value})"
        for where, line, column in result.locations:
            if isinstance(where, WorkbookSheet):
                found.append(Mistake(where, line, column, text))
    return found


def annotate_workbooks(workbooks: list[Path], mistakes: list[Mistake], out: Path) -> list[str]:
    """Write a copy of each workbook with its mistakes as cell comments: to `out` when there is
    one workbook (a .xlsx file), else into the directory `out` under their own names. Returns
    what was written, one line each."""
    if not workbooks:
        raise DataError("--annotate needs a workbook (.xlsx) in the data; it has none", out)
    several = len(workbooks) > 1
    if several and out.suffix.lower() == ".xlsx":
        raise DataError(
            f"the data has {len(workbooks)} workbooks: give a directory for their copies", out
        )
    if not several and out.suffix.lower() != ".xlsx":
        raise DataError("give a .xlsx file for the annotated copy of the workbook", out)
    targets = {w: (out / w.name if several else out) for w in workbooks}
    if any(t.resolve() == w.resolve() for w, t in targets.items()):
        raise DataError("the annotated copy would overwrite the workbook itself", out)
    by_workbook: dict[Path, list[Mistake]] = defaultdict(list)
    for mistake in mistakes:
        by_workbook[mistake.where.workbook.resolve()].append(mistake)

    written: list[tuple[Path, Path]] = []
    lines = []
    try:
        for workbook, target in targets.items():
            own = by_workbook.get(workbook.resolve(), [])
            partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
            written.append((partial, target))
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_annotated(workbook, own, partial)
            cells = len({(m.where.name, m.line, m.column) for m in own})
            lines.append(
                f"Wrote {target}: {len(own)} mistake(s) on {cells} cell(s) of "
                f"{shown_from_here(workbook)}"
            )
        for partial, target in written:
            partial.replace(target)
    except (OSError, DataError) as error:
        for partial, _target in written:
            partial.unlink(missing_ok=True)
        if isinstance(error, DataError):
            raise
        raise DataError(f"cannot write the annotated copy: {error.strerror}", out) from None
    return lines


def _write_annotated(workbook: Path, mistakes: list[Mistake], target: Path) -> None:
    try:
        book = openpyxl.load_workbook(workbook)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise DataError(f"cannot read the workbook to annotate it: {error}", workbook) from None
    at_cell: dict[tuple[str, str], list[str]] = defaultdict(list)
    for mistake in mistakes:
        name = cell_name(mistake.line, mistake.column or 1)
        at_cell[(mistake.where.name, name)].append(mistake.text)
    for (sheet, name), texts in at_cell.items():
        if sheet not in book.sheetnames:
            continue
        cell = book[sheet][name]
        earlier = f"{cell.comment.text}\n" if cell.comment is not None else ""
        comment = Comment(earlier + "\n".join(dict.fromkeys(texts)), _AUTHOR)
        comment.width, comment.height = _COMMENT_SIZE
        cell.comment = comment
        cell.fill = _IN_ERROR
    book.save(target)
