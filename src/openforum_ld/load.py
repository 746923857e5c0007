"""ontology/ + data/ -> the dataset in a store, with its provenance attached.

Every data file is parsed against the base URI, so the same files publish under any base.
The loader adds one graph of its own, `graph/mentions`: `?section schema:mentions ?entity` for
every entity a sourced graph describes or names.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld import __version__
from openforum_ld.errors import DataError
from openforum_ld.formats import RDF_FORMATS, RdfFormat, rdf_format_for_path
from openforum_ld.iris import ONTOLOGY_IRI, Iris
from openforum_ld.store import Store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

_STORE_MARKER = "openforum-ld-store.json"
_SOURCE_FORMATS = tuple(f for f in RDF_FORMATS if f.key in ("turtle", "trig", "nt", "nq"))


@dataclass(frozen=True)
class SourceFile:
    """One file the dataset was loaded from."""

    path: Path
    role: str  # "data" or "ontology"
    sha256: str
    size: int
    quads: int
    graphs: tuple[str, ...]


@dataclass
class Dataset:
    """The loaded dataset: its store, the files it came from, and where each subject is written."""

    store: Store
    iris: Iris
    files: list[SourceFile]
    version: str
    _subject_lines: dict[Path, dict[str, int]] = field(default_factory=dict, repr=False)

    @property
    def data_files(self) -> list[SourceFile]:
        """The data files (not the ontology)."""
        return [f for f in self.files if f.role == "data"]

    @property
    def data_graphs(self) -> list[str]:
        """Every named graph except the ontology's."""
        return [g for g in self.store.graph_names() if g != ONTOLOGY_IRI]

    def locate(self, subject: str, graphs: set[str] | None = None) -> list[tuple[Path, int]]:
        """Where `subject` is described: (file, line) in each data file, or in the files that hold
        `graphs` when given. The line is where a statement about it starts."""
        found = []
        for source in self.data_files:
            if graphs is not None and not graphs.intersection(source.graphs):
                continue
            line = self._subject_lines.get(source.path, {}).get(subject)
            if line is not None:
                found.append((source.path, line))
        return found


def list_source_files(directory: Path, what: str) -> list[Path]:
    """The RDF files of a directory, sorted; a clear error when there is none to read."""
    if not directory.exists():
        raise DataError(f"{what} directory does not exist", directory)
    if not directory.is_dir():
        raise DataError(f"{what} path is not a directory", directory)
    files = sorted(
        p for p in directory.iterdir() if p.is_file() and rdf_format_for_path(p.name) is not None
    )
    files = [p for p in files if rdf_format_for_path(p.name) in _SOURCE_FORMATS]
    if not files:
        suffixes = ", ".join(f.suffix for f in _SOURCE_FORMATS)
        raise DataError(f"no {what} files ({suffixes}) in this directory", directory)
    return files


def read_text(path: Path) -> tuple[bytes, str]:
    """A file's bytes and its text; undecodable UTF-8 is a DataError at its line and column."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(f"cannot read file: {error.strerror}", path) from None
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise DataError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x})", path, line, column
        ) from None


def parse_file(
    path: Path, data: bytes, fmt: RdfFormat, base: str
) -> tuple[list[ox.Quad], dict[str, str]]:
    """All quads of one file and its prefixes, or a DataError at the line the parser stopped."""
    try:
        parser = ox.parse(data, format=fmt.oxigraph, base_iri=base)
        quads = list(parser)
    except SyntaxError as error:
        raise _syntax_error(path, error) from None
    return quads, dict(parser.prefixes)


def _syntax_error(path: Path, error: SyntaxError) -> DataError:
    message = str(error)
    line = column = None
    if isinstance(error.args[-1], tuple) and len(error.args[-1]) >= 3:
        line, column = error.args[-1][1], error.args[-1][2]
    match = re.match(
        r"Parser error (?:at|between) line \d+ column \d+(?: and line \d+ column \d+)?: ", message
    )
    if match:
        message = message[match.end() :]
    return DataError(f"syntax error: {message}", path, line, column)


def data_version(files: list[tuple[Path, str]], base: str) -> str:
    """A short hash of the inputs and the base: it changes whenever what is published changes."""
    digest = hashlib.sha256(f"openforum-ld {__version__}\n{base}\n".encode())
    for path, sha in files:
        digest.update(f"{path.name} {sha}\n".encode())
    return digest.hexdigest()[:20]


def load_dataset(
    data_dir: Path, ontology_dir: Path, base_uri: str, store_dir: Path | None = None
) -> Dataset:
    """Parse the ontology and data files into a store (in memory, or on disk in `store_dir`)."""
    iris = Iris(base_uri)
    inputs = [(p, "ontology") for p in list_source_files(ontology_dir, "ontology")]
    inputs += [(p, "data") for p in list_source_files(data_dir, "data")]

    parsed: list[tuple[Path, str, bytes, list[ox.Quad], dict[str, str]]] = []
    for path, role in inputs:
        data, text = read_text(path)
        fmt = rdf_format_for_path(path.name)
        assert fmt is not None
        quads, prefixes = parse_file(path, data, fmt, base_uri)
        if role == "ontology":
            ontology_graph = ox.NamedNode(ONTOLOGY_IRI)
            quads = [ox.Quad(q.subject, q.predicate, q.object, ontology_graph) for q in quads]
        parsed.append((path, role, data, quads, prefixes))
        del text

    version = data_version(
        [(p, hashlib.sha256(d).hexdigest()) for p, _, d, _, _ in parsed], base_uri
    )
    store = Store(store_dir)
    if not _store_is_current(store_dir, version):
        store.clear()
        for _, _, _, quads, _ in parsed:
            store.add_quads(quads)
        attach_provenance(store, iris)
        if store_dir is not None:
            store.oxigraph.flush()
            (store_dir / _STORE_MARKER).write_text(json.dumps({"version": version}))

    files = []
    lines: dict[Path, dict[str, int]] = {}
    for path, role, data, quads, prefixes in parsed:
        graphs = tuple(
            sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        )
        files.append(
            SourceFile(path, role, hashlib.sha256(data).hexdigest(), len(data), len(quads), graphs)
        )
        if role == "data":
            subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
            lines[path] = subject_lines(data.decode("utf-8"), prefixes, base_uri, subjects)
    return Dataset(store, iris, files, version, lines)


def _store_is_current(store_dir: Path | None, version: str) -> bool:
    if store_dir is None:
        return False
    marker = store_dir / _STORE_MARKER
    try:
        return bool(json.loads(marker.read_text()).get("version") == version)
    except (OSError, ValueError):
        return False


_MENTIONS_QUERY = """
SELECT DISTINCT ?section ?entity WHERE {
  ?graph a ofo:SourcedGraph ; prov:wasDerivedFrom ?section .
  ?section a ofo:SourceSection .
  GRAPH ?graph { { ?entity ?p ?o } UNION { ?s ?p ?entity } }
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), "%s"))
  FILTER NOT EXISTS { ?entity a ofo:SourceSection }
  FILTER NOT EXISTS { ?entity a ofo:SourceDocument }
}
"""


def attach_provenance(store: Store, iris: Iris) -> None:
    """Make the default graph the union of the data graphs, then add `graph/mentions`."""
    store.materialize_union(exclude=[ONTOLOGY_IRI])
    mentions = list(_mention_quads(store, iris))
    store.add_quads(mentions)
    store.add_quads(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in mentions)


def _mention_quads(store: Store, iris: Iris) -> Iterator[ox.Quad]:
    graph = ox.NamedNode(iris.mentions_graph)
    mentions = ox.NamedNode("http://schema.org/mentions")
    for row in store.select(_MENTIONS_QUERY % (iris.base + "id/")):
        section, entity = row["section"], row["entity"]
        assert isinstance(section, ox.NamedNode) and isinstance(entity, ox.NamedNode)
        yield ox.Quad(section, mentions, entity, graph)


# A statement starts after a "." or "{" that ends a line; its first token is the subject.
_FIRST_TOKEN = re.compile(r"^\s*(<[^>\s]*>|[A-Za-z][\w.-]*:[\w.%-]*|:[\w.%-]*)")


def subject_lines(
    text: str, prefixes: dict[str, str], base: str, subjects: set[str]
) -> dict[str, int]:
    """The line where each subject's first statement starts, found by reading the file's text.

    Parsers give no positions for triples, so this reads the text the way the data files are
    written: a subject at the start of a line, after a line that ends a statement or opens a graph.
    """
    found: dict[str, int] = {}
    statement_start = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if statement_start and not line.lower().startswith(("@prefix", "prefix", "@base", "base")):
            match = _FIRST_TOKEN.match(line)
            if match:
                iri = _expand(match.group(1), prefixes, base)
                if iri in subjects and iri not in found:
                    found[iri] = number
        code = line.split(" #", 1)[0].rstrip()
        statement_start = code.endswith((".", "{", "}"))
    for subject in subjects - found.keys():
        # A subject written in an unusual layout: fall back to its first appearance.
        for number, raw in enumerate(text.splitlines(), start=1):
            if any(form in raw for form in _forms(subject, prefixes, base)):
                found[subject] = number
                break
    return found


def _expand(token: str, prefixes: dict[str, str], base: str) -> str | None:
    if token.startswith("<"):
        relative = token[1:-1]
        return relative if ":" in relative else base + relative
    prefix, _, local = token.partition(":")
    namespace = prefixes.get(prefix)
    return namespace + local if namespace is not None else None


def _forms(iri: str, prefixes: dict[str, str], base: str) -> list[str]:
    forms = [f"<{iri}>"]
    if iri.startswith(base):
        forms.append(f"<{iri[len(base) :]}>")
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            forms.append(f"{prefix}:{iri[len(namespace) :]}")
    return forms
