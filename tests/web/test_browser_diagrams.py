"""The diagrams in a real headless browser (Debian's Chromium, driven by Playwright): the agenda
and the tree of places on their pages and opened on their own, and each entity page's
neighbourhood drawn by its script from the JSON-LD twin, on the server and on the static site
served by nginx, under the Content-Security-Policy each sends."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
import pytest
from axe_playwright_python.sync_playwright import Axe

from ..conftest import ROOT
from ..nginx import nginx_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page

# A real headless browser on real servers.
pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "test-artifacts"
NEIGHBOUR_KINDS = ("person", "organization", "programme", "place")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


@pytest.fixture(scope="module")
def static_site(built_site: Path) -> Iterator[str]:
    """The forum's static site, served by nginx with the rewrite rules the build wrote."""
    with nginx_server(built_site) as url:
        yield url


class Watched:
    """A browser page and the errors its console and scripts report."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"{page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))


def _expected_neighbours(page_url: str, twin_href: str, iri: str) -> dict[str, str]:
    """The people, organizations, programmes and places linked to `iri` either way in its
    JSON-LD twin, read by a real JSON-LD parser: IRI -> English label."""
    twin = httpx.get(urljoin(page_url, twin_href), timeout=30)
    assert twin.status_code == 200, twin.text
    graph = ox.Store()
    graph.load(twin.content, format=ox.RdfFormat.JSON_LD)
    base = iri[: iri.index("/id/") + len("/id/")]
    linked = {
        term.value
        for quad in graph
        if quad.predicate != _RDF_TYPE and iri in (quad.subject.value, quad.object.value)
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode) and term.value != iri
    }
    chosen = {
        other
        for other in linked
        if other.startswith(base) and other[len(base) :].split("/")[0] in NEIGHBOUR_KINDS
    }
    labels = {
        quad.subject.value: quad.object.value
        for quad in graph.quads_for_pattern(None, _PREF_LABEL, None)
        if isinstance(quad.object, ox.Literal) and quad.object.language == "en"
    }
    return {other: labels.get(other, other.rsplit("/", 1)[-1]) for other in chosen}


def _drawn(watched: Watched, url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Open an entity page and wait for its neighbourhood: (drawn, expected), each as the URL of
    a neighbour's page -> its label."""
    page = watched.page
    page.goto(url)
    page.wait_for_selector("figure.neighbourhood svg a.node")
    assert page.locator("figure.neighbourhood").is_visible()
    figure = page.locator("figure.neighbourhood")
    expected = _expected_neighbours(
        url, figure.get_attribute("data-twin") or "", figure.get_attribute("data-iri") or ""
    )
    drawn = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('figure.neighbourhood a.node')]
             .map(a => [new URL(a.getAttribute('href'), document.baseURI).href,
                        a.querySelector('title').textContent]))"""
    )
    return drawn, expected


def _page_of(iri: str, site: str, suffix: str) -> str:
    return site + "id/" + iri.split("/id/", 1)[1] + suffix


def _forum_page(page: Page, site: str) -> str:
    """The forum's page, as the home page links to it."""
    page.goto(site)
    href = page.locator("section.forum h1 a").first.get_attribute("href") or ""
    return urljoin(site, href)


@pytest.mark.parametrize("start", ["forum", "id/place/morocco"])
def test_an_entity_page_on_the_server_draws_its_neighbourhood(
    browser: Browser, live_server: str, start: str
) -> None:
    watched = Watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    url = _forum_page(watched.page, live_server) if start == "forum" else live_server + start
    drawn, expected = _drawn(watched, url)
    assert expected, "the entity should have neighbours of the kinds drawn"
    assert set(drawn) == {_page_of(iri, live_server, "") for iri in expected}
    for iri, label in expected.items():
        assert drawn[_page_of(iri, live_server, "")].startswith(f"{label} ("), iri
    assert watched.errors == []
    if start == "forum":
        ARTIFACTS.mkdir(exist_ok=True)
        watched.page.screenshot(path=str(ARTIFACTS / "entity-neighbourhood.png"), full_page=True)
        violations = Axe().run(watched.page).response["violations"]
        assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    watched.page.close()


def test_an_entity_page_of_the_static_site_draws_its_neighbourhood(
    browser: Browser, static_site: str
) -> None:
    watched = Watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    for suffix in (".html", ".fr.html"):
        drawn, expected = _drawn(watched, static_site + "id/place/morocco" + suffix)
        assert expected
        assert set(drawn) == {_page_of(iri, static_site, suffix) for iri in expected}
        # A neighbour's box leads to its page.
        watched.page.locator("figure.neighbourhood a.node").first.click()
        watched.page.wait_for_load_state()
        assert watched.page.url in drawn
    # The French tree of places leads to the French pages (the rules serve them for ?lang=fr).
    watched.page.goto(static_site + "diagrams/places.fr.svg")
    first = watched.page.locator("a").first
    title = first.locator("title").text_content()
    first.click()
    watched.page.wait_for_load_state()
    assert watched.page.locator("html").get_attribute("lang") == "fr"
    assert watched.page.locator("h1").inner_text() == title
    assert watched.errors == []
    watched.page.close()


def test_without_javascript_the_neighbourhood_stays_hidden_and_the_lists_remain(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "id/place/morocco")
    assert page.locator("figure.neighbourhood").count() == 1
    assert not page.locator("figure.neighbourhood").is_visible()
    assert page.locator("dl.properties dt").count() > 0
    context.close()


def test_the_agenda_and_the_places_show_as_images_whose_boxes_lead_to_pages(
    browser: Browser, live_server: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    watched = Watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    page = watched.page
    for start, artifact in (("", "diagram-agenda.png"), ("id/place/", "diagram-places.png")):
        page.goto(live_server + start)
        image = page.locator("figure.diagram img")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "not drawn"
        image.screenshot(path=str(ARTIFACTS / artifact))
        source = image.evaluate("img => img.src")
        # Opened on its own, the drawing's boxes are links to the pages.
        page.goto(source)
        first = page.locator("a").first
        title = first.locator("title").text_content()
        first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == title
    assert watched.errors == []
    page.close()


def test_the_diagrams_fit_a_phone(browser: Browser, live_server: str) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    # The agenda keeps the size it was drawn at, to stay legible: it scrolls in its own box.
    page.goto(live_server)
    frame = page.locator("figure.diagram > a")
    assert frame.evaluate("box => box.getBoundingClientRect().right") <= 375
    assert frame.evaluate("box => box.scrollWidth > box.clientWidth")
    # The neighbourhood is drawn to the width of the page.
    page.goto(_forum_page(page, live_server))
    page.wait_for_selector("figure.neighbourhood svg a.node")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
    context.close()
