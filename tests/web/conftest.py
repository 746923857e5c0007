"""Fixtures of the web tests: a headless browser, and a server on the hostile test dataset."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, sync_playwright

from ..conftest import TEST_DATA, InProcessClient

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openforum_ld.config import Settings

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Chromium is needed (Debian package chromium; scripts/test installs it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def hostile_server() -> Iterator[str]:
    """`openforum-ld serve` on the small dataset whose literals carry markup and script."""
    from ..servers import openforum_server

    with openforum_server("--workers", "1", "--data", str(TEST_DATA / "hostile")) as server:
        yield server.url


@pytest.fixture(scope="session")
def hostile_client(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings
) -> Iterator[InProcessClient]:
    """The application, in process, on a publication of the hostile dataset."""
    from openforum_ld import publish
    from openforum_ld.publication import Publication

    site = tmp_path_factory.mktemp("hostile") / "site"
    publish.build(settings.with_(data_dir=TEST_DATA / "hostile"), site)
    publication = Publication.open(site)
    with InProcessClient.serving(publication, settings) as client:
        yield client
    publication.close()
