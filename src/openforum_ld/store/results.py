"""Query results written in the standard formats, stopping at a row limit.

pyoxigraph writes whole results; an endpoint must stop at its row cap and say so. SELECT
results in JSON, the common case, are written by pyoxigraph with their rows counted as they come
(`json_results`); in XML, CSV and TSV they are written here one row at a time, an XML reader
keeping a carriage return and a triple term written as SPARQL 1.2 writes it. Graph results are
collected up to the cap and written by the project's RDF writers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from openforum_ld.iris import NAMESPACES
from openforum_ld.rdf.formats import RdfFormat, ResultsFormat
from openforum_ld.rdf.serialize import kind_prefixes
from openforum_ld.rdf.writers import WriteOptions, rdf_bytes
from openforum_ld.store.json_results import engine_json

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from openforum_ld.store import QueryResult, Term

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class WrittenResult:
    """A serialized result, and whether the row cap cut it short."""

    body: bytes
    truncated: bool


def _capped(rows: Iterable[list[Term | None]], limit: int) -> tuple[list[list[Term | None]], bool]:
    taken: list[list[Term | None]] = []
    for row in rows:
        if len(taken) == limit:
            return taken, True
        taken.append(row)
    return taken, False


def write_result(
    result: QueryResult, fmt: ResultsFormat | RdfFormat, limit: int, base: str
) -> WrittenResult:
    """Serialize a query result in `fmt`, at most `limit` rows or triples."""
    if result.form == "ask":
        assert isinstance(fmt, ResultsFormat)
        return WrittenResult(_ask(result.boolean, fmt), False)
    if result.form == "select":
        assert isinstance(fmt, ResultsFormat)
        if fmt.oxigraph == ox.QueryResultsFormat.JSON:
            assert isinstance(result.raw, ox.QuerySolutions)
            return WrittenResult(*engine_json(result.raw, limit))
        rows, truncated = _capped(result.rows(), limit)
        writer = _SOLUTION_WRITERS[fmt.oxigraph]
        return WrittenResult(writer(result.variables, rows), truncated)
    assert isinstance(fmt, RdfFormat)
    triples: list[ox.Triple] = []
    truncated = False
    for triple in result.triples():
        if len(triples) == limit:
            truncated = True
            break
        triples.append(triple)
    return WrittenResult(_graph(triples, fmt, base), truncated)


def _ask(answer: bool, fmt: ResultsFormat) -> bytes:
    return _BOOLEAN_WRITERS[fmt.oxigraph]("true" if answer else "false")


_BOOLEAN_WRITERS: dict[ox.QueryResultsFormat, Callable[[str], bytes]] = {
    ox.QueryResultsFormat.JSON: lambda word: f'{{"head": {{}}, "boolean": {word}}}'.encode(),
    ox.QueryResultsFormat.XML: lambda word: (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{word}</boolean></sparql>\n"
    ).encode(),
    ox.QueryResultsFormat.CSV: lambda word: f"_askResult\r\n{word}\r\n".encode(),
    ox.QueryResultsFormat.TSV: lambda word: f"?_askResult\n{word}\n".encode(),
}


def _text(value: str) -> str:
    # A reader turns a raw carriage return into a line feed (XML 1.0, 2.11); a reference keeps it.
    return escape(value, {"\r": "&#13;"})


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_text(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{_text(term.value)}</literal>"
            )
        return f"<literal>{_text(term.value)}</literal>"
    assert isinstance(term, ox.Triple)
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _xml(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        out += [
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row, strict=True)
            if term is not None
        ]
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode()


def _csv(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(
            [
                ""
                if t is None
                else (
                    f"_:{t.value}" if isinstance(t, ox.BlankNode) else getattr(t, "value", str(t))
                )
                for t in row
            ]
        )
    return buffer.getvalue().encode()


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        # SPARQL 1.2 writes a triple term as <<( s p o )>>; str() gives the bare statement.
        parts = (term.subject, term.predicate, term.object)
        return "<<( " + " ".join(_tsv_term(part) for part in parts) + " )>>"
    return str(term)


def _tsv(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _graph(triples: list[ox.Triple], fmt: RdfFormat, base: str) -> bytes:
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples
    )
    options = WriteOptions(prefixes={**NAMESPACES, **kind_prefixes(base)}, base=base)
    return rdf_bytes(dataset, fmt, options)


_SOLUTION_WRITERS: dict[
    ox.QueryResultsFormat, Callable[[list[str], list[list[Term | None]]], bytes]
] = {
    ox.QueryResultsFormat.XML: _xml,
    ox.QueryResultsFormat.CSV: _csv,
    ox.QueryResultsFormat.TSV: _tsv,
}


def iter_lines(body: bytes) -> Iterator[bytes]:
    """The body in lines, for streaming responses."""
    yield from body.splitlines(keepends=True)
