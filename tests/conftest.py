"""Fixtures shared by the tests: settings, the forum's dataset and its report, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from openforum_ld.config import Settings
from openforum_ld.load import Dataset, load_dataset
from openforum_ld.validate import ValidationReport, validate_dataset

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
LOCAL_BASE = "http://127.0.0.1:8000/"


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's defaults, published under the address `serve` uses on a laptop."""
    return Settings.load(base_uri=LOCAL_BASE)


@pytest.fixture(scope="session")
def dataset(settings: Settings) -> Dataset:
    """The forum's dataset, loaded once."""
    return load_dataset(settings.data_dir, settings.ontology_dir, settings.base_uri)


@pytest.fixture(scope="session")
def report(dataset: Dataset, settings: Settings) -> ValidationReport:
    """The forum's validation report."""
    return validate_dataset(dataset, settings.shapes_dir)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    """The forum's publication, built once for the local base with a fixed date."""
    from openforum_ld import publish

    out = tmp_path_factory.mktemp("publication") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")  # 2020-12-01
        publish.build(settings, out)
    return out


@pytest.fixture
def runner() -> CliRunner:
    """A click runner for the `openforum-ld` command."""
    return CliRunner()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the forum's data directory."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """`openforum-ld serve` with the forum's data, one process, at its own address."""
    from .servers import openforum_server

    with openforum_server("--workers", "1") as server:
        yield server.url


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve-read-only` loaded with the build's dumps for the public base."""
    from openforum_ld import publish

    from .servers import oxigraph_server

    workdir = tmp_path_factory.mktemp("oxigraph")
    settings = Settings.load()  # the public base: the remote data does not move with our port
    publish.build(settings, workdir / "site", pages=False)
    with oxigraph_server(workdir / "site", workdir) as server:
        yield server.url + "query"


@pytest.fixture(scope="session")
def remote_server(oxigraph_endpoint: str) -> Iterator[str]:
    """`openforum-ld serve --endpoint` in front of the real Oxigraph server."""
    from .servers import openforum_server

    with openforum_server(
        "--workers",
        "1",
        "--endpoint",
        oxigraph_endpoint,
        "--base-uri",
        "https://w3id.org/openforum/",
    ) as server:
        yield server.url


@pytest.fixture(scope="session", params=["embedded", "remote"])
def endpoint_server(request: pytest.FixtureRequest) -> str:
    """The server on the embedded store, then the same server on a remote Oxigraph: the
    endpoint tests run on both."""
    return str(
        request.getfixturevalue("live_server" if request.param == "embedded" else "remote_server")
    )
