"""`convert`: a forum's data between RDF files (TriG, Turtle), YAML sheets and workbooks,
losing nothing. Sheets go to RDF and back through the same rows -> JSON-LD -> quads mapping the
loader uses."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.errors import DataError
from openforum_ld.iris import NAMESPACES
from openforum_ld.load import list_source_files, parse_path, read_bytes, read_text
from openforum_ld.mapping.column_help import read_column_help
from openforum_ld.mapping.from_rdf import quads_to_rows, rows_to_yaml
from openforum_ld.mapping.read import YAML_SUFFIXES, is_sheet_file, read_sheet_data
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.workbook_rows import WORKBOOK_SUFFIXES, is_workbook_file
from openforum_ld.mapping.workbook_write import write_workbook
from openforum_ld.rdf.formats import rdf_format_for_path
from openforum_ld.rdf.serialize import kind_prefixes, write_trig

if TYPE_CHECKING:
    from pathlib import Path

_DATA_SUFFIXES = (*YAML_SUFFIXES, *WORKBOOK_SUFFIXES, ".trig", ".ttl", ".nq", ".nt")


def convert_data(
    source: Path,
    target: Path,
    base: str,
    sources_dir: Path | None,
    languages: tuple[str, ...] = ("en",),
    shapes_dir: Path | None = None,
) -> list[str]:
    """Convert `source` into `target` (see the `convert` command); returns what was written.
    `languages` are the forum's, its main language first (that of sheet text without one);
    `shapes_dir` gives a workbook's columns their help in them."""
    if not source.exists():
        raise DataError("no such file or directory", source)
    files = list_source_files(source, "data", yaml=True) if source.is_dir() else [source]
    if (
        not source.is_dir()
        and not is_sheet_file(source)
        and rdf_format_for_path(source.name) is None
    ):
        raise DataError("not a data file (TriG, Turtle, N-Quads, N-Triples, YAML, .xlsx)", source)
    sheet_files = [p for p in files if is_sheet_file(p)]
    if sheet_files and len(sheet_files) < len(files):
        raise DataError("holds both sheets and RDF files: convert one kind at a time", source)
    _refuse_to_mix(target)
    if sheet_files:
        quads = _read_sheets(sheet_files, base, sources_dir, languages)
    else:
        quads = [q for path in files for q in parse_path(path, base)[0]]
    what = f"{len(quads):,} statements"
    try:
        if target.suffix in WORKBOOK_SUFFIXES or target.suffix in YAML_SUFFIXES:
            return [_write_sheets(quads, target, base, languages, shapes_dir, what)]
        if sheet_files:
            return [_write_trig(quads, target, base, what)]
        return [_write_yaml_dir(quads, target, base, what)]
    except OSError as error:
        raise DataError(f"cannot write: {error.strerror or error}", target) from None


def _refuse_to_mix(target: Path) -> None:
    """Data files already in the target would be read with the new ones, twice over."""
    if target.is_dir() and any(p.suffix in _DATA_SUFFIXES for p in target.iterdir()):
        raise DataError("the target directory holds data files already; give an empty one", target)
    if target.is_file():
        raise DataError("the target exists already", target)


def _read_sheets(
    files: list[Path], base: str, sources_dir: Path | None, languages: tuple[str, ...]
) -> list[ox.Quad]:
    yaml_files = [(p, read_text(p)[1]) for p in files if p.suffix in YAML_SUFFIXES]
    workbooks = [(p, read_bytes(p)) for p in files if is_workbook_file(p)]
    quads, _positions = read_sheet_data(yaml_files, workbooks, base, set(), sources_dir, languages)
    return quads


def _write_sheets(
    quads: list[ox.Quad],
    target: Path,
    base: str,
    languages: tuple[str, ...],
    shapes_dir: Path | None,
    what: str,
) -> str:
    """One YAML file, or one workbook, holding every sheet."""
    sheets = quads_to_rows(load_mapping(), base, quads)
    count = sum(len(rows) for rows in sheets.values())
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix in YAML_SUFFIXES:
        target.write_text(rows_to_yaml(sheets), encoding="utf-8")
    else:
        help_ = read_column_help(shapes_dir) if shapes_dir is not None else None
        write_workbook(sheets, target, languages, column_help=help_)
    return f"Wrote {what} as {count:,} rows in {len(sheets)} sheets to {target}"


def _write_yaml_dir(quads: list[ox.Quad], target: Path, base: str, what: str) -> str:
    """A YAML file per sheet."""
    sheets = quads_to_rows(load_mapping(), base, quads)
    count = sum(len(rows) for rows in sheets.values())
    target.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        (target / f"{name}.yaml").write_text(rows_to_yaml({name: rows}), encoding="utf-8")
    return f"Wrote {what} as {count:,} rows in {len(sheets)} sheets to {target}"


def _write_trig(quads: list[ox.Quad], target: Path, base: str, what: str) -> str:
    """A TriG file per named graph."""
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        by_graph[str(quad.graph_name.value)].append(quad)  # type: ignore[union-attr]
    graph_ns = kind_prefixes(base)["graph"]
    prefixes = {**load_mapping().prefixes, **NAMESPACES, **kind_prefixes(base)}
    target.mkdir(parents=True, exist_ok=True)
    for graph, graph_quads in sorted(by_graph.items()):
        out = io.StringIO()
        write_trig(ox.Dataset(graph_quads), out, prefixes, [ox.NamedNode(graph)])
        # The entities' and graphs' IRIs relative, as in data/: the files publish under any
        # base. (Only those: the ontology's namespace may sit under the base too.)
        text = out.getvalue()
        for segment in ("id/", "graph/"):
            text = text.replace(f"<{base}{segment}", f"<{segment}")
        (target / f"{graph[len(graph_ns) :]}.trig").write_text(text, encoding="utf-8")
    return f"Wrote {what} in {len(by_graph)} graphs to {target}"
