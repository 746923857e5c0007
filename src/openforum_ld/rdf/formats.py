"""One table of RDF and SPARQL-results formats: key, media type, suffix, parser names."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    """An RDF serialization, with every name the program and its libraries know it by."""

    key: str
    label: str
    media_type: str
    suffix: str
    oxigraph: ox.RdfFormat
    rdflib_name: str
    quads: bool
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        """The canonical media type first, then the aliases clients send."""
        return (self.media_type, *self.aliases)


TURTLE = RdfFormat(
    "turtle",
    "Turtle",
    "text/turtle",
    ".ttl",
    ox.RdfFormat.TURTLE,
    "turtle",
    False,
    ("application/x-turtle",),
)
NTRIPLES = RdfFormat(
    "nt",
    "N-Triples",
    "application/n-triples",
    ".nt",
    ox.RdfFormat.N_TRIPLES,
    "nt",
    False,
    ("text/plain",),
)
NQUADS = RdfFormat(
    "nq",
    "N-Quads",
    "application/n-quads",
    ".nq",
    ox.RdfFormat.N_QUADS,
    "nquads",
    True,
    ("text/x-nquads",),
)
TRIG = RdfFormat(
    "trig",
    "TriG",
    "application/trig",
    ".trig",
    ox.RdfFormat.TRIG,
    "trig",
    True,
    ("application/x-trig",),
)
JSONLD = RdfFormat(
    "jsonld",
    "JSON-LD",
    "application/ld+json",
    ".jsonld",
    ox.RdfFormat.JSON_LD,
    "json-ld",
    True,
)
RDFXML = RdfFormat(
    "rdfxml",
    "RDF/XML",
    "application/rdf+xml",
    ".rdf",
    ox.RdfFormat.RDF_XML,
    "xml",
    False,
    ("application/xml", "text/xml"),
)

RDF_FORMATS: tuple[RdfFormat, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)


@dataclass(frozen=True)
class ResultsFormat:
    """A SPARQL query results serialization (for SELECT and ASK)."""

    key: str
    label: str
    media_type: str
    suffix: str
    oxigraph: ox.QueryResultsFormat
    aliases: tuple[str, ...] = ()


RESULTS_JSON = ResultsFormat(
    "json",
    "SPARQL JSON",
    "application/sparql-results+json",
    ".srj",
    ox.QueryResultsFormat.JSON,
    ("application/json",),
)
RESULTS_XML = ResultsFormat(
    "xml",
    "SPARQL XML",
    "application/sparql-results+xml",
    ".srx",
    ox.QueryResultsFormat.XML,
    ("application/xml", "text/xml"),
)
RESULTS_CSV = ResultsFormat("csv", "CSV", "text/csv", ".csv", ox.QueryResultsFormat.CSV)
RESULTS_TSV = ResultsFormat(
    "tsv", "TSV", "text/tab-separated-values", ".tsv", ox.QueryResultsFormat.TSV
)

RESULTS_FORMATS: tuple[ResultsFormat, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)


def rdf_format_for_path(name: str) -> RdfFormat | None:
    """The RDF format a file name's suffix stands for, or None."""
    lowered = name.lower()
    for fmt in RDF_FORMATS:
        if lowered.endswith(fmt.suffix):
            return fmt
    return None


def rdf_format(key: str) -> RdfFormat:
    """The RDF format with this key (as used by `--format`)."""
    for fmt in RDF_FORMATS:
        if fmt.key == key:
            return fmt
    raise KeyError(key)


def results_format(key: str) -> ResultsFormat:
    """The results format with this key."""
    for fmt in RESULTS_FORMATS:
        if fmt.key == key:
            return fmt
    raise KeyError(key)
