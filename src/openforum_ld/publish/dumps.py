"""The whole dataset as files: Turtle, N-Triples, JSON-LD, RDF/XML (the union of the data graphs)
and TriG, N-Quads (every provenance graph), with a SHA256SUMS file. Each file first states the
dataset's licence, so a copy that travels without the catalog still carries its terms."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph as ox

from openforum_ld.iris import NAMESPACES, ONTOLOGY_IRI
from openforum_ld.publish.catalog import PublicationIris
from openforum_ld.publish.forked import forked_map
from openforum_ld.rdf.formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE, RdfFormat
from openforum_ld.rdf.serialize import Canonical, kind_prefixes
from openforum_ld.rdf.writers import WriteOptions, licensed, write_rdf

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.store import Store


@dataclass(frozen=True)
class Dump:
    """One dump file as the catalog describes it."""

    path: str  # relative to the publication root
    format: RdfFormat
    gzipped: bool
    size: int
    sha256: str
    statements: int

    @property
    def media_type(self) -> str:
        """The media type of the file itself (gzip for compressed dumps)."""
        return "application/gzip" if self.gzipped else self.format.media_type


# (format, gzipped): the dumps every publication has.
DUMP_FORMATS: tuple[tuple[RdfFormat, bool], ...] = (
    (TURTLE, False),
    (NTRIPLES, True),
    (JSONLD, False),
    (RDFXML, False),
    (TRIG, False),
    (NQUADS, True),
)


def dump_path(name: str, fmt: RdfFormat, gzipped: bool) -> str:
    """Where a dump lives in the publication: dumps/<name><suffix>[.gz]."""
    return f"dumps/{name}{fmt.suffix}" + (".gz" if gzipped else "")


def published_graphs(store: Store) -> list[ox.NamedNode]:
    """The named graphs the quad dumps carry: every graph but the ontology's, sorted."""
    return [ox.NamedNode(g) for g in store.graph_names() if g != ONTOLOGY_IRI]


def write_dumps(
    store: Store, base: str, root: Path, name: str, license: str, workers: int = 1
) -> list[Dump]:
    """Write every dump and dumps/SHA256SUMS under `root`, each dump in one of `workers`
    processes; return what the catalog needs.

    Each dump states, before the data, the licence of the dataset it is a copy of, by the
    dataset's IRI in the catalog (which a reader can follow to the rest of the metadata). The
    same statement in every dump, so an endpoint loaded with several of them holds it once."""
    (root / "dumps").mkdir(parents=True, exist_ok=True)
    # Large graphs are sorted on disk beside the dumps, not held a second time in memory.
    options = WriteOptions(
        prefixes={**NAMESPACES, **kind_prefixes(base)},
        base=base,
        graphs=tuple(published_graphs(store)),
        scratch=root,
        about=licensed(PublicationIris(base).dataset, license),
    )
    global _dumping
    _dumping = _DumpJob(Canonical.of(store.oxigraph), options, root, name)
    try:
        written = sorted(forked_map(_write_dump, _BY_COST, workers))
    finally:
        _dumping = None
    dumps = [
        Dump(dump_path(name, fmt, gzipped), fmt, gzipped, size, sha256, statements)
        for (fmt, gzipped), (_, size, sha256, statements) in zip(DUMP_FORMATS, written, strict=True)
    ]
    sums = "".join(f"{d.sha256}  {d.path.removeprefix('dumps/')}\n" for d in dumps)
    (root / "dumps" / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return dumps


@dataclass(frozen=True)
class _DumpJob:
    """What every dump is written from."""

    source: Canonical
    options: WriteOptions
    root: Path
    name: str


# What the processes writing dumps inherit; set only while they run.
_dumping: _DumpJob | None = None
# The dumps by their place in DUMP_FORMATS, slowest to write first (at a million triples), so
# that the last to finish is a quick one: the writers in Python, then pyoxigraph's.
_BY_COST = sorted(
    range(len(DUMP_FORMATS)),
    key=lambda n: (TRIG, TURTLE, JSONLD, NQUADS, NTRIPLES, RDFXML).index(DUMP_FORMATS[n][0]),
)


def _write_dump(number: int) -> tuple[int, int, str, int]:
    """Write the dump at `number` in DUMP_FORMATS; its number, size, SHA-256 and statement
    count (a worker sends back plain values: pyoxigraph's format objects do not pickle)."""
    assert _dumping is not None
    fmt, gzipped = DUMP_FORMATS[number]
    target = _dumping.root / dump_path(_dumping.name, fmt, gzipped)
    with target.open("wb") as raw:
        stream = cast(
            "IO[bytes]",
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if gzipped else raw,
        )
        try:
            statements = write_rdf(_dumping.source, fmt, stream, _dumping.options)
        finally:
            if gzipped:
                stream.close()
    return number, target.stat().st_size, file_sha256(target), statements


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
