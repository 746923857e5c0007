"""The query engine the rest of the program talks to: an embedded pyoxigraph store."""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from openforum_ld.errors import QueryError
from openforum_ld.iris import NAMESPACES
from openforum_ld.rdf.formats import RdfFormat, ResultsFormat

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    import rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Value = ox.NamedNode | ox.BlankNode | ox.Literal
QueryForm = TypingLiteral["select", "ask", "graph"]

_log = logging.getLogger(__name__)
_POSITION = re.compile(r"^error at (\d+):(\d+): ", re.DOTALL)
_SPOOLED = 8 << 20  # bytes of constructed triples kept in memory before they go to disk


def _query_error(error: SyntaxError) -> QueryError:
    message = str(error)
    line = column = None
    match = _POSITION.match(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[match.end() :]
    if "Prefix not found" in message:
        message = "undefined prefix (declare it with PREFIX)"
    elif message.startswith("expected one of "):
        # The grammar's full list of character classes helps no one; keep the named tokens.
        expected = [t for t in message[len("expected one of ") :].split(", ") if t.isupper()]
        message = "syntax error" + (f", expected {' or '.join(expected)}" if expected else "")
    return QueryError(message.strip(), line, column)


@dataclass
class QueryResult:
    """The result of a query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT,
    DESCRIBE). It wraps pyoxigraph's results, or results parsed from a remote endpoint."""

    form: QueryForm
    raw: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterable[ox.Triple]
    names: list[str] | None = None

    @property
    def variables(self) -> list[str]:
        """The SELECT variables, without "?"."""
        if self.names is not None:
            return self.names
        assert isinstance(self.raw, ox.QuerySolutions)
        return [v.value for v in self.raw.variables]

    def rows(self) -> Iterator[list[Term | None]]:
        """The SELECT solutions, one list of terms (None when unbound) per row."""
        assert isinstance(self.raw, ox.QuerySolutions)
        # A solution iterates over its values in the order of the variables, None when unbound;
        # that is an order of magnitude faster than looking each variable up.
        for solution in self.raw:
            yield list(solution)

    def bindings(self) -> list[dict[str, Value]]:
        """The SELECT solutions as dicts of bound variables. The data holds no RDF-star triples,
        so a bound triple term is left out rather than typed for everywhere."""
        names = self.variables
        return [
            {
                name: term
                for name, term in zip(names, row, strict=True)
                if term is not None and not isinstance(term, ox.Triple)
            }
            for row in self.rows()
        ]

    @property
    def boolean(self) -> bool:
        """The ASK answer."""
        assert isinstance(self.raw, ox.QueryBoolean)
        return bool(self.raw)

    def triples(self) -> Iterator[ox.Triple]:
        """The CONSTRUCT/DESCRIBE triples."""
        assert self.form == "graph"
        yield from self.raw  # type: ignore[misc]  # graph results are iterables of triples

    def serialize(self, fmt: ResultsFormat | RdfFormat) -> bytes:
        """The result in a SPARQL results format (SELECT/ASK) or an RDF format (graphs)."""
        if self.form == "graph":
            assert isinstance(fmt, RdfFormat)
            data = ox.serialize(self.triples(), format=fmt.oxigraph)
        else:
            assert isinstance(fmt, ResultsFormat)
            assert isinstance(self.raw, ox.QuerySolutions | ox.QueryBoolean)
            data = self.raw.serialize(format=fmt.oxigraph)
        assert data is not None
        return data


class SparqlStore(Protocol):
    """What the rest of the program asks of a store: SPARQL. The embedded store and a remote
    endpoint (`remote.RemoteStore`) both answer it, so pages and the endpoint work on either."""

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult: ...

    def select(self, sparql: str) -> list[dict[str, Value]]: ...


class Store:
    """A pyoxigraph store: the provenance graphs as named graphs, and their union, without
    duplicates, materialized as the default graph.

    pyoxigraph's "default graph as union" returns a triple once per graph that holds it, which
    breaks SPARQL's set semantics (COUNT, GROUP_CONCAT); a materialized union does not.
    """

    def __init__(self, path: Path | None = None, store: ox.Store | None = None) -> None:
        self.path = path
        if store is not None:
            self._store = store
        else:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()

    @classmethod
    def read_only(cls, path: Path) -> Store:
        """An on-disk store opened for reading, which several processes may do at once."""
        return cls(path, ox.Store.read_only(str(path)))

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for the loader's bulk operations."""
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    def clear(self) -> None:
        """Remove every quad."""
        self._store.clear()

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in bulk."""
        self._store.bulk_extend(quads)

    def add_serialization(
        self, data: bytes, fmt: RdfFormat, base_iri: str, graph: str | None = None
    ) -> None:
        """Parse RDF in pyoxigraph straight into the store, all or nothing; a triple format into
        `graph` when given. A SyntaxError says where the parser stopped."""
        to_graph = ox.NamedNode(graph) if graph is not None else None
        self._store.load(data, format=fmt.oxigraph, base_iri=base_iri, to_graph=to_graph)

    def materialize_union(self, exclude: Sequence[str] = ()) -> None:
        """Copy every triple of the named graphs (but those excluded) into the default graph."""
        # An update holds all its solutions before it inserts them: for every graph at once that
        # was 840 MB more than the store at a million triples. Graph by graph it is 30 MB, and no
        # slower; the copy still happens in pyoxigraph, not quad by quad in Python.
        skipped = set(exclude)
        graphs = [g for g in self._store.named_graphs() if g.value not in skipped]
        for graph in graphs:
            if isinstance(graph, ox.NamedNode):
                self._store.update(
                    f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
                )
            else:
                quads = self._store.quads_for_pattern(None, None, None, graph)
                self._store.bulk_extend([ox.Quad(q.subject, q.predicate, q.object) for q in quads])

    def add_constructed(self, sparql: str, graphs: Sequence[str | None]) -> None:
        """Run a CONSTRUCT written by this program (the loader's) with the usual prefixes, its
        default graph every graph of the store at once, and add its triples to each of `graphs`
        (None: the default graph). Its triples are of IRIs and literals: a blank node would come
        out as a new one in each graph. Only the query's reading runs beside another thread's
        updates: the store takes its writes one at a time."""
        results = self._store.query(sparql, prefixes=NAMESPACES, use_default_graph_as_union=True)
        assert isinstance(results, ox.QueryTriples)
        # The triples go through N-Triples on disk past a few megabytes: held in memory they
        # were 58 MB more at a million triples, and they never become Python objects.
        with tempfile.SpooledTemporaryFile(max_size=_SPOOLED) as triples:
            results.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            for graph in graphs:
                triples.seek(0)
                self._store.load(
                    triples,
                    format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(graph) if graph is not None else None,
                )

    def update(self, sparql: str) -> None:
        """Run a SPARQL update written by this program (the loader's), with the usual prefixes."""
        self._store.update(sparql, prefixes=NAMESPACES)

    def default_graph_size(self) -> int:
        """The number of distinct triples in the default graph."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query on the default graph (the union of the data graphs), or on the
        named graphs `default_graphs` lists; `named_graphs` restricts what GRAPH sees. Relative
        IRIs in the query resolve against `base_iri`, unless the query declares its own BASE."""
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        if default_graphs:
            default_graph = [ox.NamedNode(g) for g in default_graphs]
        named: list[ox.NamedNode | ox.BlankNode] | None = None
        if named_graphs:
            named = [ox.NamedNode(g) for g in named_graphs]
        try:
            raw = self._store.query(
                sparql,
                prefixes=NAMESPACES,
                base_iri=base_iri,
                default_graph=default_graph,
                named_graphs=named,
            )
        except SyntaxError as error:
            raise _query_error(error) from None
        except ValueError as error:
            raise QueryError(str(error)) from None
        except OSError as error:  # evaluation errors, e.g. a SERVICE call that failed
            raise QueryError(str(error)) from None
        if isinstance(raw, ox.QuerySolutions):
            return QueryResult("select", raw)
        if isinstance(raw, ox.QueryBoolean):
            return QueryResult("ask", raw)
        return QueryResult("graph", raw)

    def select(self, sparql: str) -> list[dict[str, Value]]:
        """Run a SELECT query and return its rows as dicts of bound variables."""
        return self.query(sparql).bindings()

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        """Serialize the named graphs (quad formats), one named graph, or the default graph."""
        if graph is not None:
            data = self._store.dump(format=fmt.oxigraph, from_graph=ox.NamedNode(graph))
        elif fmt.quads:
            data = self._store.dump(format=fmt.oxigraph)
        else:
            data = self._store.dump(format=fmt.oxigraph, from_graph=ox.DefaultGraph())
        assert data is not None
        return data

    def to_rdflib(self) -> rdflib.Graph:
        """The default graph (the union of the data graphs) as an rdflib Graph."""
        from openforum_ld.rdf.convert import rdflib_graph  # rdflib only for pyshacl's sake

        return rdflib_graph(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    @contextmanager
    def set_aside(self) -> Iterator[Iterable[ox.Quad]]:
        """Free the memory an in-memory store takes while the block runs, for work that needs
        the data in another form (pyshacl's rdflib graph), so that one copy is held at a time.

        The quads wait in temporary files; the block is given the default graph's statements,
        read back from them one at a time. When it ends the store is filled again. An on-disk
        store is not in memory and stays as it is; so does a store the files cannot be written
        for (a full disk), which then costs the memory and nothing else.
        """
        if self.path is not None:
            yield self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            return
        _remove_stale_set_asides()
        directory = Path(tempfile.mkdtemp(prefix=f"{_SET_ASIDE_PREFIX}{os.getpid()}-"))
        try:
            everything = directory / "store.nq"
            default_graph = directory / "default.nt"
            try:
                self._store.dump(everything, format=ox.RdfFormat.N_QUADS)
                self._store.dump(
                    default_graph, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
                )
                written = True
            except OSError as error:
                _log.info("cannot set the store aside (%s); it stays in memory", error)
                written = False
            # Open, then unlinked at once: a process that is killed leaves nothing behind.
            files = [path.open("rb") for path in (everything, default_graph)] if written else []
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        if not written:
            yield self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            return
        with files[0] as quads, files[1] as triples:
            held = self._store
            # A fresh store rather than clear(): anyone still holding the old one keeps its data.
            self._store = ox.Store()
            del held
            return_freed_memory()
            try:
                yield ox.parse(triples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
            finally:
                # What the block built from the statements is gone by now: give its memory back
                # before the store takes it again.
                gc.collect()
                return_freed_memory()
                # Parsed here rather than by bulk_load, which gives blank nodes new labels. The
                # named graphs go in first and the union after them, as the loader puts them:
                # filled in the order of the dump (the union first), some queries on the union
                # took 10 to 50 times as long (2 s -> 112 s for one of the build's counts at
                # 100,000 triples); in this order they take what they took before.
                self._store.bulk_extend(
                    quad
                    for quad in ox.parse(quads, format=ox.RdfFormat.N_QUADS, lenient=True)
                    if not isinstance(quad.graph_name, ox.DefaultGraph)
                )
                triples.seek(0)
                self._store.bulk_extend(
                    ox.parse(triples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
                )


_SET_ASIDE_PREFIX = "openforum-ld-set-aside-"


def _remove_stale_set_asides() -> None:
    """Files a killed process was still writing when it was stopped (its pid is in the name)."""
    for stale in Path(tempfile.gettempdir()).glob(f"{_SET_ASIDE_PREFIX}*-*"):
        pid = stale.name.removeprefix(_SET_ASIDE_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not process_running(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def process_running(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def return_freed_memory() -> None:
    """Hand memory that was freed back to the operating system (glibc keeps it otherwise, and
    Python's own allocator cannot reuse it), so the process's size follows what it holds."""
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return
    trim(0)
