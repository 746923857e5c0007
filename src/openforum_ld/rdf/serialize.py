"""Sorted, streaming RDF writers: the same input always gives the same bytes.

Subjects are written in sorted order, each with its triples sorted, one subject at a time, so a
dump of a million triples holds only the list of subjects in memory besides the store. Turtle and
TriG are laid out for people: one subject per block, prefixed names, `a` for rdf:type.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import KINDS, RDF, XSD

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from openforum_ld.rdf.formats import RdfFormat

Subject = ox.NamedNode | ox.BlankNode
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_TYPE = RDF + "type"
# Lines of sorted N-Triples written at once: bounded memory, few calls.
_LINES_PER_WRITE = 1 << 14
# Bytes of N-Triples sorted in memory at once; a larger graph is sorted in runs on disk.
_SORT_RUN_BYTES = 64 << 20
# IRIs whose Turtle form is remembered at once.
_SHOWN_IRIS = 1 << 16


@dataclass(frozen=True)
class Canonical:
    """A source whose blank nodes carry canonical labels, or that has none: writers take it as it
    is. Finding out reads the whole store, so a build does it once and hands this to every writer
    (once per graph written made `write_graphs` quadratic)."""

    source: ox.Store | ox.Dataset

    @classmethod
    def of(cls, source: Source) -> Canonical:
        """`source` with canonical blank node labels."""
        return source if isinstance(source, Canonical) else cls(canonical(source))


Source = ox.Store | ox.Dataset | Canonical


def kind_prefixes(base: str) -> dict[str, str]:
    """Prefixes for the entity kinds under a base (`person:` for `{base}id/person/`)."""
    return {kind.slug: f"{base}id/{kind.slug}/" for kind in KINDS} | {"graph": f"{base}graph/"}


class TermWriter:
    """Writes terms in Turtle syntax with the longest matching prefix."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so `person:` wins over a prefix for the whole base.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        # The same IRIs (properties, classes, linked entities) come back on every line.
        self._shown: dict[str, str] = {}

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if term.language or datatype == XSD + "string":
                return str(term)
            if datatype == XSD + "integer" and re.fullmatch(r"[+-]?[0-9]+", term.value):
                return term.value
            if datatype == XSD + "boolean" and term.value in ("true", "false"):
                return term.value
            lexical = str(ox.Literal(term.value))
            return f"{lexical}^^{self.iri(datatype)}"
        return str(term)

    def iri(self, iri: str) -> str:
        shown = self._shown.get(iri)
        if shown is None:
            if len(self._shown) >= _SHOWN_IRIS:
                # Properties and classes come straight back; a million entity IRIs would not fit.
                self._shown.clear()
            shown = self._shown[iri] = self._compact(iri)
        return shown

    def _compact(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"

    def header(self, used: set[str] | None = None) -> str:
        lines = [
            f"@prefix {p}: <{ns}> ." for p, ns in sorted(self.prefixes) if used is None or p in used
        ]
        return "\n".join(lines) + ("\n\n" if lines else "")


def _sort_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term)


def sorted_subjects(store: ox.Store | ox.Dataset, graph: GraphName) -> list[Subject]:
    """The distinct subjects of one graph, sorted."""
    seen: set[Subject] = set()
    for quad in _quads(store, None, graph):
        seen.add(quad.subject)  # type: ignore[arg-type]  # subjects are never literals
    return sorted(seen, key=_sort_key)


def _quads(
    store: ox.Store | ox.Dataset, subject: Subject | None, graph: GraphName
) -> Iterator[ox.Quad]:
    if isinstance(store, ox.Store):
        yield from store.quads_for_pattern(subject, None, None, graph)
    elif subject is None:
        yield from store.quads_for_graph_name(graph)
    else:
        yield from (q for q in store.quads_for_subject(subject) if q.graph_name == graph)


def _by_subject(
    store: ox.Store | ox.Dataset, graph: GraphName
) -> Iterator[tuple[Subject, list[ox.Triple]]]:
    """Each subject of one graph in order, with its triples in no order."""
    if isinstance(store, ox.Dataset):
        # A page's few statements, read in one pass: asking the dataset subject by subject
        # reads each subject's statements in every graph, once for each graph written.
        triples: dict[Subject, list[ox.Triple]] = {}
        for quad in store.quads_for_graph_name(graph):
            triples.setdefault(quad.subject, []).append(quad.triple)  # type: ignore[arg-type]  # subjects are never literals
        for subject in sorted(triples, key=_sort_key):
            yield subject, triples[subject]
        return
    for subject in sorted_subjects(store, graph):
        yield subject, [q.triple for q in _quads(store, subject, graph)]


def sorted_triples(store: ox.Store | ox.Dataset, graph: GraphName) -> Iterator[ox.Triple]:
    """Every triple of one graph: subjects in order, each subject's triples in order."""
    for _, triples in _by_subject(store, graph):
        yield from sorted(triples, key=lambda t: (_sort_key(t.predicate), _sort_key(t.object)))


def blocks(
    store: ox.Store | ox.Dataset, graph: GraphName
) -> Iterator[tuple[Subject, list[ox.Triple]]]:
    for subject, triples in _by_subject(store, graph):
        yield subject, sorted(triples, key=block_order)


def turtle_block(
    writer: TermWriter, subject: Subject, triples: list[ox.Triple], indent: str = ""
) -> str:
    """One subject and its triples as a Turtle statement."""
    return "".join(turtle_statement(writer, subject, triples, indent))


def turtle_statement(
    writer: TermWriter, subject: Subject, triples: Iterable[ox.Triple], indent: str = ""
) -> Iterator[str]:
    """One subject and its triples, sorted as `blocks` sorts them, as a Turtle statement in
    pieces: a subject with a very long list of objects is written without holding it."""
    yield indent + writer.term(subject) + "\n"
    previous: ox.NamedNode | None = None
    for triple in triples:
        if triple.predicate == previous:
            yield f",\n{indent}        " + writer.term(triple.object)
            continue
        if previous is not None:
            yield " ;\n"
        previous = triple.predicate
        shown = "a" if previous.value == _TYPE else writer.term(previous)
        yield f"{indent}    {shown} " + writer.term(triple.object)
    yield " .\n"


def block_order(triple: ox.Triple) -> tuple[bool, str, str]:
    """Where a triple goes in its subject's Turtle block: rdf:type first, then by predicate and
    object."""
    return (triple.predicate.value != _TYPE, _sort_key(triple.predicate), _sort_key(triple.object))


def about_blocks(about: Sequence[ox.Triple]) -> Iterator[tuple[Subject, list[ox.Triple]]]:
    """Statements about a document itself, by subject, ordered as `blocks` orders a graph."""
    by_subject: dict[Subject, list[ox.Triple]] = {}
    for triple in about:
        by_subject.setdefault(triple.subject, []).append(triple)  # type: ignore[arg-type]
    for subject in sorted(by_subject, key=_sort_key):
        yield subject, sorted(set(by_subject[subject]), key=block_order)


def _about_lines(about: Sequence[ox.Triple], label: str = "") -> Iterator[str]:
    for _, block in about_blocks(about):
        for triple in block:
            yield f"{triple.subject} {triple.predicate} {triple.object}{label} .\n"


def write_turtle(
    store: Source,
    out: IO[str],
    prefixes: Mapping[str, str],
    graph: GraphName | None = None,
    about: Sequence[ox.Triple] = (),
) -> int:
    """One graph (the default graph unless named) as sorted Turtle, after the statements
    `about` the document itself; returns the triple count."""
    store = canonical(store)
    writer = TermWriter(prefixes)
    out.write(writer.header())
    count = 0
    for subject, block in about_blocks(about):
        out.write(turtle_block(writer, subject, block) + "\n")
        count += len(block)
    for subject, block in blocks(store, graph if graph is not None else ox.DefaultGraph()):
        out.write(turtle_block(writer, subject, block) + "\n")
        count += len(block)
    return count


def write_trig(
    store: Source,
    out: IO[str],
    prefixes: Mapping[str, str],
    graphs: Iterable[GraphName],
    about: Sequence[ox.Triple] = (),
) -> int:
    """Graphs as sorted TriG, in the order given (the default graph's triples outside any
    block), after the statements `about` the document itself; returns the statement count."""
    store = canonical(store)
    writer = TermWriter(prefixes)
    out.write(writer.header())
    count = 0
    for subject, block in about_blocks(about):
        out.write(turtle_block(writer, subject, block) + "\n")
        count += len(block)
    for graph in graphs:
        if isinstance(graph, ox.DefaultGraph):  # its triples stand outside any graph block
            for subject, block in blocks(store, graph):
                out.write(turtle_block(writer, subject, block) + "\n")
                count += len(block)
            continue
        out.write(f"{writer.term(graph)} {{\n\n")
        for subject, block in blocks(store, graph):
            out.write(turtle_block(writer, subject, block, indent="    ") + "\n")
            count += len(block)
        out.write("}\n\n")
    return count


def write_ntriples(
    store: Source,
    out: IO[str],
    graph: GraphName | None = None,
    scratch: Path | None = None,
    about: Sequence[ox.Triple] = (),
) -> int:
    """One graph as sorted N-Triples, after the statements `about` the document itself;
    returns the triple count. With a `scratch` directory, a large graph is sorted on disk there
    rather than in memory (see `sorted_lines`)."""
    store = canonical(store)
    graph = graph if graph is not None else ox.DefaultGraph()
    count = 0
    for line in _about_lines(about):
        out.write(line)
        count += 1
    if isinstance(store, ox.Store):
        return count + _write_lines(out, sorted_lines(store, graph, scratch))
    for triple in sorted_triples(store, graph):
        out.write(f"{triple.subject} {triple.predicate} {triple.object} .\n")
        count += 1
    return count


def write_nquads(
    store: Source,
    out: IO[str],
    graphs: Iterable[GraphName],
    scratch: Path | None = None,
    about: Sequence[ox.Triple] = (),
) -> int:
    """Graphs as sorted N-Quads, after the statements `about` the document itself (in the
    default graph); returns the statement count. `scratch` as for N-Triples."""
    store = canonical(store)
    count = 0
    for line in _about_lines(about):
        out.write(line)
        count += 1
    for graph in graphs:
        # The default graph's statements are N-Triples lines, which N-Quads reads as they are.
        label = "" if isinstance(graph, ox.DefaultGraph) else f" {graph}"
        if isinstance(store, ox.Store):
            # "<s> <p> <o> .\n" -> "<s> <p> <o> <g> .\n"
            suffix = f"{label} .\n".encode()
            lines = (line[:-3] + suffix for line in sorted_lines(store, graph, scratch))
            count += _write_lines(out, lines)
            continue
        for triple in sorted_triples(store, graph):
            out.write(f"{triple.subject} {triple.predicate} {triple.object}{label} .\n")
            count += 1
    return count


def sorted_lines(
    store: ox.Store,
    graph: GraphName,
    scratch: Path | None = None,
    run_bytes: int | None = None,
) -> Iterator[bytes]:
    """One graph as N-Triples lines (each with its newline) in the order `sorted_triples`
    gives, serialized by pyoxigraph.

    Sorting whole lines is sorting by (subject, predicate, object): a term never ends where
    another one continues with a character before the space (IRIs end with ">", literals with
    a quote, a language tag or a datatype IRI), and UTF-8 bytes sort as code points do.

    Without `scratch` the graph is sorted in memory, which suits the small graphs of pages.
    With it, a graph larger than `run_bytes` is sorted on disk: runs of that size are sorted in
    memory, written to files in `scratch` and merged, so that a dump of a large graph never
    holds a second copy of it."""
    if scratch is None:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        assert data is not None
        lines = data.splitlines(keepends=True)
        del data
        lines.sort()
        yield from lines
        return
    run_bytes = run_bytes or _SORT_RUN_BYTES
    with tempfile.TemporaryDirectory(prefix="sort-", dir=scratch) as directory:
        unsorted = Path(directory, "graph.nt")
        _dump_graph(store, graph, unsorted)
        runs: list[Path] = []
        with unsorted.open("rb") as source:
            while lines := source.readlines(run_bytes):
                lines.sort()
                if not runs and not source.peek(1):
                    yield from lines  # the whole graph was one run
                    return
                run = Path(directory, f"run-{len(runs)}")
                with run.open("wb") as sink:
                    sink.writelines(lines)
                runs.append(run)
                del lines
        unsorted.unlink()
        with contextlib.ExitStack() as files:
            yield from heapq.merge(*(files.enter_context(run.open("rb")) for run in runs))


def _dump_graph(store: ox.Store, graph: GraphName, path: Path) -> None:
    """pyoxigraph's dump to a file, failing as Python's own writes do: an OSError with its errno
    (pyoxigraph gives only a message). The scratch file's name means nothing to the reader of
    the error, so it is left out, as for a failed write to the dump itself."""
    try:
        store.dump(path, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    except OSError as error:
        if error.errno is not None:
            raise
        code = re.search(r"\(os error (\d+)\)", str(error))
        if code is None:
            raise
        number = int(code.group(1))
        raise OSError(number, os.strerror(number)) from None


def _write_lines(out: IO[str], lines: Iterable[bytes]) -> int:
    count = 0
    iterator = iter(lines)
    while batch := list(itertools.islice(iterator, _LINES_PER_WRITE)):
        out.write(b"".join(batch).decode())
        count += len(batch)
    return count


def write_with_oxigraph(
    store: Source,
    out: IO[bytes],
    fmt: RdfFormat,
    prefixes: Mapping[str, str],
    graph: GraphName | None = None,
    about: Sequence[ox.Triple] = (),
) -> int:
    """One graph in a format pyoxigraph writes (RDF/XML), fed with the statements `about` the
    document itself and then sorted triples; returns the triple count."""
    store = canonical(store)
    count = 0

    def counted(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
        nonlocal count
        for triple in triples:
            count += 1
            yield triple

    ox.serialize(
        counted(
            itertools.chain(
                (triple for _, block in about_blocks(about) for triple in block),
                sorted_triples(store, graph if graph is not None else ox.DefaultGraph()),
            )
        ),
        out,
        format=fmt.oxigraph,
        prefixes=dict(prefixes),
    )
    return count


def canonical(source: Source) -> ox.Store | ox.Dataset:
    """The source itself, or, when it holds blank nodes, a copy with canonical blank node labels
    (RDFC-1.0), so that two runs label them alike."""
    if isinstance(source, Canonical):
        return source.source
    if isinstance(source, ox.Store):
        if not has_blank_nodes(source):
            return source
        quads = list(source.quads_for_pattern(None, None, None, None))
    else:
        quads = list(source)
        if not any(
            isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads
        ):
            return source
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def has_blank_nodes(store: ox.Store) -> bool:
    """Whether any statement of the store has a blank node (this reads the whole store)."""
    return bool(
        store.query("ASK { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) }")
    ) or bool(store.query("ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }"))
