"""YAML files -> rows, every value a string with the line and column where it was typed.

The file is read from PyYAML's parser events (what its composer builds nodes from), never by its
constructor: each scalar keeps its start mark, and none is turned into a number, a date, a
boolean or a sexagesimal (`10:30` stays "10:30"). Rows are built straight from the events: the
composer's nodes took two thirds of the time of reading a large file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from openforum_ld.errors import DataError

# libyaml's parser when PyYAML was built with it: the same events and marks, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.mapping.cells import RowsFile


@dataclass(frozen=True)
class Value:
    """One value as typed, and where (line and column from 1)."""

    text: str
    line: int
    column: int


@dataclass
class Cell:
    """A key of a row and its values (a list in the file, or one value)."""

    key: str
    line: int
    column: int
    values: list[Value]


@dataclass
class Row:
    """One row of a sheet, where it starts, and its cells in the order written."""

    sheet: str
    path: RowsFile  # a YAML file, or a sheet of a workbook
    line: int
    column: int
    cells: dict[str, Cell] = field(default_factory=dict)
    # In a workbook, the keys its sheet has a column for that this row leaves empty, and the
    # column of each: where a value the shapes ask for belongs.
    blank_columns: dict[str, int] = field(default_factory=dict)

    def first(self, key: str) -> Value | None:
        cell = self.cells.get(key)
        return cell.values[0] if cell is not None and cell.values else None


class YamlSyntaxError(DataError):
    """A YAML file that cannot be read, or whose structure is not sheets of rows."""


def _at(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    assert mark is not None  # the parser marks every event
    return mark.line + 1, mark.column + 1


class _Events:
    """The parser's events of one file, read as sheets of rows."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.events = iter(yaml.parse(text, Loader=_LOADER))

    def next(self) -> yaml.Event:
        event = next(self.events)
        if isinstance(event, yaml.AliasEvent):
            raise YamlSyntaxError(
                "anchors and aliases (*name) are not read: write the value", self.path, *_at(event)
            )
        return event

    def scalar(self, event: yaml.Event, what: str) -> Value:
        if not isinstance(event, yaml.ScalarEvent):
            raise YamlSyntaxError(f"{what} must be a single value", self.path, *_at(event))
        return Value(event.value, *_at(event))

    def rows(self) -> list[Row]:
        event = self.next()  # the stream's start
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return []
        root = self.next()  # after the document's start
        if isinstance(root, yaml.ScalarEvent) and root.value == "" and not root.style:
            return []
        if not isinstance(root, yaml.MappingStartEvent):
            raise YamlSyntaxError(
                "the file must map sheet names to lists of rows", self.path, *_at(root)
            )
        rows: list[Row] = []
        while not isinstance(event := self.next(), yaml.MappingEndEvent):
            sheet = self.scalar(event, "a sheet name").text
            event = self.next()
            if not isinstance(event, yaml.SequenceStartEvent):
                raise YamlSyntaxError(f"{sheet}: must be a list of rows", self.path, *_at(event))
            while not isinstance(event := self.next(), yaml.SequenceEndEvent):
                if not isinstance(event, yaml.MappingStartEvent):
                    raise YamlSyntaxError(
                        f"{sheet}: a row must map columns to values", self.path, *_at(event)
                    )
                rows.append(self.row(sheet, event))
        self.next()  # the document's end
        if isinstance(event := self.next(), yaml.DocumentStartEvent):
            raise YamlSyntaxError(
                "a second document (---): write one per file", self.path, *_at(event)
            )
        return rows

    def row(self, sheet: str, start: yaml.Event) -> Row:
        row = Row(sheet, self.path, *_at(start))
        while not isinstance(event := self.next(), yaml.MappingEndEvent):
            key = self.scalar(event, f"{sheet}: a column name")
            if key.text in row.cells:
                raise YamlSyntaxError(
                    f"{sheet}: column {key.text!r} twice in one row",
                    self.path,
                    key.line,
                    key.column,
                )
            event = self.next()
            what = f"{sheet}: {key.text}"
            if isinstance(event, yaml.SequenceStartEvent):
                items = []
                while not isinstance(event := self.next(), yaml.SequenceEndEvent):
                    items.append(event)
            else:
                items = [event]
            # An empty cell (`name:`) states nothing; a quoted one (`name: ""`) is an empty
            # text. `type: []` keeps its key: it says "no class".
            values = [
                self.scalar(item, what)
                for item in items
                if not (isinstance(item, yaml.ScalarEvent) and item.value == "" and not item.style)
            ]
            row.cells[key.text] = Cell(key.text, key.line, key.column, values)
        return row


def read_rows(path: Path, text: str) -> list[Row]:
    """The rows of a YAML file: a mapping of sheet names to lists of rows."""
    try:
        return _Events(path, text).rows()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise YamlSyntaxError(f"YAML syntax error: {error.problem}", path, line, column) from None
