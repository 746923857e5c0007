"""Releases people can cite: a named version of the data whose dumps are kept for good at
`releases/{version}/`, described in the catalog with DCAT 3 versioning, with release notes that
say which entities it added, removed and changed since the release before.

A publication is rebuilt into a fresh directory, so every build carries the releases of the
publication it replaces (hard links, so their bytes stay the very same) and reads back what each
recorded in its `release.json`. A release never changes: a version published already is built
again only when its dumps come out byte for byte the same.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph as ox

from openforum_ld.errors import PublishError
from openforum_ld.iris import DCAT, DCTERMS, FOAF, OFO, OWL, PROV, RDF, RDFS, XSD
from openforum_ld.publication import (
    EntityChange,
    Release,
    ReleaseFile,
    ReleaseNotes,
    release_address,
    release_iri,
    release_sort_key,
)
from openforum_ld.publish.catalog import PublicationIris, describe_distribution
from openforum_ld.publish.dumps import Dump
from openforum_ld.rdf.formats import NTRIPLES, rdf_format
from openforum_ld.rdf.graph import Graph, text, typed, write_graph
from openforum_ld.views.search import LABEL_PROPERTIES

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings

RELEASES_DIR = "releases"
RECORD = "release.json"
CHANGES = "changes.ttl"
SUMS = "SHA256SUMS"
ADMS = "http://www.w3.org/ns/adms#"
_TRUE = str(ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))


@dataclass(frozen=True)
class ReleaseState:
    """The releases a publication carries, oldest first; which one its current data is, if
    any; and what changed since the latest one when the current data is not released."""

    releases: tuple[Release, ...]
    current: str
    unreleased: ReleaseNotes | None
    files: tuple[str, ...]  # the releases' files in the new publication, for the build record


# ---------------------------------------------------------------------------- reading


def read_releases(out: Path) -> list[Release]:
    """The releases of the publication at `out`, oldest first, each checked against its record:
    an error naming what is wrong when a release's directory has no readable record or lacks a
    file it records (a build keeps every release, so it never drops one silently)."""
    found = []
    directory = out / RELEASES_DIR
    for place in sorted(p for p in directory.glob("*") if p.is_dir()) if directory.is_dir() else []:
        record = place / RECORD
        try:
            release = Release.from_dict(json.loads(record.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise PublishError(
                f"cannot read the release record {record} ({error}); restore the release as it "
                "was published before building again, since a build keeps every release"
            ) from None
        if release.version != place.name:
            raise PublishError(
                f"{record} records release {release.version!r} in the directory of "
                f"{place.name!r}; restore the directory as it was published"
            )
        sizes = {f.name: f.size for f in release.files}
        for name in _kept_files(release):
            path = place / name
            if not path.is_file():
                raise PublishError(
                    f"release {release.version} has lost {path}; restore it as it was published "
                    "before building again, since a build keeps every release"
                )
            if name in sizes and path.stat().st_size != sizes[name]:
                raise PublishError(
                    f"{path} is {path.stat().st_size} bytes, but release {release.version} "
                    f"published {sizes[name]}; restore it as it was published"
                )
        found.append(release)
    return sorted(found, key=lambda r: r.sort_key)


# ---------------------------------------------------------------------------- notes


@dataclass(frozen=True)
class Entities:
    """The entities of a dump (subjects under `{base}id/`, but retired IRIs): the (predicate,
    object) of each, and a label for each that has one."""

    statements: dict[str, frozenset[tuple[str, str]]]
    labels: dict[str, str]

    @classmethod
    def read(cls, path: Path, base: str) -> Entities:
        """The entities of a gzipped N-Triples dump."""
        prefix = base + "id/"
        statements: dict[str, set[tuple[str, str]]] = {}
        labels: dict[str, tuple[int, str]] = {}
        rank = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
        with gzip.open(path, "rb") as stream:
            for triple in ox.parse(cast("IO[bytes]", stream), format=ox.RdfFormat.N_TRIPLES):
                subject = triple.subject
                if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(prefix):
                    continue
                predicate, obj = triple.predicate.value, triple.object
                statements.setdefault(subject.value, set()).add((predicate, str(obj)))
                if predicate in rank and isinstance(obj, ox.Literal):
                    # An English or untagged label first, then the order of LABEL_PROPERTIES.
                    order = rank[predicate] + (0 if (obj.language or "en") == "en" else 100)
                    if subject.value not in labels or order < labels[subject.value][0]:
                        labels[subject.value] = (order, obj.value)
        # A retired IRI's record (owl:deprecated) describes no live entity: it was removed.
        return cls(
            {
                iri: frozenset(found)
                for iri, found in statements.items()
                if (OWL + "deprecated", _TRUE) not in found
            },
            {iri: label for iri, (_, label) in labels.items()},
        )


def compare_entities(before: Entities, after: Entities, since: str) -> ReleaseNotes:
    """The notes of the change from one dump's entities to another's: an entity is added or
    removed when it is the subject of triples in only one of them, changed when the set of
    triples it is the subject of differs; for a changed one, the properties whose values
    differ."""

    def entry(iri: str, properties: tuple[str, ...] = ()) -> EntityChange:
        label = after.labels.get(iri) or before.labels.get(iri) or iri.rsplit("/", 1)[-1]
        return EntityChange(iri, label, properties)

    old, new = before.statements, after.statements
    changed = []
    for iri in sorted(old.keys() & new.keys()):
        if old[iri] != new[iri]:
            differing = {p for p, _ in old[iri] ^ new[iri]}
            changed.append(entry(iri, tuple(sorted(differing))))
    return ReleaseNotes(
        since=since,
        added=tuple(entry(iri) for iri in sorted(new.keys() - old.keys())),
        removed=tuple(entry(iri) for iri in sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


# ---------------------------------------------------------------------------- building


def _link_or_copy(source: Path, target: Path) -> None:
    """The same bytes at `target`: a hard link (nothing copied, nothing can differ), or a
    copy where the two are on different file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _kept_files(release: Release) -> list[str]:
    """The files of a release that never change: its dumps, their sums, its record and notes."""
    names = [f.name for f in release.files] + [SUMS, RECORD]
    if release.notes is not None:
        names.append(CHANGES)
    return sorted(names)


def _nt_dump(files: tuple[ReleaseFile, ...]) -> ReleaseFile:
    return next(f for f in files if f.format == NTRIPLES.key)


def _as_files(dumps: list[Dump]) -> tuple[ReleaseFile, ...]:
    return tuple(
        ReleaseFile(
            d.path.removeprefix("dumps/"), d.format.key, d.gzipped, d.size, d.sha256, d.statements
        )
        for d in dumps
    )


def _checksums(files: tuple[ReleaseFile, ...]) -> dict[str, str]:
    return {f.name: f.sha256 for f in files}


def prepare_releases(
    settings: Settings, out: Path, work: Path, dumps: list[Dump], date: str, triples: int
) -> ReleaseState:
    """Carry the releases of the publication at `out` into `work`, the publication being
    built, and publish `settings.release` from the dumps in `work/dumps/` when it names one.

    A release already published is rebuilt only with the same bytes; a new release must come
    after every earlier one. Either refusal is an error before anything is swapped in."""
    earlier = read_releases(out)
    elsewhere = [r.version for r in earlier if r.base != settings.base_uri]
    if elsewhere:
        raise PublishError(
            f"the releases {', '.join(elsewhere)} in {out} were published for another base "
            f"than {settings.base_uri}; a publication keeps one base: build into another "
            "directory, or with the base they were published for"
        )
    current_files = _as_files(dumps)
    wanted = settings.release
    same = next((r for r in earlier if r.version == wanted), None) if wanted else None
    if same is not None and _checksums(same.files) != _checksums(current_files):
        differing = sorted(
            name
            for name, digest in _checksums(current_files).items()
            if _checksums(same.files).get(name) != digest
        )
        raise PublishError(
            f"release {wanted} is published already (in {out / RELEASES_DIR / wanted}) with "
            f"other data ({', '.join(differing)} would differ); a release never changes: "
            f"publish the new data as a new release (--release with a later version) or "
            "without --release"
        )
    if wanted and same is None and earlier and release_sort_key(wanted) < earlier[-1].sort_key:
        raise PublishError(
            f"release {wanted} would come before the latest release, {earlier[-1].version}: "
            "a new release takes a later version"
        )

    written: list[str] = []
    for release in earlier:
        for name in _kept_files(release):
            path = f"{release.directory}{name}"
            _link_or_copy(out / path, work / path)
            written.append(path)

    latest = earlier[-1] if earlier else None
    base = settings.base_uri

    def entities_of(release: Release | None) -> Entities:
        files = current_files if release is None else release.files
        place = "dumps/" if release is None else release.directory
        return Entities.read(work / place / _nt_dump(files).name, base)

    releases = list(earlier)
    if wanted and same is None:
        current = entities_of(None)
        release = Release(
            version=wanted,
            date=date,
            base=base,
            previous=latest.version if latest else None,
            triples=triples,
            entities=len(current.statements),
            files=current_files,
            notes=(
                compare_entities(entities_of(latest), current, latest.version)
                if latest is not None
                else None
            ),
        )
        written.extend(_write_release(release, work))
        releases.append(release)
        return ReleaseState(tuple(releases), wanted, None, tuple(written))
    if wanted:
        return ReleaseState(tuple(releases), wanted, None, tuple(written))
    if latest is None:
        return ReleaseState((), "", None, tuple(written))
    if _checksums(latest.files) == _checksums(current_files):
        return ReleaseState(tuple(releases), latest.version, None, tuple(written))
    unreleased = compare_entities(entities_of(latest), entities_of(None), latest.version)
    return ReleaseState(tuple(releases), "", unreleased, tuple(written))


def _write_release(release: Release, work: Path) -> list[str]:
    """A new release's directory: the dumps just written (linked), their sums, its record and
    the RDF of its notes."""
    directory = work / release.directory
    written = []
    for file in release.files:
        _link_or_copy(work / "dumps" / file.name, directory / file.name)
        written.append(release.directory + file.name)
    _link_or_copy(work / "dumps" / SUMS, directory / SUMS)
    written.append(release.directory + SUMS)
    (directory / RECORD).write_text(release.to_json(), encoding="utf-8", newline="\n")
    written.append(release.directory + RECORD)
    if release.notes is not None:
        write_graph(changes_graph(release), directory / CHANGES, release.base)
        written.append(release.directory + CHANGES)
    return written


# ---------------------------------------------------------------------------- RDF


def changes_graph(release: Release) -> Graph:
    """The notes of a release as RDF: the release, the one it revises, and the entities it
    added, removed and changed (the properties that changed are in `release.json` and on
    the release's page)."""
    assert release.notes is not None
    base = release.base
    iri = release_iri(base, release.version)
    previous = release_iri(base, release.notes.since)
    graph = Graph()
    graph.add(iri, RDF + "type", DCAT + "Dataset")
    graph.add(iri, DCAT + "version", text(release.version, None))
    graph.add(iri, DCAT + "previousVersion", previous)
    graph.add(iri, PROV + "wasRevisionOf", previous)
    graph.add(iri, DCTERMS + "issued", typed(release.date, "date"))
    graph.add(iri, ADMS + "versionNotes", text(version_notes(release.notes)))
    graph.add(iri, RDFS + "seeAlso", release_address(base, release.version))
    for kind, entries in (
        ("addedEntity", release.notes.added),
        ("removedEntity", release.notes.removed),
        ("changedEntity", release.notes.changed),
    ):
        for entry in entries:
            graph.add(iri, OFO + kind, entry.iri)
    return graph


def version_notes(notes: ReleaseNotes) -> str:
    """The notes in one sentence, as DCAT-AP's adms:versionNotes."""
    return (
        f"Since release {notes.since}, entities added: {len(notes.added)}, "
        f"removed: {len(notes.removed)}, changed: {len(notes.changed)}."
    )


def _titles(graph: Graph, dataset: str) -> dict[str, str]:
    """The dataset's title in each language the catalog gives it, for its releases' titles."""
    found = {}
    for quad in graph.store.quads_for_subject(ox.NamedNode(dataset)):
        if (
            quad.predicate.value == DCTERMS + "title"
            and isinstance(quad.object, ox.Literal)
            and quad.object.language
        ):
            found[quad.object.language] = quad.object.value
    return found or {"en": "The dataset"}


def link_releases(graph: Graph, settings: Settings, state: ReleaseState) -> None:
    """The dataset's versions, as VoID states them: each release and the current one (the
    catalog, which VoID links to, describes them)."""
    base = settings.base_uri
    dataset = PublicationIris(base).dataset
    for release in state.releases:
        graph.add(dataset, DCAT + "hasVersion", release_iri(base, release.version))
    if state.releases:
        latest = release_iri(base, state.releases[-1].version)
        graph.add(dataset, DCAT + "hasCurrentVersion", latest)
    if state.current:
        graph.add(dataset, DCAT + "version", text(state.current, None))


def describe_releases(graph: Graph, settings: Settings, state: ReleaseState) -> None:
    """DCAT 3 versioning in the catalog: the dataset has each release as a version and the
    latest as its current version; each release is a dataset of its own, with its version,
    date, predecessor and distributions (described as the current dumps are)."""
    if not state.releases:
        return
    base = settings.base_uri
    published = PublicationIris(base)
    dataset = published.dataset
    titles = _titles(graph, dataset)
    for release in state.releases:
        iri = release_iri(base, release.version)
        graph.add(published.catalog, DCAT + "dataset", iri)
        graph.add(dataset, DCAT + "hasVersion", iri)
        graph.add(iri, RDF + "type", DCAT + "Dataset")
        graph.add(iri, DCTERMS + "isVersionOf", dataset)
        graph.add(iri, DCAT + "version", text(release.version, None))
        for language, title in titles.items():
            word = "version" if language == "fr" else "release"
            graph.add(iri, DCTERMS + "title", text(f"{title} ({word} {release.version})", language))
        graph.add(
            iri,
            DCTERMS + "description",
            text(
                f"Release {release.version} of the dataset, published on {release.date}: "
                f"{release.triples:,} triples about {release.entities:,} entities. Its files "
                "never change."
            ),
        )
        graph.add(iri, DCTERMS + "issued", typed(release.date, "date"))
        graph.add(iri, DCTERMS + "identifier", text(release_address(base, release.version), None))
        graph.add(iri, DCAT + "landingPage", release_address(base, release.version))
        graph.add(release_address(base, release.version), RDF + "type", FOAF + "Document")
        graph.add(iri, DCTERMS + "publisher", published.publisher)
        graph.add(iri, DCTERMS + "license", settings.license)
        if release.previous:
            graph.add(iri, DCAT + "previousVersion", release_iri(base, release.previous))
        if release.notes is not None:
            graph.add(iri, ADMS + "versionNotes", text(version_notes(release.notes)))
            graph.add(iri, RDFS + "seeAlso", f"{base}{release.directory}{CHANGES}")
        for file in release.files:
            dump = Dump(
                release.directory + file.name,
                rdf_format(file.format),
                file.gzipped,
                file.size,
                file.sha256,
                file.statements,
            )
            describe_distribution(graph, published, dump, settings, iri)
    latest = state.releases[-1]
    graph.add(dataset, DCAT + "hasCurrentVersion", release_iri(base, latest.version))
    if state.current:
        graph.add(dataset, DCAT + "version", text(state.current, None))
