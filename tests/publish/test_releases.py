"""Releases: kept for good across builds, refused when they would change, described with DCAT 3
versioning, and with release notes that say which entities changed."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from typing import TYPE_CHECKING

import pyshacl
import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF

from openforum_ld.cli import main
from openforum_ld.errors import PublishError
from openforum_ld.publication import Release
from openforum_ld.publish.releases import Entities, compare_entities, read_releases

from ..conftest import LOCAL_BASE, ROOT
from .test_catalog import SPDX, _dcat_ap_shapes

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner

    from ..conftest import ReleasedSite

OFO = rdflib.Namespace("https://w3id.org/openforum/ontology#")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
#: rdflib's DCAT is DCAT 2, without the versioning terms of DCAT 3.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def _release(version: str) -> rdflib.URIRef:
    return rdflib.URIRef(f"{LOCAL_BASE}catalog#release-{version}")


def _catalog(site: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(site / "catalog.ttl", format="turtle")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".server" not in p.parts
    }


def test_a_second_release_keeps_the_first_byte_for_byte(released_site: ReleasedSite) -> None:
    kept = released_site.out / "releases" / "2026.1"
    assert released_site.first_release, "the first build wrote release 2026.1"
    for name, content in released_site.first_release.items():
        assert (kept / name).read_bytes() == content, name
    assert sorted(released_site.first_release) == sorted(
        [
            "SHA256SUMS",
            "openforum.jsonld",
            "openforum.nq.gz",
            "openforum.nt.gz",
            "openforum.rdf",
            "openforum.trig",
            "openforum.ttl",
            "release.json",
        ]
    )


def test_a_release_has_the_current_dumps_and_their_sums(released_site: ReleasedSite) -> None:
    out = released_site.out
    for dump in (out / "dumps").iterdir():
        assert (out / "releases" / "2026.2" / dump.name).read_bytes() == dump.read_bytes()
    sums = (out / "releases" / "2026.1" / "SHA256SUMS").read_text().splitlines()
    for line in sums:
        digest, name = line.split("  ")
        content = (out / "releases" / "2026.1" / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest, name


def test_the_catalog_versions_the_dataset_with_dcat_3(released_site: ReleasedSite) -> None:
    catalog = _catalog(released_site.out)
    dataset = rdflib.URIRef(LOCAL_BASE + "catalog#dataset")
    first, second = _release("2026.1"), _release("2026.2")
    assert set(catalog.objects(dataset, DCAT.hasVersion)) == {first, second}
    assert catalog.value(dataset, DCAT.hasCurrentVersion) == second
    assert str(catalog.value(dataset, DCAT.version)) == "2026.2"
    assert catalog.value(second, DCAT.previousVersion) == first
    assert catalog.value(first, DCAT.previousVersion) is None
    for release, version, issued in (
        (first, "2026.1", "2020-12-01"),
        (second, "2026.2", "2021-01-01"),
    ):
        assert (release, RDF.type, DCAT.Dataset) in catalog
        assert str(catalog.value(release, DCAT.version)) == version
        assert str(catalog.value(release, DCTERMS.issued)) == issued
        assert str(catalog.value(release, DCAT.landingPage)) == f"{LOCAL_BASE}releases/{version}/"
        assert catalog.value(release, DCTERMS.license) is not None
        titles = {t.language: str(t) for t in catalog.objects(release, DCTERMS.title)}
        current = {t.language: str(t) for t in catalog.objects(dataset, DCTERMS.title)}
        assert titles == {
            "en": f"{current['en']} (release {version})",
            "fr": f"{current['fr']} (version {version})",
        }


def test_the_void_names_the_versions(released_site: ReleasedSite) -> None:
    void = rdflib.Graph().parse(released_site.out / "void.ttl", format="turtle")
    dataset = rdflib.URIRef(LOCAL_BASE + "catalog#dataset")
    assert set(void.objects(dataset, DCAT.hasVersion)) == {_release("2026.1"), _release("2026.2")}
    assert void.value(dataset, DCAT.hasCurrentVersion) == _release("2026.2")


def test_each_release_has_its_distributions_with_true_sizes_and_checksums(
    released_site: ReleasedSite,
) -> None:
    catalog = _catalog(released_site.out)
    for version in ("2026.1", "2026.2"):
        distributions = list(catalog.objects(_release(version), DCAT.distribution))
        assert len(distributions) == 6
        for distribution in distributions:
            url = str(catalog.value(distribution, DCAT.downloadURL))
            assert url.startswith(f"{LOCAL_BASE}releases/{version}/"), url
            content = (released_site.out / url.removeprefix(LOCAL_BASE)).read_bytes()
            assert int(catalog.value(distribution, DCAT.byteSize)) == len(content)
            checksum = catalog.value(distribution, SPDX.checksum)
            assert str(catalog.value(checksum, SPDX.checksumValue)) == (
                hashlib.sha256(content).hexdigest()
            )
            assert catalog.value(distribution, DCAT.mediaType) is not None
            assert catalog.value(distribution, DCTERMS.format) is not None
            assert catalog.value(distribution, DCTERMS.license) is not None


def test_the_catalog_with_releases_has_no_dcat_ap_violations(released_site: ReleasedSite) -> None:
    conforms, _, text = pyshacl.validate(
        _catalog(released_site.out),
        shacl_graph=_dcat_ap_shapes(),
        inference="none",
        allow_warnings=True,
    )
    assert conforms, text


def test_the_release_notes_name_exactly_what_changed(released_site: ReleasedSite) -> None:
    record = json.loads((released_site.out / "releases" / "2026.2" / "release.json").read_text())
    notes = record["notes"]
    assert notes["since"] == "2026.1" and record["previous"] == "2026.1"
    assert [e["iri"] for e in notes["added"]] == [LOCAL_BASE + released_site.added]
    assert [e["iri"] for e in notes["removed"]] == [LOCAL_BASE + released_site.removed]
    assert notes["added"][0]["label"] == "Example Civic Lab"
    assert notes["removed"][0]["label"].startswith("Conclusion 12")
    changed = {e["iri"]: e["properties"] for e in notes["changed"]}
    assert changed[LOCAL_BASE + released_site.changed] == ["http://schema.org/jobTitle"]
    # The sections that mention the entities added and removed mention other things now.
    assert {
        iri: props for iri, props in changed.items() if iri.endswith(("report-ii", "web-expert"))
    } == {
        LOCAL_BASE + "id/section/report-ii": ["http://schema.org/mentions"],
        LOCAL_BASE + "id/section/web-expert": ["http://schema.org/mentions"],
    }
    assert len(changed) == 3


def test_the_release_notes_agree_with_the_two_dumps(released_site: ReleasedSite) -> None:
    """The notes, recomputed here from the two N-Triples dumps with rdflib."""

    def subjects(version: str) -> dict[str, set[tuple[str, str]]]:
        path = released_site.out / "releases" / version / "openforum.nt.gz"
        graph = rdflib.Graph().parse(data=gzip.decompress(path.read_bytes()), format="nt")
        found: dict[str, set[tuple[str, str]]] = {}
        for s, p, o in graph:
            if str(s).startswith(LOCAL_BASE + "id/"):
                found.setdefault(str(s), set()).add((str(p), o.n3()))
        return found

    before, after = subjects("2026.1"), subjects("2026.2")
    record = json.loads((released_site.out / "releases" / "2026.2" / "release.json").read_text())
    notes = record["notes"]
    assert {e["iri"] for e in notes["added"]} == after.keys() - before.keys()
    assert {e["iri"] for e in notes["removed"]} == before.keys() - after.keys()
    assert {e["iri"] for e in notes["changed"]} == {
        s for s in before.keys() & after.keys() if before[s] != after[s]
    }
    assert record["entities"] == len(after)


def test_the_release_notes_as_rdf(released_site: ReleasedSite) -> None:
    changes = rdflib.Graph().parse(released_site.out / "releases" / "2026.2" / "changes.ttl")
    release = _release("2026.2")
    assert changes.value(release, DCAT.previousVersion) == _release("2026.1")
    assert set(changes.objects(release, OFO.addedEntity)) == {
        rdflib.URIRef(LOCAL_BASE + released_site.added)
    }
    assert set(changes.objects(release, OFO.removedEntity)) == {
        rdflib.URIRef(LOCAL_BASE + released_site.removed)
    }
    assert rdflib.URIRef(LOCAL_BASE + released_site.changed) in set(
        changes.objects(release, OFO.changedEntity)
    )
    assert "added: 1, removed: 1, changed: 3" in str(changes.value(release, ADMS.versionNotes))
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "openforum.ttl")
    for term in ("addedEntity", "removedEntity", "changedEntity"):
        assert (OFO[term], RDF.type, rdflib.OWL.ObjectProperty) in ontology


def test_a_published_release_is_never_changed(
    released_site: ReleasedSite, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    shutil.copytree(released_site.out, out)
    before = _tree(out)
    command = ["build", "--out", str(out), "--base-uri", LOCAL_BASE, "--release", "2026.1"]
    changed = runner.invoke(main, [*command, "--data", str(released_site.data)])
    assert changed.exit_code == 2, changed.output
    assert "release 2026.1 is published already" in changed.stderr
    assert "a release never changes" in changed.stderr
    assert "Traceback" not in changed.output
    assert _tree(out) == before, "a refused build changes nothing"
    assert not list(tmp_path.glob(".site.build-*")), "nor leaves a partial build behind"

    # The same release built again from the same data (on another day) is the same release.
    same = runner.invoke(main, [*command, "--quiet"], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert same.exit_code == 0, same.output
    after = _tree(out)
    for name in released_site.first_release:
        path = f"releases/2026.1/{name}"
        assert after[path] == before[path], path
    assert json.loads(after["releases/2026.1/release.json"])["date"] == "2020-12-01"
    catalog = _catalog(out)
    assert str(catalog.value(rdflib.URIRef(LOCAL_BASE + "catalog#dataset"), DCAT.version)) == (
        "2026.1"
    )
    assert json.loads(after["version.json"])["release"] == "2026.1"


def test_a_release_older_than_the_latest_is_refused(
    released_site: ReleasedSite, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    shutil.copytree(released_site.out, out)
    result = runner.invoke(
        main,
        [
            "build",
            "--out",
            str(out),
            "--base-uri",
            LOCAL_BASE,
            "--data",
            str(released_site.data),
            "--release",
            "2025.4",
            "--quiet",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "would come before the latest release, 2026.2" in result.stderr


@pytest.mark.parametrize("version", ["v1", "2026", "2026.1.2.3", "2026.01", "2026.1-beta", "../x"])
def test_a_malformed_release_version_is_refused(
    runner: CliRunner, tmp_path: Path, version: str
) -> None:
    result = runner.invoke(main, ["build", "--out", str(tmp_path / "site"), "--release", version])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: release must be a version"), result.stderr
    assert repr(version) in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_release_setting_comes_from_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["build", "--out", str(tmp_path / "site")], env={"OPENFORUM_LD_RELEASE": "one"}
    )
    assert result.exit_code == 2 and "release must be a version" in result.stderr


def test_a_build_without_a_release_keeps_the_releases_and_says_what_is_unreleased(
    released_site: ReleasedSite, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    shutil.copytree(released_site.out, out)
    kept = {p: b for p, b in _tree(out).items() if p.startswith("releases/") and "html" not in p}
    # The forum's data as it was: what 2026.2 changed is undone, but not released.
    result = runner.invoke(main, ["build", "--out", str(out), "--base-uri", LOCAL_BASE, "--quiet"])
    assert result.exit_code == 0, result.output
    after = _tree(out)
    assert {p: after[p] for p in kept} == kept
    manifest = json.loads((out / ".server" / "manifest.json").read_text())
    assert manifest["release"] == ""
    unreleased = manifest["unreleased"]
    assert unreleased["since"] == "2026.2"
    assert [e["iri"] for e in unreleased["added"]] == [LOCAL_BASE + released_site.removed]
    assert [e["iri"] for e in unreleased["removed"]] == [LOCAL_BASE + released_site.added]
    catalog = _catalog(out)
    dataset = rdflib.URIRef(LOCAL_BASE + "catalog#dataset")
    assert catalog.value(dataset, DCAT.version) is None, "the current data is no release"
    assert catalog.value(dataset, DCAT.hasCurrentVersion) == _release("2026.2")
    assert "release" not in json.loads(after["version.json"])
    page = after["releases/index.html"].decode()
    assert "Changes not yet released" in page and "Conclusion 12" in page


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("releases/2026.1/release.json", "cannot read the release record"),
        ("releases/2026.1/openforum.ttl", r"release 2026\.1 has lost"),
        ("releases/2026.2/SHA256SUMS", r"release 2026\.2 has lost"),
    ],
)
def test_a_damaged_release_stops_the_build_rather_than_being_dropped(
    released_site: ReleasedSite, tmp_path: Path, damage: str, message: str
) -> None:
    out = tmp_path / "site"
    shutil.copytree(released_site.out, out)
    (out / damage).unlink()
    with pytest.raises(PublishError, match=message):
        read_releases(out)


def test_a_release_file_of_another_size_stops_the_build(
    released_site: ReleasedSite, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    shutil.copytree(released_site.out, out)
    with (out / "releases" / "2026.1" / "openforum.ttl").open("ab") as file:
        file.write(b"# appended\n")
    with pytest.raises(PublishError, match=r"but release 2026\.1 published"):
        read_releases(out)


def test_releases_are_read_in_the_order_of_their_numbers(tmp_path: Path) -> None:
    for version in ("2026.9", "2026.10", "2025.12"):
        place = tmp_path / "releases" / version
        place.mkdir(parents=True)
        release = Release(version, "2026-01-01", LOCAL_BASE, None, 0, 0, ())
        (place / "release.json").write_text(release.to_json())
        (place / "SHA256SUMS").write_text("")
    assert [r.version for r in read_releases(tmp_path)] == ["2025.12", "2026.9", "2026.10"]


def test_a_retired_iri_is_a_removed_entity_in_the_notes(tmp_path: Path) -> None:
    person = f"<{LOCAL_BASE}id/person/someone>"
    label = '<http://www.w3.org/2004/02/skos/core#prefLabel> "Someone"@en'
    before = tmp_path / "before.nt.gz"
    before.write_bytes(gzip.compress(f"{person} {label} .\n".encode()))
    after = tmp_path / "after.nt.gz"
    after.write_bytes(
        gzip.compress(
            f"{person} <http://www.w3.org/2002/07/owl#deprecated> "
            f'"true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
            f'{person} <http://www.w3.org/2000/01/rdf-schema#label> "Someone"@en .\n'.encode()
        )
    )
    notes = compare_entities(
        Entities.read(before, LOCAL_BASE), Entities.read(after, LOCAL_BASE), "2026.1"
    )
    assert [(e.iri, e.label) for e in notes.removed] == [
        (f"{LOCAL_BASE}id/person/someone", "Someone")
    ]
    assert notes.added == notes.changed == ()
