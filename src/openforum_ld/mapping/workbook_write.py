"""Sheets of rows -> a workbook (.xlsx) a person fills in a spreadsheet program, and that
`workbook_rows` reads back to the same rows.

Row 1 holds the keys (bold, frozen, with filters); a key with several values in a row takes as
many columns as the longest list needs. Every cell is text, formatted as text (`@`), so that the
program never makes 2020 a number or 10:30 a time. Each column says what it means, from the
shapes, in the header's comment and as the prompt shown when a cell is selected; columns of fixed
values and of references offer drop-downs, whose lists are on a hidden `lists` sheet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils.cell import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from openforum_ld.errors import DataError
from openforum_ld.i18n import Translator
from openforum_ld.mapping.sheets import ROW_KEYS, load_mapping
from openforum_ld.mapping.workbook_rows import SHEETS_NOT_READ

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

    from openforum_ld.mapping.column_help import ColumnHelp
    from openforum_ld.mapping.from_rdf import SheetRows
    from openforum_ld.mapping.sheets import Mapping, Sheet

LISTS_SHEET = SHEETS_NOT_READ[0]
_TEXT = "@"
_LAST_ROW = 1_048_576  # a sheet's last row: a column's prompt and drop-down hold for new rows
# The rows of each sheet a drop-down of ids of several kinds reads (one kind's reads them all).
_REFERENCED_ROWS = 1_000
# What a spreadsheet program accepts in a cell's prompt (longer, Excel calls the file damaged).
_PROMPT_TITLE_MAX, _PROMPT_MAX = 32, 255


def write_workbook(
    rows: SheetRows,
    path: Path,
    languages: Sequence[str] = ("en", "fr"),
    *,
    all_sheets: bool = False,
    column_help: ColumnHelp | None = None,
) -> None:
    """Write the rows of each sheet to a workbook, one sheet per sheet of the mapping that has
    rows (with `all_sheets`, every sheet, with a column for every column of the mapping, a text
    column once per language). `column_help`, read from the shapes, explains the columns in
    `languages`."""
    mapping = load_mapping()
    written = {s.name for s in mapping.sheets if rows.get(s.name) or all_sheets}
    writer = _Writer(mapping, rows, languages, column_help, written)
    book = openpyxl.Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for sheet in writer.mapping.sheets:
        sheet_rows = rows.get(sheet.name, [])
        if sheet_rows or all_sheets:
            writer.write_sheet(book.create_sheet(sheet.name), sheet, sheet_rows, all_sheets)
    if not book.worksheets:
        book.create_sheet(writer.mapping.sheets[0].name).append(list(ROW_KEYS))
    writer.write_lists(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _prompt(texts: list[str]) -> str:
    """A cell's prompt from the column's help, one text per language: all of them when they
    fit, else as many languages whole as fit, the forum's main language first (the header's
    comment has them all), else the first cut short."""
    for count in range(len(texts), 0, -1):
        prompt = "\n\n".join(texts[:count])
        if len(prompt) <= _PROMPT_MAX:
            return prompt
    return texts[0][: _PROMPT_MAX - 1] + "\N{HORIZONTAL ELLIPSIS}"


class _Writer:
    def __init__(
        self,
        mapping: Mapping,
        rows: SheetRows,
        languages: Sequence[str],
        column_help: ColumnHelp | None,
        sheets_written: set[str],
    ) -> None:
        self.mapping = mapping
        self.rows = rows
        self.languages = tuple(languages)
        self.column_help = column_help
        self.sheets_written = sheets_written
        # The drop-downs' values, by what they list: a list per column of the lists sheet; a
        # value starting with "=" is a formula reading a sheet's ids.
        self.lists: dict[str, list[str]] = {}

    def write_sheet(
        self, sheet_out: Worksheet, sheet: Sheet, rows: list[dict[str, object]], all_sheets: bool
    ) -> None:
        widths: dict[str, int] = defaultdict(int)
        for row in rows:
            for key, value in row.items():
                values = value if isinstance(value, list) else [value]
                if key == "type" and not values:
                    raise DataError(
                        f"{sheet.name}: {row.get('id')} has no class in any graph, which a "
                        "workbook cannot say (an empty type adds the sheet's classes); write "
                        "it in YAML (type: []) or TriG"
                    )
                widths[key] = max(widths[key], len(values))
        if all_sheets:
            for key in self._every_key(sheet):
                widths[key] = max(widths[key], 1)
        keys = sorted(widths, key=lambda k: self._key_order(sheet, k))
        header = [key for key in keys for _ in range(widths[key])]
        sheet_out.append(header)
        for row in rows:
            cells: list[str | None] = []
            for key in keys:
                value = row.get(key)
                values = [] if value is None else value if isinstance(value, list) else [value]
                cells.extend(str(v) for v in values)
                cells.extend([None] * (widths[key] - len(values)))
            sheet_out.append(cells)
        self._format(sheet_out, header)
        self._explain(sheet_out, sheet, header)

    def _every_key(self, sheet: Sheet) -> list[str]:
        keys = list(ROW_KEYS)
        for column in sheet.columns:
            if column.value == "text":
                keys.extend(f"{column.key}@{language}" for language in self.languages)
            else:
                keys.append(column.key)
        return keys

    def _key_order(self, sheet: Sheet, key: str) -> tuple[int, int, str]:
        """id, source and type first, then the mapping's columns in its order, each language in
        the order of `languages`, then keys the mapping has no column for."""
        if key in ROW_KEYS:
            return (ROW_KEYS.index(key), 0, key)
        name = re.split(r"[@^]", key, maxsplit=1)[0]
        language = key.partition("@")[2]
        order = [c.key for c in sheet.columns]
        position = order.index(name) if name in order else len(order)
        rank = self.languages.index(language) if language in self.languages else 99
        return (len(ROW_KEYS) + position, rank, key)

    def _format(self, sheet_out: Worksheet, header: list[str]) -> None:
        bold = Font(bold=True)
        for cell in sheet_out[1]:
            cell.font = bold
        columns = sheet_out.iter_cols(min_row=1, max_col=len(header))
        for number, column_cells in enumerate(columns, start=1):
            longest = 0
            for cell in column_cells:
                cell.number_format = _TEXT
                if cell.data_type == "f":  # a text that starts with "=" is no formula here
                    cell.data_type = "s"
                longest = max(longest, len(str(cell.value)) if cell.value is not None else 0)
            letter = get_column_letter(number)
            sheet_out.column_dimensions[letter].number_format = _TEXT
            sheet_out.column_dimensions[letter].width = min(60, max(10, longest + 2))
        sheet_out.freeze_panes = "A2"
        last = get_column_letter(max(1, len(header)))
        sheet_out.auto_filter.ref = f"A1:{last}{max(2, sheet_out.max_row)}"

    def _explain(self, sheet_out: Worksheet, sheet: Sheet, header: list[str]) -> None:
        """A comment on each key's header, and one data validation per key on its columns:
        the same help as the prompt of a selected cell, and a drop-down where the values are
        known."""
        columns_of: dict[str, list[int]] = defaultdict(list)
        for number, key in enumerate(header, start=1):
            columns_of[key].append(number)
        for key, numbers in columns_of.items():
            texts = self._help(sheet, key)
            if texts:
                for number in numbers:
                    comment = Comment("\n\n".join(texts), "openforum-ld")
                    comment.width, comment.height = 320, 160
                    sheet_out.cell(1, number).comment = comment
            validation = self._validation(sheet, key)
            if validation is None and not texts:
                continue
            if validation is None:
                validation = DataValidation(allow_blank=True)
            if texts:
                validation.showInputMessage = True
                validation.promptTitle = key[:_PROMPT_TITLE_MAX]
                validation.prompt = _prompt(texts)
            for number in numbers:
                letter = get_column_letter(number)
                validation.add(f"{letter}2:{letter}{_LAST_ROW}")
            sheet_out.add_data_validation(validation)

    def _help(self, sheet: Sheet, key: str) -> list[str]:
        """What the column means, one text per language."""
        if key == "type":
            classes = ", ".join(self.mapping.compact(c) for c in sheet.classes) or "-"
            return [Translator(lang)("workbook_type", classes=classes) for lang in self.languages]
        if key in ROW_KEYS:
            return [Translator(language)(f"workbook_{key}") for language in self.languages]
        if self.column_help is None:
            return []
        read = self.mapping.read_key(key)
        if isinstance(read, str):
            return []
        found = self.column_help.for_column(sheet, read.property)
        if found is None:
            return []
        texts = [text for text in map(found.text, self.languages) if text]
        # Shapes written in none of the forum's languages still say what the column is.
        return texts or [text for text in [found.text("en")] if text]

    def _validation(self, sheet: Sheet, key: str) -> DataValidation | None:
        """A drop-down of the values a column takes, or of the ids it refers to."""
        column = sheet.by_property.get(self._property(key) or "")
        if column is None or (key != column.key and not key.startswith(column.key + "@")):
            return None
        if column.values:
            # Other values are refused when the workbook is read, so they are refused here too.
            return self._list(column.key, list(column.values), strict=True)
        if column.value == "ref" and column.to:
            # The ids the sheets have when the drop-down opens, not when the workbook was
            # written: a row added (or an example replaced) is offered at once.
            targets = [
                target.name
                for kind in column.to
                if (target := self.mapping.by_kind.get(kind)) is not None
                and target.name in self.sheets_written
            ]
            if not targets:
                return None
            # A new id may still be typed: its row may be on another sheet still to be written,
            # or in the forum's TriG files. A warning catches a slip without refusing it.
            if len(targets) == 1:
                source = f"{quote_sheetname(targets[0])}!$A$2:$A${_LAST_ROW}"
                return self._validation_list(" ".join(column.to), source, strict=False)
            formulas = [
                f'=IF({quote_sheetname(name)}!$A{row}="","",{quote_sheetname(name)}!$A{row})'
                for name in targets
                for row in range(2, _REFERENCED_ROWS + 2)
            ]
            return self._list(" ".join(column.to), formulas, strict=False)
        return None

    def _property(self, key: str) -> str | None:
        read = self.mapping.read_key(key)
        return None if isinstance(read, str) else read.property

    def _list(self, name: str, values: list[str], *, strict: bool) -> DataValidation:
        if name not in self.lists:
            self.lists[name] = values
        number = list(self.lists).index(name) + 1
        letter = get_column_letter(number)
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        return self._validation_list(name, source, strict=strict)

    def _validation_list(self, name: str, source: str, *, strict: bool) -> DataValidation:
        return DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=name[:_PROMPT_TITLE_MAX],
            error=f"Not one of the values of {name}"
            if strict
            else f"No row of {name} has this id yet",
        )

    def write_lists(self, book: openpyxl.Workbook) -> None:
        """The drop-downs' values, a column each, on a hidden sheet."""
        if not self.lists:
            return
        sheet_out = book.create_sheet(LISTS_SHEET)
        for number, (name, values) in enumerate(self.lists.items(), start=1):
            sheet_out.cell(1, number, name).font = Font(bold=True)
            for line, value in enumerate(values, start=2):
                cell = sheet_out.cell(line, number, value)
                if not value.startswith("="):
                    cell.data_type = "s"  # a fixed value is text, whatever it starts with
                    cell.number_format = _TEXT
        sheet_out.sheet_state = "hidden"
