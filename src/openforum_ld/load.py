"""ontology/ + data/ -> the dataset in a store, with its provenance attached.

Every data file is parsed against the base URI, so the same files publish under any base.

What the loader adds to the files, so that every command (`validate`, `query`, `build`, and
`serve`, which opens the build's store) sees the same statements:

- in each data graph, the superclasses and superproperties the ontology gives the `ofo:` terms
  that graph uses (`infer.materialize_superterms`): a talk typed `ofo:Talk` is also a
  `schema:Event` there, an `ofo:agendaOrder` also a `schema:position`. Only the project's own
  terms, and only subClassOf/subPropertyOf, not domains and ranges;
- the default graph, the union of the data graphs;
- one graph of its own, `graph/mentions`: `?section schema:mentions ?entity` for every entity a
  sourced graph describes or names.
"""

from __future__ import annotations

import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld import __version__
from openforum_ld.errors import DataError
from openforum_ld.infer import materialize_superterms
from openforum_ld.iris import ONTOLOGY_IRI, Iris
from openforum_ld.mapping.read import (
    SHEET_SUFFIXES,
    YAML_SUFFIXES,
    SheetData,
    is_sheet_file,
    read_sheet_data,
)
from openforum_ld.mapping.workbook_rows import is_workbook_file
from openforum_ld.rdf.formats import RDF_FORMATS, RdfFormat, rdf_format_for_path
from openforum_ld.store import Store

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings
    from openforum_ld.mapping.cells import RowsFile

_STORE_MARKER = "openforum-ld-store.json"
# What the loader adds to the files; a new revision changes the data version, so an on-disk store
# filled by an earlier loader is filled again. 2: the superterms of ofo: terms are materialized.
_LOADER_REVISION = 2
_SOURCE_FORMATS = tuple(f for f in RDF_FORMATS if f.key in ("turtle", "trig", "nt", "nq"))


@dataclass(frozen=True)
class SourceFile:
    """One file the dataset was loaded from."""

    path: Path
    role: str  # "data" or "ontology"
    sha256: str
    size: int


@dataclass(frozen=True)
class FileOutline:
    """What finding a subject in a file needs: the file's prefixes, graphs and subject IRIs."""

    prefixes: dict[str, str]
    graphs: frozenset[str]
    subjects: frozenset[str]


@dataclass
class Dataset:
    """The loaded dataset: its store, the files it came from, and where each subject is written."""

    store: Store
    iris: Iris
    files: list[SourceFile]
    version: str
    # The files are parsed by pyoxigraph straight into the store, never into Python objects (a
    # third of the load's time). Which graphs and subjects a file holds, and on which lines, is
    # read again from the file when something first asks: only a report of violations does.
    _outlines: dict[Path, FileOutline] = field(default_factory=dict, repr=False)
    _subject_lines: dict[Path, dict[str, int]] = field(default_factory=dict, repr=False)
    _describing: dict[str, list[SourceFile]] | None = field(default=None, repr=False)
    # Where each statement of the sheets (YAML files, workbooks) was typed, when there are any.
    sheets: SheetData | None = field(default=None, repr=False)

    @property
    def data_files(self) -> list[SourceFile]:
        """The data files (not the ontology)."""
        return [f for f in self.files if f.role == "data"]

    @property
    def data_graphs(self) -> list[str]:
        """Every named graph except the ontology's."""
        return [g for g in self.store.graph_names() if g != ONTOLOGY_IRI]

    def graphs_of(self, source: SourceFile) -> frozenset[str]:
        """The named graphs a file states."""
        return self._outline(source.path).graphs

    def locate(
        self, subject: str, graphs: set[str] | None = None, prop: str | None = None
    ) -> list[tuple[RowsFile, int, int | None]]:
        """Where `subject` is described: (file, line, column) in each data file, or in the files
        that hold `graphs` when given. In a TriG or Turtle file the line is where a statement
        about it starts (no column); in a YAML file, where `prop` was typed in its row, else the
        row; in a workbook, the sheet (in place of the file), and the row and column of that
        cell."""
        found: list[tuple[RowsFile, int, int | None]] = []
        if self.sheets is not None:
            found.extend(self.sheets.locate(subject, graphs, prop))
        for source in self._files_describing(subject):
            if graphs is not None and not graphs.intersection(self.graphs_of(source)):
                continue
            line = self._lines_of(source.path).get(subject)
            if line is not None:
                found.append((source.path, line, None))
        return found

    def forget_locations(self) -> None:
        """Drop what finding subjects in the files has read (found again when next asked): at
        1M triples, some 200 MB that a build would otherwise carry to its end."""
        self._outlines.clear()
        self._subject_lines.clear()
        self._describing = None

    def _files_describing(self, subject: str) -> list[SourceFile]:
        """The TriG and Turtle data files with a statement about `subject`, in load order:
        asked of every file at each call, locating a thousand near names at 1M triples took
        90 s."""
        if self._describing is None:
            describing: dict[str, list[SourceFile]] = {}
            for source in self.data_files:
                if source.path.suffix not in SHEET_SUFFIXES:
                    for described in self._outline(source.path).subjects:
                        describing.setdefault(described, []).append(source)
            self._describing = describing
        return self._describing.get(subject, [])

    def _outline(self, path: Path) -> FileOutline:
        outline = self._outlines.get(path)
        if outline is None:
            quads, prefixes = parse_path(path, self.iris.base)
            outline = self._outlines[path] = FileOutline(
                prefixes,
                frozenset(
                    q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)
                ),
                frozenset(q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)),
            )
        return outline

    def _lines_of(self, path: Path) -> dict[str, int]:
        lines = self._subject_lines.get(path)
        if lines is None:
            outline = self._outline(path)
            _data, text = read_text(path)
            lines = self._subject_lines[path] = subject_lines(
                text, outline.prefixes, self.iris.base, set(outline.subjects)
            )
        return lines


def list_source_files(directory: Path, what: str, yaml: bool = False) -> list[Path]:
    """The RDF files of a directory (and its sheets, YAML files and workbooks, when `yaml`),
    sorted; a clear error when there is none to read."""
    if not directory.exists():
        raise DataError(f"{what} directory does not exist", directory)
    if not directory.is_dir():
        raise DataError(f"{what} path is not a directory", directory)
    # A symbolic link whose target is gone is listed, so that reading it says so.
    files = sorted(
        p
        for p in directory.iterdir()
        if (p.is_file() or (p.is_symlink() and not p.exists()))
        and rdf_format_for_path(p.name) is not None
    )
    files = [p for p in files if rdf_format_for_path(p.name) in _SOURCE_FORMATS]
    if yaml:
        files = sorted(files + [p for p in directory.iterdir() if is_sheet_file(p)])
    if not files:
        suffixes = ", ".join(
            [f.suffix for f in _SOURCE_FORMATS] + ([".yaml", ".xlsx"] if yaml else [])
        )
        raise DataError(f"no {what} files ({suffixes}) in this directory", directory)
    return files


# Byte order marks, longest first: UTF-32 LE starts like UTF-16 LE.
_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or a DataError that says why they cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        if path.is_symlink():
            reason += f" (a symbolic link to {path.readlink()})"
        raise DataError(f"cannot read file: {reason}", path) from None


def read_text(path: Path) -> tuple[bytes, str]:
    """A file's bytes and its text. A file that is not UTF-8 text is a DataError that says what
    it looks like instead (UTF-16, a byte order mark, binary), at its line and column."""
    data = read_bytes(path)
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            raise DataError(
                f"the file is {encoding} (it starts with a byte order mark); RDF files must be UTF-8",
                path,
                1,
                1,
            )
    if data.startswith(b"\xef\xbb\xbf"):
        # RDF parsers (pyoxigraph and rdflib alike) refuse the mark as a stray character.
        raise DataError(
            "the file starts with a UTF-8 byte order mark, which RDF parsers refuse; "
            "save it as UTF-8 without one",
            path,
            1,
            1,
        )
    nul, bad, text = data.find(b"\x00"), -1, ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = error.start
    if nul >= 0 and (bad < 0 or nul < bad):
        line, column = _position(data, nul)
        raise DataError(
            "a NUL byte: the file is binary, or UTF-16 without a byte order mark; "
            "RDF files must be UTF-8 text",
            path,
            line,
            column,
        )
    if bad >= 0:
        line, column = _position(data, bad)
        raise DataError(
            f"not valid UTF-8 (byte 0x{data[bad]:02x}); RDF files must be UTF-8",
            path,
            line,
            column,
        )
    return data, text


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (both from 1, the column in bytes) of a byte offset."""
    before = data[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def parse_file(
    path: Path, data: bytes, fmt: RdfFormat, base: str
) -> tuple[list[ox.Quad], dict[str, str]]:
    """All quads of one file and its prefixes, or a DataError at the line the parser stopped."""
    try:
        parser = ox.parse(data, format=fmt.oxigraph, base_iri=base)
        quads = list(parser)
    except SyntaxError as error:
        raise _syntax_error(path, error) from None
    if not quads:
        raise DataError("no RDF statements: the file is empty or was cut short", path)
    return quads, dict(parser.prefixes)


def _syntax_error(path: Path, error: SyntaxError) -> DataError:
    # args[0] is the message without the "(line N)" Python appends; args[-1] the position.
    message = str(error.args[0]) if error.args else str(error)
    line = column = None
    if isinstance(error.args[-1], tuple) and len(error.args[-1]) >= 3:
        line, column = error.args[-1][1], error.args[-1][2]
    match = re.match(r"Parser error (?:at|between) line [^:]*: ", message)
    if match:
        message = message[match.end() :]
    return DataError(f"syntax error: {message}", path, line, column)


def data_version(files: list[tuple[Path, str]], base: str) -> str:
    """A short hash of the inputs and the base: it changes whenever what is published changes."""
    digest = hashlib.sha256(
        f"openforum-ld {__version__} loader {_LOADER_REVISION}\n{base}\n".encode()
    )
    for path, sha in files:
        digest.update(f"{path.name} {sha}\n".encode())
    return digest.hexdigest()[:20]


def _data_version(files: list[tuple[Path, str]], base: str, languages: tuple[str, ...]) -> str:
    # Sheet text whose column names no language is in the main language: the same sheets
    # state other quads under another main language.
    if any(is_sheet_file(path) for path, _sha in files):
        return data_version(files, f"{base} {languages[0]}")
    return data_version(files, base)


def _source_inputs(data_dir: Path, ontology_dir: Path) -> list[tuple[Path, str]]:
    inputs = [(p, "ontology") for p in list_source_files(ontology_dir, "ontology")]
    return inputs + [(p, "data") for p in list_source_files(data_dir, "data", yaml=True)]


def check_sources(
    data_dir: Path,
    ontology_dir: Path,
    base_uri: str,
    sources_dir: Path | None = None,
    languages: tuple[str, ...] = ("en",),
) -> None:
    """Read and parse every ontology and data file, one at a time and holding none: the first
    that cannot be is a DataError. The sheets (YAML files, workbooks) are read together, as
    their rows refer to each other (and to the subjects of the other data files); `languages`
    as in load_dataset."""
    subjects: set[str] = set()
    yaml_files: list[tuple[Path, str]] = []
    workbooks: list[tuple[Path, bytes]] = []
    for path, role in _source_inputs(data_dir, ontology_dir):
        if path.suffix in YAML_SUFFIXES:
            yaml_files.append((path, read_text(path)[1]))
            continue
        if is_workbook_file(path):
            workbooks.append((path, read_bytes(path)))
            continue
        quads, _prefixes = parse_path(path, base_uri)
        if role == "data":
            subjects.update(q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode))
    if yaml_files or workbooks:
        read_sheet_data(yaml_files, workbooks, base_uri, subjects, sources_dir, languages)


def parse_path(path: Path, base: str) -> tuple[list[ox.Quad], dict[str, str]]:
    """All quads of a listed source file and its prefixes, or a DataError that says where."""
    data, _text = read_text(path)
    fmt = rdf_format_for_path(path.name)
    assert fmt is not None  # list_source_files keeps RDF files only
    return parse_file(path, data, fmt, base)


def load_configured(settings: Settings) -> Dataset:
    """The dataset the settings name: their data, ontology, base URI, store, source texts and
    languages."""
    return load_dataset(
        settings.data_dir,
        settings.ontology_dir,
        settings.base_uri,
        settings.store_dir,
        settings.sources_dir,
        settings.languages,
    )


def load_dataset(
    data_dir: Path,
    ontology_dir: Path,
    base_uri: str,
    store_dir: Path | None = None,
    sources_dir: Path | None = None,
    languages: tuple[str, ...] = ("en",),
) -> Dataset:
    """Parse the ontology and data files into a store (in memory, or on disk in `store_dir`).
    Sheets (YAML files, workbooks) are read after the others, all together (`mapping`);
    `sources_dir` holds the source texts their sections' line ranges are checked against;
    `languages` are the forum's, its main language first, the language of sheet text whose
    column names none."""
    iris = Iris(base_uri)
    store = Store(store_dir)
    fill = True
    if store_dir is not None:
        # An on-disk store that already holds these files is kept: find out before parsing.
        hashes = [
            (path, hashlib.sha256(_read_input(path)[0]).hexdigest())
            for path, _role in _source_inputs(data_dir, ontology_dir)
        ]
        fill = not _store_is_current(store_dir, _data_version(hashes, base_uri, languages))
    if fill:
        store.clear()

    files = []
    yaml_files: list[tuple[Path, str]] = []
    workbooks: list[tuple[Path, bytes]] = []
    for path, role in _source_inputs(data_dir, ontology_dir):
        data, text = _read_input(path)
        if text is not None and path.suffix in YAML_SUFFIXES:
            yaml_files.append((path, text))
        elif is_workbook_file(path):
            workbooks.append((path, data))
        elif fill:
            _load_file(store, path, role, data, base_uri)
        files.append(SourceFile(path, role, hashlib.sha256(data).hexdigest(), len(data)))
    hashes = [(f.path, f.sha256) for f in files]
    version = _data_version(hashes, base_uri, languages)
    sheet_data = None
    if yaml_files or workbooks:
        # The rows are read (and checked) even when the store is current: their positions are
        # what a validation report points at.
        subjects = {
            q.subject.value
            for q in store.oxigraph.quads_for_pattern(None, None, None, None)
            if isinstance(q.subject, ox.NamedNode) and q.graph_name != ox.NamedNode(ONTOLOGY_IRI)
        }
        sheet_quads, sheet_data = read_sheet_data(
            yaml_files, workbooks, base_uri, subjects, sources_dir, languages
        )
        if fill:
            store.add_quads(sheet_quads)
        del sheet_quads
    if fill:
        materialize_superterms(store)
        attach_provenance(store, iris)
        if store_dir is not None:
            store.oxigraph.flush()
            (store_dir / _STORE_MARKER).write_text(json.dumps({"version": version}))
    return Dataset(store, iris, files, version, sheets=sheet_data)


def _read_input(path: Path) -> tuple[bytes, str | None]:
    """A source file's bytes, and its text unless it is a workbook (a zip archive)."""
    if is_workbook_file(path):
        return read_bytes(path), None
    return read_text(path)


def _load_file(store: Store, path: Path, role: str, data: bytes, base: str) -> None:
    """One file into the store (an ontology file into the ontology graph), or a DataError at
    the line the parser stopped."""
    fmt = rdf_format_for_path(path.name)
    assert fmt is not None
    try:
        # The first statement only: enough to tell a file with none.
        if next(ox.parse(data, format=fmt.oxigraph, base_iri=base), None) is None:
            raise DataError("no RDF statements: the file is empty or was cut short", path)
        if role != "ontology":
            store.add_serialization(data, fmt, base)
        elif not fmt.quads:
            store.add_serialization(data, fmt, base, ONTOLOGY_IRI)
        else:
            ontology = ox.NamedNode(ONTOLOGY_IRI)
            quads = ox.parse(data, format=fmt.oxigraph, base_iri=base)
            store.add_quads([ox.Quad(q.subject, q.predicate, q.object, ontology) for q in quads])
    except SyntaxError as error:
        raise _syntax_error(path, error) from None


def _store_is_current(store_dir: Path | None, version: str) -> bool:
    if store_dir is None:
        return False
    marker = store_dir / _STORE_MARKER
    try:
        return bool(json.loads(marker.read_text()).get("version") == version)
    except (OSError, ValueError):
        return False


# MINUS rather than FILTER NOT EXISTS, and the UNION outside GRAPH: the same answers, ten times
# faster on pyoxigraph (3 s -> 0.3 s at 100,000 triples).
_MENTIONS_QUERY = """
CONSTRUCT { ?section schema:mentions ?entity } WHERE { SELECT DISTINCT ?section ?entity WHERE {
  ?graph a ofo:SourcedGraph ; prov:wasDerivedFrom ?section .
  ?section a ofo:SourceSection .
  { GRAPH ?graph { ?entity ?p ?o } FILTER(isIRI(?entity)) }
  UNION
  { GRAPH ?graph { ?s ?p ?entity } FILTER(isIRI(?entity)) }
  FILTER(STRSTARTS(STR(?entity), "%s"))
  MINUS { ?entity a ofo:SourceSection }
  MINUS { ?entity a ofo:SourceDocument }
} }
"""


def attach_provenance(store: Store, iris: Iris) -> None:
    """Make the default graph the union of the data graphs, then add `graph/mentions`."""
    # The mentions are found while the union is copied, on a second core: their query reads
    # every graph at once instead of the union, which is the same but for the ontology's graph,
    # and that graph types no sourced graph or section. At a million triples the union and the
    # mentions took 7.3 s one after the other, 6.0 s side by side, for ~145 MB more at the peak
    # (1.13 GB, less than validation holds next). Should the mentions be in before the union
    # lists the graphs (a small dataset), it copies them where they go anyway.
    with ThreadPoolExecutor(max_workers=1) as beside:
        mentions = beside.submit(
            store.add_constructed,
            _MENTIONS_QUERY % (iris.base + "id/"),
            [iris.mentions_graph, None],
        )
        store.materialize_union(exclude=[ONTOLOGY_IRI])
        mentions.result()
    _describe_mentions(store, iris.mentions_graph)


# Used only when the data does not describe the mentions graph itself.
_MENTIONS_LABELS = {
    "en": "Mentions computed by the loader",
    "fr": "Mentions calculées au chargement",
}


def _describe_mentions(store: Store, mentions: str) -> None:
    """The mentions graph is derived from every sourced graph it reads: that is its provenance,
    stated in the graph itself (and the default graph) so that every project has it, with a
    type and labels when the data gives none."""
    store.update(
        f"INSERT {{ GRAPH <{mentions}> {{ <{mentions}> prov:wasDerivedFrom ?graph }} "
        f"<{mentions}> prov:wasDerivedFrom ?graph }} "
        "WHERE { ?graph a ofo:SourcedGraph FILTER(isIRI(?graph)) }"
    )
    labels = ", ".join(f'"{text}"@{lang}' for lang, text in _MENTIONS_LABELS.items())
    store.update(
        f"INSERT {{ GRAPH <{mentions}> {{ <{mentions}> a prov:Entity ; skos:prefLabel {labels} }} "
        f"<{mentions}> a prov:Entity ; skos:prefLabel {labels} }} "
        f"WHERE {{ FILTER NOT EXISTS {{ <{mentions}> skos:prefLabel ?label }} }}"
    )


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
