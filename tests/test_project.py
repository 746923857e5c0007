"""A forum project folder: openforum.toml, its data and sources, read with no options."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import httpx
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from openforum_ld.cli import main
from openforum_ld.config import Settings
from openforum_ld.errors import ConfigError
from openforum_ld.project import PROJECT_KEYS, find_project

from .conftest import ROOT, TEST_DATA
from .servers import openforum_server

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner

BASE = "https://forum.example.org/lab/"
LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"
PROJECT_TOML = f"""\
# The settings of a test forum.
base_uri = "{BASE}"
languages = ["en", "fr"]
release = "2027.1"

[licence]
url = "https://creativecommons.org/publicdomain/zero/1.0/"
name = "CC0 1.0"

[publisher]
name = "Civic Lab"
url = "https://civic-lab.example.org/"

[contact]
email = "data@civic-lab.example.org"
url = "https://civic-lab.example.org/contact"
feedback_url = "https://civic-lab.example.org/issues/new?title={{title}}"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A forum project folder holding a copy of the shipped forum and its settings."""
    folder = tmp_path / "lab-forum"
    folder.mkdir()
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "sources", folder / "sources")
    (folder / "openforum.toml").write_text(PROJECT_TOML, encoding="utf-8")
    return folder


@pytest.fixture
def spanish_project(tmp_path: Path) -> Path:
    """A project folder of the Spanish test forum, whose data has no English label."""
    folder = tmp_path / "foro"
    shutil.copytree(TEST_DATA / "spanish", folder / "data")
    (folder / "sources").mkdir()
    (folder / "openforum.toml").write_text(
        f'base_uri = "{BASE}"\nlanguages = ["es"]\n', encoding="utf-8"
    )
    return folder


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the session's cache directory stays: `serve` must never build into the user's.
    for name in list(os.environ):
        if name.startswith("OPENFORUM_LD_") and name != "OPENFORUM_LD_CACHE_DIR":
            monkeypatch.delenv(name)


def test_settings_come_from_the_folder_and_below_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    below = project / "data"
    monkeypatch.chdir(below)
    settings = Settings.load()
    assert settings.data_dir == project / "data"
    assert settings.sources_dir == project / "sources"
    assert settings.site_dir == project / "site"
    assert settings.ontology_dir == ROOT / "ontology"  # the folder has none of its own
    assert settings.shapes_dir == ROOT / "shapes"
    assert settings.base_uri == BASE
    assert settings.license == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert settings.license_name == "CC0 1.0"
    assert settings.publisher_name == "Civic Lab"
    assert settings.publisher_url == "https://civic-lab.example.org/"
    assert settings.contact_email == "data@civic-lab.example.org"
    assert settings.contact_url == "https://civic-lab.example.org/contact"
    assert settings.feedback_url == "https://civic-lab.example.org/issues/new?title={title}"
    assert settings.release == "2027.1"
    assert settings.languages == ("en", "fr")


def test_a_folder_with_its_own_shapes_uses_them(
    project: Path, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    shutil.copytree(ROOT / "shapes", project / "shapes")
    monkeypatch.chdir(project)
    assert Settings.load().shapes_dir == project / "shapes"


def test_outside_a_project_the_shipped_forum_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_project(tmp_path) is None
    assert Settings.load().data_dir == ROOT / "data"


def test_options_beat_the_environment_which_beats_the_file(
    project: Path, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("OPENFORUM_LD_PUBLISHER_NAME", "From the environment")
    monkeypatch.setenv("OPENFORUM_LD_LANGUAGES", "es en")
    settings = Settings.load(base_uri="https://option.example.org/")
    assert settings.publisher_name == "From the environment"
    assert settings.languages == ("es", "en")
    assert settings.base_uri == "https://option.example.org/"
    assert settings.license_name == "CC0 1.0"  # from the file: neither overrides it


def test_the_commands_use_the_folder_with_no_options(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    (project / "data" / "extra.trig").write_text(
        "<graph/extra> { <id/person/nobody> a <http://schema.org/Person> . }\n", encoding="utf-8"
    )
    monkeypatch.chdir(project)
    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "id/person/nobody" in result.stdout

    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://schema.org/Person> }"
    shipped = runner.invoke(main, ["query", query, "--format", "csv", "--data", str(ROOT / "data")])
    in_folder = runner.invoke(main, ["query", query, "--format", "csv"])
    assert shipped.exit_code == in_folder.exit_code == 0, in_folder.output
    assert shipped.stdout != in_folder.stdout


def test_build_publishes_under_the_configured_base_licence_and_publisher(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> None:
    monkeypatch.chdir(project / "data")
    result = runner.invoke(main, ["build", "--quiet"])
    assert result.exit_code == 0, result.output
    site = project / "site"
    catalog = rdflib.Graph().parse(site / "catalog.ttl", format="turtle")
    dataset = next(catalog.subjects(DCAT.distribution, None))
    assert str(dataset).startswith(BASE)
    assert (dataset, DCTERMS.license, rdflib.URIRef(LICENCE)) in catalog
    publisher = catalog.value(dataset, DCTERMS.publisher)
    assert catalog.value(publisher, FOAF.name) == rdflib.Literal("Civic Lab")
    assert (site / "releases" / "2027.1").is_dir()


def test_a_spanish_forum_validates_with_no_english_label(
    spanish_project: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    clean_environment: None,
) -> None:
    monkeypatch.chdir(spanish_project)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("OPENFORUM_LD_LANGUAGES", "en")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1, result.output
    assert 'main language ("en")' in result.stdout


def test_the_real_command_finds_the_folder(project: Path, clean_environment: None) -> None:
    (project / "openforum.toml").write_text('languages = ["en", "fr", 3]\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "openforum_ld", "validate"],
        cwd=project / "data",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Error: ../openforum.toml:1: languages must be a list"), (
        done.stderr
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'base_uri = "https://a.example/"\nlicence = [\n',
            "openforum.toml:2: Invalid value at the end",
        ),
        ('base_uri = "https://a.example/"\nrelease = \n', "openforum.toml:2:11: Invalid value"),
        ('base_uri = "https://a.example/"\n\nbase_url = "x"\n', "openforum.toml:3: unknown key"),
        (
            '[publisher]\nname = "A"\nwebsite = "https://a.example/"\n',
            "openforum.toml:3: unknown key 'publisher.website'",
        ),
        ("release = 2027\n", "openforum.toml:1: release must be a string"),
        ('\nlicence = "CC0"\n', "openforum.toml:2: licence is a table: [licence] with url, name"),
        ('release = "2027"\n', "openforum.toml:1: release must be a version"),
        ('\n[contact]\nemail = "nobody"\n', "openforum.toml:3: contact.email must be an e-mail"),
        (
            '[licence]\nname = "CC0"\nurl = "creativecommons.org"\n',
            "openforum.toml:3: licence.url must be an absolute http(s) URL",
        ),
        (
            'languages = ["es", "español"]\n',
            "openforum.toml:1: languages: 'español' is not a BCP 47",
        ),
        ("languages = []\n", "openforum.toml:1: languages must be a list"),
        ('publisher.url = "mailto:a@b.example"\n', "openforum.toml:1: publisher.url must be"),
    ],
)
def test_a_malformed_file_is_reported_at_its_line(
    project: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    clean_environment: None,
    text: str,
    expected: str,
) -> None:
    (project / "openforum.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)
    with pytest.raises(ConfigError) as raised:
        Settings.load()
    assert str(raised.value).startswith(expected), str(raised.value)
    result = runner.invoke(main, ["build", "--quiet"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: " + expected), result.stderr
    assert not (project / "site").exists()


def test_every_key_is_documented(clean_environment: None) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / "docs" / "openforum.example.toml").read_text(encoding="utf-8")
    for key in PROJECT_KEYS:
        assert f"`{key}`" in readme, key
        section, _, name = key.rpartition(".")
        assert f"\n{name} = " in example or f"\n# {name} = " in example, key
        if section:
            assert f"[{section}]" in example, section


def test_the_commented_example_is_a_valid_file(tmp_path: Path) -> None:
    shutil.copy(ROOT / "docs" / "openforum.example.toml", tmp_path / "openforum.toml")
    project = find_project(tmp_path)
    assert project is not None
    assert project.settings["languages"] == ("es", "en")
    assert project.settings["publisher_name"] == "Civic Lab"


def test_pages_fall_back_to_the_forums_main_language(
    spanish_project: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    clean_environment: None,
) -> None:
    # The talk gains an English label beside its Spanish one; it has no French label.
    (spanish_project / "data" / "english.trig").write_text(
        "<graph/minutes-1> { <id/talk/welcome> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Welcome"@en . }\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(spanish_project)
    result = runner.invoke(main, ["build", "--quiet"])
    assert result.exit_code == 0, result.output
    talk = spanish_project / "site" / "id" / "talk"
    in_english = (talk / "welcome.html").read_text(encoding="utf-8")
    in_french = (talk / "welcome.fr.html").read_text(encoding="utf-8")
    assert '<h1 lang="en" dir="auto">Welcome</h1>' in in_english
    assert '<h1 lang="es" dir="auto">Bienvenida</h1>' in in_french  # the main language, not English
    assert "Acta, sección 1" in in_french  # the source section, labelled in the main language
    home = (spanish_project / "site" / "index.html").read_text(encoding="utf-8")
    assert '"inLanguage": ["es"]' in home  # the data's languages, in the dataset markup
    assert '"name": "Foro de prueba: linked open data"' in home
    assert '"keywords": ["apertura"]' in home
    catalog = rdflib.Graph().parse(spanish_project / "site" / "catalog.ttl", format="turtle")
    titles = {str(t) for t in catalog.objects(None, DCTERMS.title)}
    assert "Foro de prueba: linked open data" in titles, titles


def test_serve_without_site_publishes_the_folders_forum_under_its_own_address(
    spanish_project: Path, clean_environment: None
) -> None:
    with openforum_server("--workers", "1", cwd=spanish_project) as server:
        page = httpx.get(server.url + "id/talk/welcome?lang=fr", timeout=30)
        turtle = httpx.get(
            server.url + "id/talk/welcome", headers={"Accept": "text/turtle"}, timeout=30
        )
    assert page.status_code == 200, page.text
    assert '<h1 lang="es" dir="auto">Bienvenida</h1>' in page.text
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    talk = rdflib.URIRef(server.url + "id/talk/welcome")  # its own address, not the file's base
    assert (talk, SKOS.prefLabel, rdflib.Literal("Bienvenida", lang="es")) in graph
