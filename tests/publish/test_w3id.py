"""The w3id.org rules for the default base, served by a real Apache httpd as w3id.org serves
them (the file in a directory named for the path, `AllowOverride All`): every address under
https://w3id.org/openforum/ is forwarded to the configured host, path and query kept."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from openforum_ld.cli import main
from openforum_ld.config import Settings
from openforum_ld.errors import PublishError
from openforum_ld.publish.rewrites.w3id import (
    PLACEHOLDER_TARGET,
    W3ID_PATH,
    w3id_htaccess,
    w3id_readme,
)

from ..conftest import ROOT
from .test_rewrites import apache_server

if TYPE_CHECKING:
    from collections.abc import Iterator

    from click.testing import CliRunner

pytestmark = pytest.mark.slow

TARGETS = [PLACEHOLDER_TARGET, "https://data.example.net/pub/openforum/"]
#: (path under /openforum/, with its query)
PATHS = [
    "",
    "id/person/john-maritim",
    "id/person/john-maritim.ttl",
    "id/topic/",
    "dumps/openforum.trig.gz",
    "catalog",
    "sparql?query=ASK%20%7B%7D&format=json",
    "id/person/john-maritim?lang=fr",
    "graph/editorial",
]
ACCEPTS = [None, "text/html", "text/turtle", "application/ld+json;q=0.9, */*;q=0.1"]


@pytest.fixture(scope="module", params=TARGETS)
def w3id(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """Apache serving a document root with the rules in `openforum/`, as the w3id repository
    holds them; yields (its URL, the target the rules forward to)."""
    directory = Path(tempfile.mkdtemp(prefix="openforum-w3id-"))
    directory.chmod(0o755)
    rules = directory / W3ID_PATH
    rules.mkdir()
    rules.chmod(0o755)
    (rules / ".htaccess").write_text(w3id_htaccess(request.param), encoding="utf-8")
    (rules / ".htaccess").chmod(0o644)
    try:
        with apache_server(directory) as url:
            yield url, request.param
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_the_default_base_is_the_w3id_path() -> None:
    assert Settings().base_uri == f"https://w3id.org/{W3ID_PATH}/"


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("path", PATHS)
def test_every_address_is_forwarded_to_the_host(
    w3id: tuple[str, str], path: str, accept: str | None
) -> None:
    url, target = w3id
    with httpx.Client() as client:
        if accept is None:
            del client.headers["accept"]
        headers = {"Accept": accept} if accept else {}
        response = client.get(f"{url}{W3ID_PATH}/{path}", headers=headers)
        head = client.head(f"{url}{W3ID_PATH}/{path}", headers=headers)
    assert response.status_code == head.status_code == 302
    assert response.headers["location"] == head.headers["location"] == target + path


def test_a_post_stays_a_post(w3id: tuple[str, str]) -> None:
    """A SPARQL query sent by POST goes on as a POST (307), its body resent by the client."""
    url, target = w3id
    response = httpx.post(
        f"{url}{W3ID_PATH}/sparql",
        content="ASK {}",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 307
    assert response.headers["location"] == target + "sparql"


def test_an_encoded_path_stays_encoded(w3id: tuple[str, str]) -> None:
    url, target = w3id
    response = httpx.get(f"{url}{W3ID_PATH}/id/person/a%20b")
    assert response.headers["location"] == target + "id/person/a%20b"


def test_the_committed_rules_are_what_the_command_writes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENFORUM_LD_CONTACT_EMAIL", "OPENFORUM_LD_PUBLISHER_NAME"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(main, ["w3id", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "placeholder" in result.output and "OPENFORUM_LD_CONTACT_EMAIL" in result.output
    for name in (".htaccess", "README.md"):
        written = (tmp_path / name).read_text(encoding="utf-8")
        assert written == (ROOT / "deploy" / "w3id" / name).read_text(encoding="utf-8"), name
    assert (tmp_path / ".htaccess").read_text(encoding="utf-8") == w3id_htaccess()
    publisher = Settings().publisher_name
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme == w3id_readme(contact=(publisher, ""))
    assert "PLACEHOLDER" in w3id_htaccess() and "placeholder" in readme
    assert "no e-mail address is configured" in readme


def test_the_readme_names_the_configured_contact(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENFORUM_LD_CONTACT_EMAIL", "data@example.net")
    monkeypatch.setenv("OPENFORUM_LD_PUBLISHER_NAME", "Example Data Office")
    result = runner.invoke(main, ["w3id", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "Example Data Office <data@example.net>" in readme
    assert "no e-mail address" not in readme


def test_a_real_target_is_not_called_a_placeholder(runner: CliRunner, tmp_path: Path) -> None:
    target = "https://data.example.net/pub/openforum/"
    result = runner.invoke(main, ["w3id", "--target", target, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / ".htaccess").read_text(encoding="utf-8")
    assert target in text and "PLACEHOLDER" not in text


@pytest.mark.parametrize(
    "target",
    [
        "ftp://data.example.net/",
        "https://data.example.net",
        "/openforum/",
        "https://data.example.net/?x=1/",
        "https://data.example.net/$1/",
    ],
)
def test_a_target_the_rules_cannot_hold_is_refused(
    runner: CliRunner, tmp_path: Path, target: str
) -> None:
    with pytest.raises(PublishError, match="w3id target"):
        w3id_htaccess(target)
    result = runner.invoke(main, ["w3id", "--target", target, "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "w3id target" in result.output
    assert not list(tmp_path.iterdir())
