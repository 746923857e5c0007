"""The releases: a page listing every release with what it changed, a page per release with
its files, checksums and notes, and the citation a reader copies (on the home page too).

Everything here comes from the manifest, where the build recorded each release as its
`releases/{version}/release.json` says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.views.dataset_markup import citation, citation_line, release_links
from openforum_ld.views.pages import NotFoundError, Page
from openforum_ld.views.retired import RETIRED_FILTER

if TYPE_CHECKING:
    from openforum_ld.publication import EntityChange, ReleaseNotes
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls

RELEASES_INDEX = "releases/index.html"


def release_index(version: str) -> str:
    """The page of one release, as a file of the publication."""
    return f"releases/{version}/index.html"


@dataclass(frozen=True)
class ChangedEntity:
    """An entity in the notes as a page shows it."""

    iri: str
    label: str
    href: str | None  # None for a removed entity: this publication has no page for it
    properties: tuple[str, ...]


@dataclass(frozen=True)
class NotesView:
    """Release notes as a page shows them."""

    since: str
    since_href: str
    added: tuple[ChangedEntity, ...]
    removed: tuple[ChangedEntity, ...]
    changed: tuple[ChangedEntity, ...]


def _notes(ctx: ViewContext, urls: Urls, notes: ReleaseNotes, language: str) -> NotesView:
    # Only entities the current data describes have a page to link to: an old release's
    # notes may name entities removed since.
    described = _described(ctx, [e.iri for e in (*notes.added, *notes.removed, *notes.changed)])

    def shown(entry: EntityChange) -> ChangedEntity:
        return ChangedEntity(
            entry.iri,
            entry.label,
            urls.resource(entry.iri) if entry.iri in described else None,
            tuple(ctx.terms.label(p, language) for p in entry.properties),
        )

    return NotesView(
        notes.since,
        urls.file(release_index(notes.since)),
        tuple(shown(e) for e in notes.added),
        tuple(shown(e) for e in notes.removed),
        tuple(shown(e) for e in notes.changed),
    )


def _described(ctx: ViewContext, iris: list[str]) -> set[str]:
    """Those of `iris` that are live entities of the data (the subject of a statement, and not
    retired), asked in batches."""
    found: set[str] = set()
    for start in range(0, len(iris), 500):
        values = " ".join(f"<{iri}>" for iri in iris[start : start + 500])
        rows = ctx.store.select(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o {RETIRED_FILTER} }}"
        )
        found.update(row["s"].value for row in rows)
    return found


def releases_page(ctx: ViewContext, urls: Urls, language: str) -> Page:
    """Every release, newest first, with its date, counts and what it changed; and what has
    changed since the latest, when the current data is not released."""
    manifest = ctx.manifest
    releases = [
        {
            "release": release,
            "href": urls.file(release_index(release.version)),
            "current": release.version == manifest.release,
        }
        for release in reversed(manifest.releases)
    ]
    unreleased = manifest.unreleased
    return Page(
        "releases.html",
        {
            "releases": releases,
            "unreleased": _notes(ctx, urls, unreleased, language) if unreleased else None,
            "date": manifest.date,
            "citation_line": citation_line(ctx, citation(ctx), language),
            "catalog_href": urls.file("catalog.ttl"),
        },
    )


def release_page(ctx: ViewContext, urls: Urls, language: str, version: str) -> Page:
    """One release: its date, counts, files with their checksums, citation and notes."""
    release = next((r for r in ctx.manifest.releases if r.version == version), None)
    if release is None:
        raise NotFoundError(f"there is no release {version}")
    files = [
        {
            "name": file.name,
            "href": urls.file(release.directory + file.name),
            "size": file.size,
            "sha256": file.sha256,
        }
        for file in release.files
    ]
    return Page(
        "release.html",
        {
            "release": release,
            "files": files,
            "sums_href": urls.file(release.directory + "SHA256SUMS"),
            "record_href": urls.file(release.directory + "release.json"),
            "changes_href": (
                urls.file(release.directory + "changes.ttl") if release.notes else None
            ),
            "notes": _notes(ctx, urls, release.notes, language) if release.notes else None,
            "citation_line": citation_line(ctx, citation(ctx, release), language),
            "releases_href": urls.file(RELEASES_INDEX),
            "current": release.version == ctx.manifest.release,
            "signposts": release_links(ctx.iris.base, release, ctx.manifest),
        },
    )
