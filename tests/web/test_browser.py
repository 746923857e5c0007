"""The pages in a real headless browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# A real headless browser on a real server.
pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "test-artifacts"


def _serious(results: object) -> list[str]:
    violations = results.response["violations"]  # type: ignore[attr-defined]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]


def test_home_and_entity_pages_render_and_pass_an_accessibility_check(
    browser: Browser, live_server: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server)
    assert page.locator("h1").first.inner_text() == "Open Smart Regions: Convergence for Openness"
    assert page.locator("ol.agenda > li").count() == 4
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    assert _serious(Axe().run(page)) == []

    page.goto(live_server + "id/person/john-maritim")
    assert page.locator("h1").inner_text() == "John Maritim"
    assert page.locator("dl.properties dt").count() >= 5
    page.screenshot(path=str(ARTIFACTS / "entity.png"), full_page=True)
    assert _serious(Axe().run(page)) == []
    page.close()


def test_the_language_switch_changes_the_interface(browser: Browser, live_server: str) -> None:
    page = browser.new_page()
    page.goto(live_server + "id/place/morocco")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Maroc"
    assert page.get_by_role("heading", name="Ce que disent les sources").count() == 1
    page.screenshot(path=str(ARTIFACTS / "entity-fr.png"), full_page=True)
    page.close()


def test_pages_fit_a_phone(browser: Browser, live_server: str) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(live_server + "id/talk/region-of-tangier-tetouan-al-hoceima")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
    page.screenshot(path=str(ARTIFACTS / "entity-phone.png"), full_page=True)
    context.close()


def test_everything_works_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server)
    page.get_by_role("searchbox").first.fill("ozurgeti")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_load_state()
    assert "ozurgeti" in page.url.lower()
    page.goto(live_server + "sparql")
    page.locator("textarea#query").fill(
        "SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://xmlns.com/foaf/0.1/name> ?name } ORDER BY ?name LIMIT 3"
    )
    page.get_by_role("button", name="Run the query").click()
    page.wait_for_load_state()
    assert page.locator("table.results tbody tr").count() == 3
    page.screenshot(path=str(ARTIFACTS / "sparql-no-js.png"), full_page=True)
    context.close()


def test_the_query_editor_loads_an_example_with_javascript(
    browser: Browser, live_server: str
) -> None:
    page = browser.new_page()
    page.goto(live_server + "sparql")
    page.wait_for_selector(".CodeMirror")
    page.get_by_role("link", name="Who moderated the forum?").click()
    assert "ofo:moderator" in page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.getValue()"
    )
    page.get_by_role("button", name="Run the query").click()
    page.wait_for_load_state()
    assert page.locator("table.results").inner_text().count("Tarik Nesh-Nash") == 1
    page.screenshot(path=str(ARTIFACTS / "sparql.png"), full_page=True)
    assert _serious(Axe().run(page)) == []
    page.close()


def test_keyboard_users_can_skip_to_the_content(browser: Browser, live_server: str) -> None:
    page = browser.new_page()
    page.goto(live_server + "id/person/john-maritim")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


def test_a_section_page_shows_its_text_beside_the_statements_taken_from_it(
    browser: Browser, live_server: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server + "id/person/john-maritim")
    source = page.locator("ul.source-list a[href*='/id/section/report-vii#L']").first
    line = source.get_attribute("href").rsplit("#", 1)[-1]  # type: ignore[union-attr]
    source.click()
    page.wait_for_load_state()
    target = page.locator(f"pre.source-lines #{line}")
    assert target.is_visible() and "Maritim" in target.inner_text()
    text = page.locator("pre.source-lines").bounding_box()
    taken = page.locator("div.taken").bounding_box()
    assert text is not None and taken is not None
    assert text["x"] + text["width"] <= taken["x"], "the text and the statements side by side"
    page.screenshot(path=str(ARTIFACTS / "section.png"), full_page=True)
    assert _serious(Axe().run(page)) == []
    page.close()


def test_a_reader_finds_what_the_sources_leave_out_and_the_rights_of_the_texts(
    browser: Browser, live_server: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server)
    page.get_by_role("link", name="Not in the sources").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Not in the sources"
    assert page.locator("ul.not-in-sources li").count() >= 10
    assert page.get_by_text("the venue", exact=True).count() == 1
    page.screenshot(path=str(ARTIFACTS / "not-in-sources.png"), full_page=True)
    assert _serious(Axe().run(page)) == []

    page.goto(live_server + "id/section/report-vi")
    rights = page.locator("section.source-rights")
    assert rights.get_by_role("heading", name="Rights and citation").count() == 1
    assert "rights stay with its authors" in rights.inner_text()
    assert (
        rights.locator("a").get_attribute("href", timeout=5000).endswith("sources/forum-report.txt")
    )
    assert page.locator("footer a.sources-rights").get_attribute("href") == "/#rights"
    assert _serious(Axe().run(page)) == []
    page.close()


def test_the_releases_pages_render_pass_an_accessibility_check_and_fit_a_phone(
    browser: Browser, live_server: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server)
    citation = page.locator("section.citation blockquote")
    assert "(version 2020.1) [Data set]." in citation.inner_text()
    assert citation.inner_text().endswith(live_server + "releases/2020.1/")
    page.get_by_role("link", name="Every release, with what it changed").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Releases"
    assert _serious(Axe().run(page)) == []
    page.get_by_role("link", name="2020.1", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Release 2020.1"
    assert page.locator("table.downloads tbody tr").count() == 6
    page.screenshot(path=str(ARTIFACTS / "release.png"), full_page=True)
    assert _serious(Axe().run(page)) == []
    page.close()
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server + "releases/2020.1/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
    context.close()
