"""The YAML files of a data directory -> their quads, and where each statement was typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.to_rdf import Positions, rows_to_quads
from openforum_ld.mapping.yaml_rows import read_rows

if TYPE_CHECKING:
    from pathlib import Path

    import pyoxigraph as ox

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class YamlData:
    """Where the statements of the YAML files were typed: their rows and keys."""

    positions: Positions

    def locate(
        self, subject: str, graphs: set[str] | None, prop: str | None
    ) -> list[tuple[Path, int, int | None]]:
        """Where `subject` is written in a row of a graph of `graphs` (any when None): at the
        key of `prop` when that row has it, else at the row."""
        found: list[tuple[Path, int, int | None]] = []
        for (row_subject, graph), row_at in self.positions.rows.items():
            if row_subject != subject or (graphs is not None and graph not in graphs):
                continue
            at = self.positions.keys.get((subject, graph, prop)) if prop else None
            found.append(at or row_at)
        return found


def read_yaml_data(
    files: list[tuple[Path, str]],
    base: str,
    known_subjects: set[str],
    sources_dir: Path | None = None,
    languages: tuple[str, ...] = ("en",),
) -> tuple[list[ox.Quad], YamlData]:
    """Read, check and map the rows of the YAML files (path and text): their quads and where
    each was typed. A CellCheckError lists every mistake. `languages` are the forum's, its main
    language first (that of a text column whose key names none)."""
    rows = []
    for path, text in files:
        rows.extend(read_rows(path, text))
    quads, positions = rows_to_quads(
        load_mapping(), base, rows, known_subjects, sources_dir, languages
    )
    return quads, YamlData(positions)
