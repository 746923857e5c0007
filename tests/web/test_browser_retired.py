"""The tombstone and the URI policy in a real headless browser (Debian's Chromium driven by
Playwright), served by `openforum-ld serve` on the publication with retired IRIs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..conftest import WITHDRAWN
from ..servers import openforum_server
from .test_browser import _serious

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def retired_server(retired_site: Path) -> Iterator[str]:
    with openforum_server(str(retired_site), "--workers", "1") as server:
        yield server.url


@pytest.mark.parametrize(("language", "heading"), [("en", "Withdrawn"), ("fr", "Retiré")])
def test_a_reader_following_a_withdrawn_iri_learns_what_it_was_and_finds_the_policy(
    browser: Browser, retired_server: str, language: str, heading: str
) -> None:
    page = browser.new_page(locale=language)
    response = page.goto(retired_server + WITHDRAWN)
    assert response is not None and response.status == 410
    assert page.locator("h1").inner_text().startswith(heading)
    assert _serious(Axe().run(page)) == []
    page.locator("main a[href^='/uri-policy']").click()
    page.wait_for_url("**/uri-policy*")
    assert page.locator("main code", has_text=WITHDRAWN).count() == 1
    assert page.evaluate("document.documentElement.lang") == language
    assert _serious(Axe().run(page)) == []
    page.close()
