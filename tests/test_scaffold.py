"""`openforum-ld init`: a new forum project folder validates and builds at once, in its
languages, with every graph's provenance, and is never written over a folder in use."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
import yaml
from rdflib.namespace import DCAT

from openforum_ld.cli import main
from openforum_ld.config import Settings
from openforum_ld.iris import OFO, PROV, SKOS
from openforum_ld.mapping.from_rdf import rows_to_yaml
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.to_rdf import rows_to_quads
from openforum_ld.mapping.yaml_rows import read_rows
from openforum_ld.project import PROJECT_KEYS, find_project
from openforum_ld.scaffold import example_rows, example_sheets

if TYPE_CHECKING:
    from click.testing import CliRunner

BASE = "https://forum.example.org/next/"


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The project's openforum.toml must decide; the session's cache directory stays.
    for name in list(os.environ):
        if name.startswith("OPENFORUM_LD_") and name != "OPENFORUM_LD_CACHE_DIR":
            monkeypatch.delenv(name)


def _init(runner: CliRunner, folder: Path, *options: str, as_yaml: bool = True) -> None:
    result = runner.invoke(main, ["init", str(folder), *(["--yaml"] if as_yaml else []), *options])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("data_file", ["forum.xlsx", "forum.yaml"])
def test_a_new_project_validates_and_builds_under_its_base_with_every_graphs_source(
    data_file: str,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_environment: None,
) -> None:
    folder = tmp_path / "next-forum"
    _init(runner, folder, "--base-uri", BASE, as_yaml=data_file.endswith(".yaml"))
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md",
        f"data/{data_file}",
        "openforum.toml",
        "sources/example-minutes.txt",
    ]
    monkeypatch.chdir(folder)

    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] and report["results"] == [] and report["near_names"] == []

    result = runner.invoke(main, ["build", "--quiet"])
    assert result.exit_code == 0, result.output
    site = folder / "site"
    catalog = rdflib.Graph().parse(site / "catalog.ttl", format="turtle")
    dataset = next(catalog.subjects(DCAT.distribution, None))
    assert str(dataset).startswith(BASE)

    quads = list(ox.parse(path=site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    derived = {q.subject for q in quads if q.predicate == ox.NamedNode(PROV + "wasDerivedFrom")}
    assert len(graphs) > 2 and graphs <= derived, graphs - derived
    assert all(g.value.startswith(BASE + "graph/") for g in graphs)


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "in-use"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(main, ["init", str(folder), "--yaml"])
    assert result.exit_code == 2, result.output
    assert f"Error: {folder} is not empty: give a new or empty folder; nothing was written" in (
        result.output
    )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["in-use"]

    a_file = folder / "notes.txt"
    result = runner.invoke(main, ["init", str(a_file)])
    assert result.exit_code == 2, result.output
    assert f"Error: {a_file} is a file: give a new or empty folder" in result.output
    assert a_file.read_text(encoding="utf-8") == "mine\n"

    result = runner.invoke(main, ["init", str(tmp_path / "new"), "--languages", "es,e s"])
    assert result.exit_code == 2, result.output
    assert "'e s' is not a BCP 47 language tag" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["in-use"]


def test_an_empty_folder_is_filled(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    _init(runner, folder)
    assert (folder / "openforum.toml").is_file()


def test_a_spanish_project_has_spanish_as_its_main_language_and_validates(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    folder = tmp_path / "foro"
    _init(runner, folder, "--languages", "es,en")
    monkeypatch.chdir(folder)
    assert Settings.load().languages == ("es", "en")
    sheets = yaml.safe_load((folder / "data" / "forum.yaml").read_text(encoding="utf-8"))
    [forum] = sheets["forums"]
    assert forum["prefLabel@es"] == "Foro de ejemplo"
    assert forum["prefLabel@en"] == "Example Forum"
    [document] = sheets["documents"]
    assert document["inLanguage"] == "es"
    assert "Foro de ejemplo" in (folder / "sources" / "example-minutes.txt").read_text(
        encoding="utf-8"
    )

    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    # The same rows under English as the main language lack what a forum needs in it.
    monkeypatch.setenv("OPENFORUM_LD_LANGUAGES", "fr")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1, result.output
    assert 'main language ("fr")' in result.stdout


def test_the_example_has_one_row_in_every_sheet_an_organizer_fills() -> None:
    mapping = load_mapping()
    filled = [s.name for s in mapping.sheets if s.kind not in (None, "graph")]
    assert example_sheets() == filled
    rows = example_rows(("en", "fr"), 15)
    assert sorted(rows) == sorted(filled)
    assert all(len(rows[sheet]) == 1 for sheet in filled)


@pytest.mark.parametrize("languages", [("en", "fr"), ("es", "en"), ("sw",)])
def test_every_example_value_is_read_without_a_mistake_in_any_languages(
    languages: tuple[str, ...],
) -> None:
    text = rows_to_yaml(example_rows(languages, 15))
    rows = read_rows(Path("forum.yaml"), text)
    quads, _positions = rows_to_quads(load_mapping(), BASE, rows, set(), None, languages)
    labels = {
        q.object.language
        for q in quads
        if q.predicate.value == SKOS + "prefLabel"
        and isinstance(q.object, ox.Literal)
        and q.subject.value.startswith(BASE + "id/")
    }
    assert labels == set(languages)


def test_the_new_openforum_toml_shows_every_key_and_reads_back(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "keys"
    _init(runner, folder, "--base-uri", BASE, "--languages", "pt-BR,en")
    text = (folder / "openforum.toml").read_text(encoding="utf-8")
    for key in PROJECT_KEYS:
        section, _, name = key.rpartition(".")
        assert f"\n{name} = " in text or f"\n# {name} = " in text, key
        if section:
            assert f"\n[{section}]\n" in text, section
    project = find_project(folder)
    assert project is not None
    assert project.settings["base_uri"] == BASE
    assert project.settings["languages"] == ("pt-br", "en")


def test_a_section_has_its_moderator_and_place_and_the_moderators_page_lists_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    folder = tmp_path / "next-forum"
    _init(runner, folder, "--base-uri", BASE)
    monkeypatch.chdir(folder)
    sheets = yaml.safe_load((folder / "data" / "forum.yaml").read_text(encoding="utf-8"))
    [session] = sheets["sessions"]
    [place] = sheets["places"]
    moderator = session["moderator"]
    assert session["location"] == place["id"]

    result = runner.invoke(main, ["build", "--quiet"])
    assert result.exit_code == 0, result.output
    site = folder / "site"
    quads = ox.parse(path=site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
    session_iri = ox.NamedNode(f"{BASE}id/session/{session['id']}")
    stated = {(q.predicate.value, q.object.value) for q in quads if q.subject == session_iri}
    assert (OFO + "moderator", f"{BASE}id/person/{moderator}") in stated
    assert ("http://schema.org/location", f"{BASE}id/place/{place['id']}") in stated

    page = (site / "id" / "person" / f"{moderator}.html").read_text(encoding="utf-8")
    after_heading = page.split("<dt>Moderated</dt>", 1)[1]
    assert f"/session/{session['id']}.html" in after_heading.split("</dd>", 1)[0]
