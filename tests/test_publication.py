"""Opening a publication: a finished one of this program's format opens; anything else is refused
with a message that says what is wrong and what to run."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest

from openforum_ld.errors import PublicationError
from openforum_ld.publication import (
    PUBLICATION_FORMAT,
    Publication,
    in_use,
    media_type_of,
    read_manifest,
)

from .conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    """A writable copy of the forum's publication."""
    target = tmp_path / "site"
    shutil.copytree(built_site, target)
    return target


def test_a_finished_publication_opens_with_what_the_build_recorded(
    built_site: Path, union_triples: int, shape_count: int
) -> None:
    publication = Publication.open(built_site, LOCAL_BASE)
    try:
        manifest = publication.manifest
        assert manifest.base == LOCAL_BASE and manifest.format == PUBLICATION_FORMAT
        assert manifest.triples == union_triples and manifest.date == "2020-12-01"
        version = json.loads((built_site / "version.json").read_text())["version"]
        assert manifest.version == version
        assert f"{LOCAL_BASE}graph/report-vii" in manifest.graphs
        assert len(manifest.shapes) == shape_count and manifest.validation.conforms
        assert len(manifest.examples) == len(list((ROOT / "queries").glob("*.rq")))
        assert (publication.root / "catalog.ttl").read_bytes() == (
            built_site / "catalog.ttl"
        ).read_bytes()
        index = publication.index()
        assert index.redirect("id/person/john-martin") == f"{LOCAL_BASE}id/person/john-maritim"
        assert index.is_entity("id/person/john-maritim")
        assert not index.is_entity("id/person/nobody")
        index.close()
    finally:
        publication.close()


def test_an_open_publication_is_in_use_until_closed(site_copy: Path) -> None:
    # A copy: the session's own publication may be open in this worker already.
    assert not in_use(site_copy)
    publication = Publication.open(site_copy)
    assert in_use(site_copy)
    publication.close()
    assert not in_use(site_copy)


def test_a_missing_publication_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(PublicationError) as raised:
        Publication.open(tmp_path / "nothing")
    assert str(raised.value) == (
        f"there is no publication at {tmp_path / 'nothing'}: build one with "
        f"`openforum-ld build --out {tmp_path / 'nothing'}`"
    )


def test_a_file_is_not_a_publication(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("hello")
    with pytest.raises(PublicationError, match="is not a directory"):
        Publication.open(tmp_path / "site")


def test_a_directory_that_is_no_publication_says_so(tmp_path: Path) -> None:
    with pytest.raises(PublicationError, match=r"is not a publication \(it has no"):
        Publication.open(tmp_path)


def test_an_unfinished_build_is_refused(site_copy: Path) -> None:
    (site_copy / ".server" / "manifest.json").unlink()  # what a build killed early leaves
    with pytest.raises(PublicationError) as raised:
        Publication.open(site_copy)
    assert "is not a complete publication (its build did not finish)" in str(raised.value)
    assert f"`openforum-ld build --out {site_copy}`" in str(raised.value)


def test_a_publication_with_a_file_missing_is_refused(site_copy: Path) -> None:
    shutil.rmtree(site_copy / ".server" / "store")
    with pytest.raises(PublicationError, match=r"\.server/store/CURRENT missing"):
        Publication.open(site_copy)


def test_a_publication_of_an_earlier_version_is_refused(site_copy: Path) -> None:
    shutil.rmtree(site_copy / ".server")
    with pytest.raises(PublicationError, match="built by an earlier version of openforum-ld"):
        Publication.open(site_copy)


def test_a_publication_of_another_format_is_refused(site_copy: Path) -> None:
    manifest = site_copy / ".server" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format"] = PUBLICATION_FORMAT + 1
    data["software"] = "9.9"
    manifest.write_text(json.dumps(data))
    with pytest.raises(PublicationError) as raised:
        Publication.open(site_copy)
    message = str(raised.value)
    assert f"has publication format {PUBLICATION_FORMAT + 1} (built by openforum-ld 9.9)" in message
    assert f"reads format {PUBLICATION_FORMAT}: rebuild it with" in message


def test_a_manifest_that_cannot_be_read_is_refused(site_copy: Path) -> None:
    (site_copy / ".server" / "manifest.json").write_text('{"format": 1, "base"')
    with pytest.raises(PublicationError, match="has a manifest that cannot be read"):
        read_manifest(site_copy)


def test_a_publication_asked_for_under_another_base_is_refused(built_site: Path) -> None:
    with pytest.raises(PublicationError) as raised:
        Publication.open(built_site, "https://example.org/data/")
    assert str(raised.value) == (
        f"{built_site} was built for {LOCAL_BASE}, not for https://example.org/data/: serve it "
        f"without --base-uri, or rebuild it with "
        f"`openforum-ld build --out {built_site} --base-uri https://example.org/data/`"
    )


def test_a_publication_keeps_what_it_opened_when_a_build_replaces_it(
    site_copy: Path, tmp_path: Path
) -> None:
    publication = Publication.open(site_copy)
    try:
        before = (publication.root / "version.json").read_text()
        aside = tmp_path / "aside"
        site_copy.rename(aside)  # what a build's swap does to the old directory
        (site_copy / ".server").mkdir(parents=True)
        (site_copy / "version.json").write_text('{"version": "new"}')
        assert (publication.root / "version.json").read_text() == before
        assert publication.store_path.resolve().is_relative_to(aside.resolve())
    finally:
        publication.close()


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("openforum.ttl", "text/turtle"),
        ("openforum.nt.gz", "application/gzip"),
        ("x.trig", "application/trig"),
        ("x.nq", "application/n-quads"),
        ("x.jsonld", "application/ld+json"),
        ("x.rdf", "application/rdf+xml"),
        ("SHA256SUMS", "text/plain; charset=utf-8"),
        ("void", "text/turtle"),
        ("version.json", "application/json"),
        ("x.html", "text/html; charset=utf-8"),
        ("favicon.ico", "image/vnd.microsoft.icon"),
    ],
)
def test_published_files_have_their_media_types(name: str, media_type: str) -> None:
    assert media_type_of(name) == media_type


def test_server_files_are_in_no_record_of_the_publication(built_site: Path) -> None:
    record = (built_site / "build.ttl").read_text(encoding="utf-8")
    sums = (built_site / "dumps" / "SHA256SUMS").read_text(encoding="utf-8")
    assert ".server" not in record and ".server" not in sums
    assert f"<{LOCAL_BASE}.htaccess>" in record and f"<{LOCAL_BASE}.nginx.conf>" in record
    assert sorted(p.name for p in (built_site / ".server").iterdir()) == [
        "index.sqlite",
        "manifest.json",
        "store",
    ]
