"""One table of RDF and SPARQL-results formats, keyed by pyoxigraph's own format objects: the
media type, suffix and whether a format holds named graphs come from pyoxigraph."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    """An RDF serialization: pyoxigraph's format object, which gives its media type, file
    extension and whether it holds named graphs, and the names the program gives it."""

    oxigraph: ox.RdfFormat
    key: str  # as `--format` and `format=` name it
    label: str  # as pages name it
    rdflib_name: str
    aliases: tuple[str, ...] = ()  # other media types clients send for it

    @property
    def media_type(self) -> str:
        """The canonical media type."""
        return str(self.oxigraph.media_type)

    @property
    def suffix(self) -> str:
        """The file suffix, with its dot."""
        return "." + str(self.oxigraph.file_extension)

    @property
    def quads(self) -> bool:
        """Whether the format can hold named graphs."""
        return bool(self.oxigraph.supports_datasets)

    @property
    def media_types(self) -> tuple[str, ...]:
        """The canonical media type first, then the aliases clients send."""
        return (self.media_type, *self.aliases)


TURTLE = RdfFormat(ox.RdfFormat.TURTLE, "turtle", "Turtle", "turtle", ("application/x-turtle",))
NTRIPLES = RdfFormat(ox.RdfFormat.N_TRIPLES, "nt", "N-Triples", "nt", ("text/plain",))
NQUADS = RdfFormat(ox.RdfFormat.N_QUADS, "nq", "N-Quads", "nquads", ("text/x-nquads",))
TRIG = RdfFormat(ox.RdfFormat.TRIG, "trig", "TriG", "trig", ("application/x-trig",))
JSONLD = RdfFormat(ox.RdfFormat.JSON_LD, "jsonld", "JSON-LD", "json-ld")
RDFXML = RdfFormat(
    ox.RdfFormat.RDF_XML, "rdfxml", "RDF/XML", "xml", ("application/xml", "text/xml")
)

RDF_FORMATS: tuple[RdfFormat, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)


@dataclass(frozen=True)
class ResultsFormat:
    """A SPARQL query results serialization (for SELECT and ASK), on pyoxigraph's format object."""

    oxigraph: ox.QueryResultsFormat
    key: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def media_type(self) -> str:
        """The canonical media type, without parameters (pyoxigraph adds a charset to CSV's)."""
        return str(self.oxigraph.media_type).split(";")[0]

    @property
    def suffix(self) -> str:
        """The file suffix, with its dot."""
        return "." + str(self.oxigraph.file_extension)

    @property
    def media_types(self) -> tuple[str, ...]:
        """The canonical media type first, then the aliases clients send."""
        return (self.media_type, *self.aliases)


RESULTS_JSON = ResultsFormat(
    ox.QueryResultsFormat.JSON, "json", "SPARQL JSON", ("application/json",)
)
RESULTS_XML = ResultsFormat(
    ox.QueryResultsFormat.XML, "xml", "SPARQL XML", ("application/xml", "text/xml")
)
RESULTS_CSV = ResultsFormat(ox.QueryResultsFormat.CSV, "csv", "CSV")
RESULTS_TSV = ResultsFormat(ox.QueryResultsFormat.TSV, "tsv", "TSV")

RESULTS_FORMATS: tuple[ResultsFormat, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)


def rdf_format_for_path(name: str) -> RdfFormat | None:
    """The RDF format a file name's suffix stands for, or None."""
    lowered = name.lower()
    for fmt in RDF_FORMATS:
        if lowered.endswith(fmt.suffix):
            return fmt
    return None


def rdf_format_of(oxigraph: ox.RdfFormat) -> RdfFormat:
    """Our entry for one of pyoxigraph's formats."""
    for fmt in RDF_FORMATS:
        if fmt.oxigraph == oxigraph:
            return fmt
    raise KeyError(oxigraph.name)


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
