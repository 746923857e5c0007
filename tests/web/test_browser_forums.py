"""Two forums in one publication, in a real headless browser: the home page's list of forums
and a person's forums, each passing an accessibility check."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..servers import openforum_server
from .test_browser import ARTIFACTS, _serious

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser

    from openforum_ld.config import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_forums_server(two_forums_settings: Settings) -> Iterator[str]:
    """`openforum-ld serve --data` on both forums' data, with both forums' texts."""
    with openforum_server(
        "--workers",
        "1",
        "--data",
        str(two_forums_settings.data_dir),
        env={"OPENFORUM_LD_SOURCES_DIR": str(two_forums_settings.sources_dir)},
    ) as server:
        yield server.url


def test_the_forums_and_a_persons_forums_read_well(
    browser: Browser, two_forums_server: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(two_forums_server)
    forums = page.locator("nav.forums li a")
    assert forums.count() == 2
    forums.nth(1).click()
    assert page.url.endswith("#forum-2")
    assert page.locator("#forum-2").inner_text() == forums.nth(1).inner_text()
    page.screenshot(path=str(ARTIFACTS / "home-two-forums.png"), full_page=True)
    assert _serious(Axe().run(page)) == []

    page.goto(two_forums_server + "id/person/slobodan-milic")
    assert page.locator("section.at-each-forum h3").count() == 2
    page.screenshot(path=str(ARTIFACTS / "person-two-forums.png"), full_page=True)
    assert _serious(Axe().run(page)) == []
    page.close()
