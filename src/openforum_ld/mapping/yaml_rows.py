"""YAML files -> rows, every value a string with the line and column where it was typed.

The file is read with PyYAML's composer, not its constructor: nodes keep their start marks, and
no scalar is turned into a number, a date, a boolean or a sexagesimal (`10:30` stays "10:30").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from openforum_ld.errors import DataError

# libyaml's parser when PyYAML was built with it: the same nodes and marks, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

if TYPE_CHECKING:
    from pathlib import Path


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
    path: Path
    line: int
    column: int
    cells: dict[str, Cell] = field(default_factory=dict)

    def first(self, key: str) -> Value | None:
        cell = self.cells.get(key)
        return cell.values[0] if cell is not None and cell.values else None


class YamlSyntaxError(DataError):
    """A YAML file that cannot be read, or whose structure is not sheets of rows."""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: yaml.Node, path: Path, what: str) -> Value:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlSyntaxError(f"{what} must be a single value", path, *_mark(node))
    return Value(node.value, *_mark(node))


def read_rows(path: Path, text: str) -> list[Row]:
    """The rows of a YAML file: a mapping of sheet names to lists of rows."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise YamlSyntaxError(f"YAML syntax error: {error.problem}", path, line, column) from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise YamlSyntaxError("the file must map sheet names to lists of rows", path, *_mark(root))
    rows = []
    for sheet_node, rows_node in root.value:
        sheet = _scalar(sheet_node, path, "a sheet name").text
        if not isinstance(rows_node, yaml.SequenceNode):
            raise YamlSyntaxError(f"{sheet}: must be a list of rows", path, *_mark(rows_node))
        for row_node in rows_node.value:
            if not isinstance(row_node, yaml.MappingNode):
                raise YamlSyntaxError(
                    f"{sheet}: a row must map columns to values", path, *_mark(row_node)
                )
            row = Row(sheet, path, *_mark(row_node))
            for key_node, value_node in row_node.value:
                key = _scalar(key_node, path, f"{sheet}: a column name")
                if key.text in row.cells:
                    raise YamlSyntaxError(
                        f"{sheet}: column {key.text!r} twice in one row", path, key.line, key.column
                    )
                nodes = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                # An empty cell (`name:`) states nothing; a quoted one (`name: ""`) is an empty
                # text. `type: []` keeps its key: it says "no class".
                values = [
                    _scalar(node, path, f"{sheet}: {key.text}")
                    for node in nodes
                    if not (
                        isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style
                    )
                ]
                row.cells[key.text] = Cell(key.text, key.line, key.column, values)
            rows.append(row)
    return rows
