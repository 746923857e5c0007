"""A name in Arabic on a person's page, in a real headless browser: visible under the title and
laid out right to left."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..example_project import ARABIC_NAME, PERSON, example_project, project_environment
from ..servers import openforum_server
from .test_browser import ARTIFACTS, _serious

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`openforum-ld serve` run inside a project made by `init --yaml`, whose person is also
    named in Arabic: it publishes the project's forum under its own address."""
    folder = example_project(tmp_path_factory.mktemp("served") / "next-forum")
    with openforum_server("--workers", "1", cwd=folder, env=project_environment()) as server:
        yield server.url


def test_the_arabic_name_is_visible_and_right_to_left(
    browser: Browser, project_server: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for suffix in ("", "?lang=fr"):
        page.goto(f"{project_server}id/person/{PERSON}{suffix}")
        name = page.locator("p.other-names span[lang=ar]")
        assert name.is_visible()
        assert name.inner_text() == ARABIC_NAME
        assert name.evaluate("element => getComputedStyle(element).direction") == "rtl"
        # Laid out right to left: its first letter is drawn right of its last.
        first, last = name.evaluate(
            """element => {
                 const range = document.createRange();
                 const text = element.firstChild;
                 const at = (i) => { range.setStart(text, i); range.setEnd(text, i + 1);
                                      return range.getBoundingClientRect().left; };
                 return [at(0), at(text.length - 1)];
               }"""
        )
        assert first > last
        assert _serious(Axe().run(page)) == []
    page.screenshot(path=str(ARTIFACTS / "person-arabic-name.png"), full_page=True)
    page.close()
