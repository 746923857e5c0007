"""The sheets of a data directory (YAML files, workbooks) -> their quads, and where each
statement was typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.to_rdf import CellCheckError, Positions, rows_to_quads
from openforum_ld.mapping.workbook_rows import WORKBOOK_SUFFIXES, is_workbook_file, read_workbook
from openforum_ld.mapping.yaml_rows import read_rows

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    import pyoxigraph as ox

    from openforum_ld.mapping.cells import RowsFile
    from openforum_ld.mapping.to_rdf import CellProblem

YAML_SUFFIXES = (".yaml", ".yml")
#: The files of a data directory that hold sheets of rows rather than RDF.
SHEET_SUFFIXES = (*YAML_SUFFIXES, *WORKBOOK_SUFFIXES)


def is_sheet_file(path: Path) -> bool:
    """Whether a file of a data directory holds sheets to read: YAML, or a workbook (not the
    owner file a spreadsheet program keeps beside one it has open)."""
    return path.suffix in YAML_SUFFIXES or is_workbook_file(path)


@dataclass
class SheetData:
    """Where the statements of the sheets were typed: their rows and keys (a YAML file's line
    and column, a workbook's sheet, row and column)."""

    positions: Positions

    def locate(
        self, subject: str, graphs: set[str] | None, prop: str | None
    ) -> list[tuple[RowsFile, int, int | None]]:
        """Where `subject` is written in a row of a graph of `graphs` (any when None): at the
        key of `prop` in the rows that have it first; then the rows without it, at the empty
        cell of its column when the row's sheet has one, else at the row."""
        typed: list[tuple[RowsFile, int, int | None]] = []
        others: list[tuple[RowsFile, int, int | None]] = []
        for (row_subject, graph), row_at in self.positions.rows.items():
            if row_subject != subject or (graphs is not None and graph not in graphs):
                continue
            at = self.positions.keys.get((subject, graph, prop)) if prop else None
            if at is not None:
                typed.append(at)
            else:
                blank = self.positions.blanks.get((subject, graph, prop)) if prop else None
                others.append(blank or row_at)
        return typed + others


def read_sheet_data(
    yaml_files: Sequence[tuple[Path, str]],
    workbooks: Sequence[tuple[Path, bytes]],
    base: str,
    known_subjects: set[str],
    sources_dir: Path | None = None,
    languages: tuple[str, ...] = ("en",),
) -> tuple[list[ox.Quad], SheetData]:
    """Read, check and map the rows of the YAML files (path and text) and workbooks (path and
    bytes), all together since their rows refer to each other: their quads and where each was
    typed. A CellCheckError lists every mistake. `languages` are the forum's, its main language
    first (that of a text column whose key names none)."""
    mapping = load_mapping()
    rows = []
    problems: list[CellProblem] = []
    for path, text in yaml_files:
        rows.extend(read_rows(path, text))
    for path, data in workbooks:
        workbook_rows, workbook_problems = read_workbook(path, data, mapping)
        rows.extend(workbook_rows)
        problems.extend(workbook_problems)
    try:
        quads, positions = rows_to_quads(
            mapping, base, rows, known_subjects, sources_dir, languages
        )
    except CellCheckError as error:
        problems.extend(error.errors)
    if problems:
        problems.sort(key=lambda e: (str(e.path), e.line, e.column))
        raise CellCheckError(problems)
    return quads, SheetData(positions)
