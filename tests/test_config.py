from __future__ import annotations

from pathlib import Path

import pytest

from openforum_ld.config import Settings, normalise_base_uri, settings_table
from openforum_ld.errors import ConfigError

from .conftest import ROOT


def test_defaults_point_at_the_projects_own_directories() -> None:
    settings = Settings.load()
    assert settings.data_dir == ROOT / "data"
    assert settings.shapes_dir == ROOT / "shapes"
    assert settings.base_uri == "https://w3id.org/openforum/"
    assert settings.store_dir is None


def test_environment_overrides_defaults_and_options_override_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENFORUM_LD_BASE_URI", "https://data.example.org/forum")
    monkeypatch.setenv("OPENFORUM_LD_DATA_DIR", "/srv/data")
    settings = Settings.load()
    assert settings.base_uri == "https://data.example.org/forum/"
    assert settings.data_dir == Path("/srv/data")
    assert Settings.load(base_uri="http://other.example/").base_uri == "http://other.example/"


@pytest.mark.parametrize(
    "bad", ["not a uri", "ftp://example.org/", "https://example.org/x?y=1", "/relative/"]
)
def test_a_base_uri_that_cannot_publish_is_refused(bad: str) -> None:
    with pytest.raises(ConfigError, match="base URI"):
        normalise_base_uri(bad)


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [env for env, _, _ in settings_table() if env not in readme]
    assert not missing, f"settings missing from README.md: {missing}"


def test_languages_come_from_the_environment_main_language_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings.load().languages == ("en", "fr")
    monkeypatch.setenv("OPENFORUM_LD_LANGUAGES", "es, pt-BR")
    settings = Settings.load()
    assert settings.languages == ("es", "pt-br")
    assert settings.main_language == "es"


@pytest.mark.parametrize("bad", [(), ("en_GB",), ("es", "e s")])
def test_languages_that_are_not_language_tags_are_refused(bad: tuple[str, ...]) -> None:
    with pytest.raises(ConfigError, match="languages must be BCP 47 language tags"):
        Settings(languages=bad)
