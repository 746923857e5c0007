"""`convert`: a forum's data between RDF files (TriG, Turtle) and YAML sheets, losing nothing."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.errors import DataError
from openforum_ld.iris import NAMESPACES
from openforum_ld.load import list_source_files, parse_path, read_text
from openforum_ld.mapping.from_rdf import quads_to_rows, rows_to_yaml
from openforum_ld.mapping.read import YAML_SUFFIXES, read_yaml_data
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.rdf.serialize import kind_prefixes, write_trig

if TYPE_CHECKING:
    from pathlib import Path


def convert_data(
    source: Path,
    target: Path,
    base: str,
    sources_dir: Path | None,
    languages: tuple[str, ...] = ("en",),
) -> list[str]:
    """Convert `source` into `target` (see the `convert` command); returns what was written.
    `languages` are the forum's, its main language first (that of YAML text without one)."""
    files = list_source_files(source, "data", yaml=True) if source.is_dir() else [source]
    if not source.exists():
        raise DataError("no such file or directory", source)
    yaml_files = [p for p in files if p.suffix in YAML_SUFFIXES]
    if yaml_files and len(yaml_files) < len(files):
        raise DataError("holds both YAML and RDF files: convert one kind at a time", source)
    _refuse_to_mix(target)
    if yaml_files:
        return _yaml_to_trig(yaml_files, target, base, sources_dir, languages)
    return _rdf_to_yaml(files, target, base)


def _refuse_to_mix(target: Path) -> None:
    """Data files already in the target would be read with the new ones, twice over."""
    if target.is_dir() and any(
        p.suffix in (*YAML_SUFFIXES, ".trig", ".ttl", ".nq", ".nt") for p in target.iterdir()
    ):
        raise DataError("the target directory holds data files already; give an empty one", target)
    if target.is_file():
        raise DataError("the target exists already", target)


def _rdf_to_yaml(files: list[Path], target: Path, base: str) -> list[str]:
    quads: list[ox.Quad] = []
    for path in files:
        quads.extend(parse_path(path, base)[0])
    sheets = quads_to_rows(load_mapping(), base, quads)
    count = sum(len(rows) for rows in sheets.values())
    try:
        if target.suffix in YAML_SUFFIXES:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rows_to_yaml(sheets), encoding="utf-8")
        else:
            target.mkdir(parents=True, exist_ok=True)
            for name, rows in sheets.items():
                (target / f"{name}.yaml").write_text(rows_to_yaml({name: rows}), encoding="utf-8")
    except OSError as error:
        raise DataError(f"cannot write: {error.strerror}", target) from None
    return [
        f"Wrote {len(quads):,} statements as {count:,} rows in {len(sheets)} sheets to {target}"
    ]


def _yaml_to_trig(
    files: list[Path],
    target: Path,
    base: str,
    sources_dir: Path | None,
    languages: tuple[str, ...],
) -> list[str]:
    quads, _positions = read_yaml_data(
        [(p, read_text(p)[1]) for p in files], base, set(), sources_dir, languages
    )
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        by_graph[str(quad.graph_name.value)].append(quad)  # type: ignore[union-attr]
    graph_ns = kind_prefixes(base)["graph"]
    prefixes = {**load_mapping().prefixes, **NAMESPACES, **kind_prefixes(base)}
    try:
        target.mkdir(parents=True, exist_ok=True)
        for graph, quads in sorted(by_graph.items()):
            out = io.StringIO()
            write_trig(ox.Dataset(quads), out, prefixes, [ox.NamedNode(graph)])
            # The entities' and graphs' IRIs relative, as in data/: the files publish under any
            # base. (Only those: the ontology's namespace may sit under the base too.)
            text = out.getvalue()
            for segment in ("id/", "graph/"):
                text = text.replace(f"<{base}{segment}", f"<{segment}")
            (target / f"{graph[len(graph_ns) :]}.trig").write_text(text, encoding="utf-8")
    except OSError as error:
        raise DataError(f"cannot write: {error.strerror}", target) from None
    return [f"Wrote {len(quads):,} statements in {len(by_graph)} graphs to {target}"]
