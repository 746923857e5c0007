"""The publication: what `build` writes and `serve` opens.

Beside the static site and the dumps, a publication keeps in `.server/` what a server needs and
no static host serves: the on-disk store, an index of redirects, entity paths and labels
(SQLite), and `manifest.json`, which records the publication format, the base, the data version
and the facts pages show (counts, graphs, dumps, shapes, the validation verdict, the example
queries). The manifest is written last, so a publication without one is not finished.

Opening one checks all of this and says what is wrong and what to run, never more.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import mimetypes
import os
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from openforum_ld import __version__
from openforum_ld.errors import PublicationError
from openforum_ld.rdf.formats import rdf_format_for_path

#: The layout of `.server/`; a publication of another format is refused, not guessed at.
PUBLICATION_FORMAT = 1
SERVER_DIR = ".server"
MANIFEST = "manifest.json"
STORE_DIR = "store"
INDEX = "index.sqlite"
#: Files every publication has, which a server serves as they are.
REQUIRED_FILES = ("version.json", "catalog.ttl", "void.ttl", "build.ttl", "dumps/SHA256SUMS")


@dataclass(frozen=True)
class ShapeProperty:
    """A property shape of a node shape: its name and description, by language tag."""

    names: dict[str, str]
    descriptions: dict[str, str]


@dataclass(frozen=True)
class ShapeInfo:
    """A node shape as the pages present it, with the number of resources it checked: its
    comment (in English) and, by language tag, its comments and its property shapes' names and
    descriptions as the shapes give them, the forum's languages put in."""

    iri: str
    label: str
    comment: str | None
    targets: tuple[str, ...]
    nodes: int = 0
    comments: dict[str, str] = field(default_factory=dict)
    properties: tuple[ShapeProperty, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShapeInfo:
        """A shape read back from the manifest."""
        return cls(
            **{
                **data,
                "targets": tuple(data["targets"]),
                "properties": tuple(ShapeProperty(**p) for p in data.get("properties", ())),
            }
        )

    @property
    def anchor(self) -> str:
        """The id of its row on the validation page."""
        return "shape-" + self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class DumpInfo:
    """A downloadable dump, as the home page lists it."""

    label: str
    path: str
    media_type: str
    size: int


@dataclass(frozen=True)
class Example:
    """An example query from `queries/`, with its title in each language."""

    name: str
    titles: dict[str, str]
    query: str


@dataclass(frozen=True)
class ValidationSummary:
    """The verdict of the validation the build ran, and the counts the page shows."""

    conforms: bool
    violations: int
    triples: int
    entities: int
    focus_nodes: int = 0  # the resources the shapes targeted
    value_nodes: int = 0  # the values their property shapes reached


@dataclass(frozen=True)
class EntityChange:
    """An entity a release added, removed or changed; for a changed one, the properties whose
    values differ."""

    iri: str
    label: str
    properties: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EntityChange:
        """One read back from JSON."""
        return cls(data["iri"], data["label"], tuple(data.get("properties", ())))


@dataclass(frozen=True)
class ReleaseNotes:
    """What changed in the data since the release `since`: the entities (subjects under
    `{base}id/`) added, removed and changed, each sorted by IRI."""

    since: str
    added: tuple[EntityChange, ...] = ()
    removed: tuple[EntityChange, ...] = ()
    changed: tuple[EntityChange, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReleaseNotes:
        """Notes read back from JSON."""
        return cls(
            data["since"],
            *(
                tuple(EntityChange.from_dict(e) for e in data.get(kind, ()))
                for kind in ("added", "removed", "changed")
            ),
        )


@dataclass(frozen=True)
class ReleaseFile:
    """A dump of a release, at `releases/{version}/{name}`."""

    name: str
    format: str  # the key of its RDF format
    gzipped: bool
    size: int
    sha256: str
    statements: int


@dataclass(frozen=True)
class Release:
    """A named, immutable release of the data: its version, date, dumps, counts, and its notes
    (none for the first release). Recorded in `releases/{version}/release.json`, which later
    builds read back."""

    version: str
    date: str
    base: str
    previous: str | None
    triples: int
    entities: int
    files: tuple[ReleaseFile, ...]
    notes: ReleaseNotes | None = None

    @property
    def directory(self) -> str:
        """Its directory in the publication."""
        return f"releases/{self.version}/"

    @property
    def sort_key(self) -> tuple[int, ...]:
        """Versions sort by their numbers: 2026.10 comes after 2026.9."""
        return release_sort_key(self.version)

    def to_json(self) -> str:
        """The release record as written in `release.json`."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Release:
        """A release read back; a KeyError, TypeError or ValueError when it is not one."""
        notes = data.get("notes")
        return cls(
            version=str(data["version"]),
            date=str(data["date"]),
            base=str(data["base"]),
            previous=data.get("previous"),
            triples=int(data["triples"]),
            entities=int(data["entities"]),
            files=tuple(ReleaseFile(**f) for f in data["files"]),
            notes=None if notes is None else ReleaseNotes.from_dict(notes),
        )


def release_iri(base: str, version: str) -> str:
    """The IRI of a release as a dataset of the catalog."""
    return f"{base}catalog#release-{version}"


def release_address(base: str, version: str) -> str:
    """The address of a release's page: the address a citation names."""
    return f"{base}releases/{version}/"


def release_sort_key(version: str) -> tuple[int, ...]:
    """A version as the numbers it is made of."""
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Manifest:
    """What the build recorded about a publication."""

    base: str
    version: str  # the data version: a hash of the inputs and the base
    date: str  # the publication date, YYYY-MM-DD
    triples: int  # in the default graph, the union of the data graphs
    graphs: tuple[str, ...]  # the named graphs, the ontology's aside
    license: str
    license_name: str
    dumps: tuple[DumpInfo, ...] = ()
    shapes: tuple[ShapeInfo, ...] = ()
    validation: ValidationSummary = ValidationSummary(True, 0, 0, 0)
    examples: tuple[Example, ...] = ()
    blank_nodes: bool = True  # whether the data has any, so documents must label them alike
    publisher_name: str = ""  # who publishes the data, for the landing page's markup
    publisher_url: str = ""
    feedback: str = ""  # where readers report a problem: a URL with {iri} and {title} to fill in
    releases: tuple[Release, ...] = ()  # every release published, oldest first
    release: str = ""  # the release the current data is, if it is one
    unreleased: ReleaseNotes | None = None  # what changed since the latest release, if anything
    languages: tuple[str, ...] = ("en", "fr")  # of the forum's data, its main language first
    software: str = __version__
    format: int = PUBLICATION_FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def latest_release(self) -> Release | None:
        """The newest release, if any."""
        return self.releases[-1] if self.releases else None

    def to_json(self) -> str:
        """The manifest as the build writes it."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """A manifest read back; a KeyError, TypeError or ValueError when it is not one."""
        data = json.loads(text)
        return cls(
            base=data["base"],
            version=data["version"],
            date=data["date"],
            triples=int(data["triples"]),
            graphs=tuple(data["graphs"]),
            license=data["license"],
            license_name=data["license_name"],
            dumps=tuple(DumpInfo(**d) for d in data.get("dumps", ())),
            shapes=tuple(ShapeInfo.from_dict(s) for s in data.get("shapes", ())),
            validation=ValidationSummary(**data["validation"]),
            examples=tuple(Example(**e) for e in data.get("examples", ())),
            blank_nodes=bool(data.get("blank_nodes", True)),
            publisher_name=data.get("publisher_name", ""),
            publisher_url=data.get("publisher_url", ""),
            feedback=data.get("feedback", ""),
            releases=tuple(Release.from_dict(r) for r in data.get("releases", ())),
            release=data.get("release", ""),
            languages=tuple(data.get("languages", ("en", "fr"))),
            unreleased=(
                ReleaseNotes.from_dict(data["unreleased"]) if data.get("unreleased") else None
            ),
            software=data.get("software", ""),
            format=int(data["format"]),
            extra=dict(data.get("extra", {})),
        )


_MEDIA_TYPES = {
    ".gz": "application/gzip",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".ico": "image/vnd.microsoft.icon",
    ".svg": "image/svg+xml",
}
_BY_NAME = {"SHA256SUMS": "text/plain; charset=utf-8", "void": "text/turtle"}


def media_type_of(name: str) -> str:
    """The media type a published file is served with, by its name."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    suffix = PurePosixPath(name).suffix
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    fmt = rdf_format_for_path(name)
    if fmt is not None:
        return fmt.media_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# ---------------------------------------------------------------------------- the index


def write_index(
    path: Path,
    redirects: dict[str, str],
    entities: list[str],
    labels: list[tuple[str, str, str]],
    withdrawn: list[str],
) -> None:
    """Write `.server/index.sqlite`: redirects (path -> IRI), entity paths, the paths of
    withdrawn IRIs (410 Gone), and labels (normalised text, label, IRI) for search."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(
            "CREATE TABLE redirects (path TEXT PRIMARY KEY, target TEXT NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE entities (path TEXT PRIMARY KEY) WITHOUT ROWID;"
            "CREATE TABLE withdrawn (path TEXT PRIMARY KEY) WITHOUT ROWID;"
            "CREATE TABLE labels (normal TEXT NOT NULL, label TEXT NOT NULL, iri TEXT NOT NULL);"
        )
        db.executemany("INSERT INTO redirects VALUES (?, ?)", sorted(redirects.items()))
        db.executemany("INSERT INTO entities VALUES (?)", ((p,) for p in sorted(set(entities))))
        db.executemany("INSERT INTO withdrawn VALUES (?)", ((p,) for p in sorted(set(withdrawn))))
        db.executemany("INSERT INTO labels VALUES (?, ?, ?)", sorted(set(labels)))
        db.commit()


class PublicationIndex:
    """The lookups a server makes per request, on the index opened read-only. The file never
    changes once written, which SQLite is told, so reading it takes no lock."""

    def __init__(self, path: Path) -> None:
        uri = f"file:{path}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def redirect(self, path: str) -> str | None:
        """The IRI a path (`id/person/john-martin`) redirects to, if any."""
        row = self._db.execute("SELECT target FROM redirects WHERE path = ?", (path,)).fetchone()
        return None if row is None else str(row[0])

    def is_entity(self, path: str) -> bool:
        """Whether `id/{kind}/{slug}` names an entity of the publication."""
        found = self._db.execute("SELECT 1 FROM entities WHERE path = ?", (path,)).fetchone()
        return found is not None

    def is_withdrawn(self, path: str) -> bool:
        """Whether `id/{kind}/{slug}` is a withdrawn IRI: it answers 410 Gone."""
        found = self._db.execute("SELECT 1 FROM withdrawn WHERE path = ?", (path,)).fetchone()
        return found is not None

    def labels_containing(self, words: list[str]) -> list[tuple[str, str, str]]:
        """(normalised label, label, IRI) of the labels that contain every word."""
        if not words:
            return []
        condition = " AND ".join("instr(normal, ?) > 0" for _ in words)
        rows = self._db.execute(f"SELECT normal, label, iri FROM labels WHERE {condition}", words)
        return [(str(a), str(b), str(c)) for a, b, c in rows]

    def close(self) -> None:
        """Close the database."""
        self._db.close()


# ---------------------------------------------------------------------------- opening


def _rebuild_hint(path: Path, base: str | None = None) -> str:
    option = f" --base-uri {base}" if base else ""
    return f"`openforum-ld build --out {path}{option}`"


@dataclass
class Publication:
    """A finished publication, opened for serving. `root` is where its files are read from: a
    handle on the directory that stays valid when a new build takes its place at the same path
    (see `open`), so a server keeps the publication it opened."""

    path: Path
    root: Path
    manifest: Manifest
    descriptor: int | None = None
    lock: int | None = None

    @property
    def store_path(self) -> Path:
        """The on-disk store, to be opened read-only."""
        return self.root / SERVER_DIR / STORE_DIR

    @property
    def index_path(self) -> Path:
        """The SQLite index of redirects, entities and labels."""
        return self.root / SERVER_DIR / INDEX

    def index(self) -> PublicationIndex:
        """The index, opened read-only."""
        return PublicationIndex(self.index_path)

    def close(self) -> None:
        """Let go of the directory (a build may remove it once no process holds it)."""
        for descriptor in (self.lock, self.descriptor):
            if descriptor is not None:
                with contextlib.suppress(OSError):
                    os.close(descriptor)
        self.lock = self.descriptor = None

    @classmethod
    def open(cls, path: Path, base_uri: str | None = None) -> Publication:
        """Open the publication at `path`, checking that it is finished, of this program's
        format and, when `base_uri` is given, built for that base; a PublicationError that says
        what to run otherwise.

        On Linux the directory is held by a descriptor and read through /proc/self/fd: a build
        that swaps a new publication in at `path` does not change what this one reads, in this
        process or in the processes it forks."""
        manifest = read_manifest(path)
        if base_uri is not None and base_uri != manifest.base:
            raise PublicationError(
                f"{path} was built for {manifest.base}, not for {base_uri}: serve it without "
                f"--base-uri, or rebuild it with {_rebuild_hint(path, base_uri)}"
            )
        descriptor: int | None = None
        root = path.resolve()
        proc = Path("/proc/self/fd")
        if proc.is_dir():
            descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
            root = proc / str(descriptor)
            again = read_manifest(root)  # the directory held may be a newer one than was read
            if again.version != manifest.version:
                manifest = again
        # A shared lock on the manifest says "in use" to builds, which then set this
        # publication aside instead of deleting it; processes forked from here share it.
        lock = os.open(root / SERVER_DIR / MANIFEST, os.O_RDONLY)
        fcntl.flock(lock, fcntl.LOCK_SH)
        return cls(path, root, manifest, descriptor, lock)


def in_use(path: Path) -> bool:
    """Whether a server process holds the publication at `path` open."""
    try:
        descriptor = os.open(path / SERVER_DIR / MANIFEST, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def read_manifest(path: Path) -> Manifest:
    """The manifest of the publication at `path`, after checking it is complete."""
    if not path.exists():
        raise PublicationError(
            f"there is no publication at {path}: build one with {_rebuild_hint(path)}"
        )
    if not path.is_dir():
        raise PublicationError(f"{path} is not a directory, so not a publication")
    server = path / SERVER_DIR
    manifest_path = server / MANIFEST
    if not manifest_path.is_file():
        if (path / "version.json").is_file() and not server.exists():
            raise PublicationError(
                f"{path} was built by an earlier version of openforum-ld, without the files a "
                f"server needs ({SERVER_DIR}/): rebuild it with {_rebuild_hint(path)}"
            )
        if server.exists() or ".build-" in path.name:
            raise PublicationError(
                f"{path} is not a complete publication (its build did not finish): "
                f"run {_rebuild_hint(path)} again"
            )
        raise PublicationError(
            f"{path} is not a publication (it has no {SERVER_DIR}/{MANIFEST}): "
            f"build one with {_rebuild_hint(path)}"
        )
    try:
        raw = json.loads(manifest_path.read_text(encoding="utf-8"))
        found_format = int(raw.get("format", 0))
    except (OSError, ValueError, AttributeError, UnicodeDecodeError):
        raise PublicationError(
            f"{path} has a manifest that cannot be read ({SERVER_DIR}/{MANIFEST}): "
            f"rebuild it with {_rebuild_hint(path)}"
        ) from None
    if found_format != PUBLICATION_FORMAT:
        built_by = raw.get("software", "another version")
        raise PublicationError(
            f"{path} has publication format {found_format} (built by openforum-ld {built_by}); "
            f"openforum-ld {__version__} reads format {PUBLICATION_FORMAT}: rebuild it with "
            f"{_rebuild_hint(path)}"
        )
    try:
        manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    except (OSError, KeyError, TypeError, ValueError):
        raise PublicationError(
            f"{path} has a manifest that cannot be read ({SERVER_DIR}/{MANIFEST}): "
            f"rebuild it with {_rebuild_hint(path)}"
        ) from None
    missing = [
        name
        for name in (*REQUIRED_FILES, f"{SERVER_DIR}/{INDEX}", f"{SERVER_DIR}/{STORE_DIR}/CURRENT")
        if not (path / name).exists()
    ]
    if missing:
        raise PublicationError(
            f"{path} is not a complete publication ({', '.join(missing)} missing): "
            f"run {_rebuild_hint(path)} again"
        )
    return manifest
