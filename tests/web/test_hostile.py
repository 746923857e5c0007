"""Data that carries markup and script is shown as text: in every page the server renders or the
build writes, in the JSON-LD embedded in them, and on the query page; a Content-Security-Policy
stops what escaping might miss."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

import html5lib
import pytest

from openforum_ld import publish
from openforum_ld.config import Settings

from ..conftest import TEST_DATA, InProcessClient

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from playwright.sync_api import Browser

# The hostile literals of tests/data/hostile, as a reader must see them.
HOSTILE = [
    'Bo <script>alert("xss-name")</script> Speaker',
    "\"><img src=x onerror=alert('xss-attr')>",
    "</script><script>alert('xss-end')</script> plans",
    "test <svg onload=alert('xss-svg')> portal",
    'Open everything {{ 7 * 7 }} ]]> <!-- --> <a href="javascript:alert(1)">x</a>.',
]
HOSTILE_QUERY = "SELECT * WHERE { ?s ?p ?o } # </textarea><script>alert('xss-query')</script>"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _document(html: str) -> Element:
    return html5lib.parse(html)  # type: ignore[no-any-return]


def _text(document: Element) -> str:
    body = document.find(f"{XHTML}body")
    assert body is not None
    return "".join(body.itertext())


def _active_content(document: Element, page: str) -> list[str]:
    """What in a parsed page could run code: inline scripts other than JSON-LD, event-handler
    attributes, javascript: URLs."""
    found = []
    for element in document.iter():
        tag = str(element.tag).removeprefix(XHTML)
        if (
            tag == "script"
            and element.get("type") != "application/ld+json"
            and not element.get("src")
        ):
            found.append(f"{page}: an inline <script>: {element.text!r}")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{page}: <{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and value.strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"{page}: <{tag} {name}={value!r}>")
    return found


def _embedded_json_ld(document: Element) -> list[object]:
    return [
        json.loads(element.text or "")
        for element in document.iter(f"{XHTML}script")
        if element.get("type") == "application/ld+json"
    ]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _crawl(client: InProcessClient, start: str, limit: int = 400) -> dict[str, str]:
    """The HTML pages reachable from `start` on its own server, by URL."""
    pages: dict[str, str] = {}
    queue = [start]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.status_code != 200 or not response.headers.get("content-type", "").startswith(
            "text/html"
        ):
            continue  # an RDF-only resource such as the catalog: no page to look at
        pages[url] = response.text
        for element in _document(response.text).iter(f"{XHTML}a"):
            link = urljoin(url, element.get("href", "")).split("#")[0]
            assert link.count("?") <= 1, f"{url} links to a malformed URL: {link}"
            # Query links are many; the queries below show the data through the query page.
            if link.startswith(start) and link not in pages and not _skipped(link[len(start) :]):
                queue.append(link)
    return pages


def _skipped(path: str) -> bool:
    return path.startswith(("dumps/", "sparql?"))


@pytest.fixture(scope="module")
def served_pages(hostile_client: InProcessClient) -> dict[str, str]:
    hostile_server = hostile_client.base_url
    client = hostile_client
    pages = _crawl(client, hostile_server)
    for query in (
        "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }",
        "CONSTRUCT WHERE { ?s <http://schema.org/name> ?o }",
        "SELECT ?url WHERE { ?s <http://schema.org/url> ?url }",
        HOSTILE_QUERY,
        HOSTILE_QUERY.replace("SELECT", "SELEKT"),  # a syntax error echoes the query
    ):
        url = f"{hostile_server}sparql?query={quote(query)}"
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code in (200, 400), url
        pages[url] = response.text
    search = f"{hostile_server}search?q={quote('<script>')}"
    pages[search] = client.get(search, headers={"Accept": "text/html"}).text
    return pages


def test_every_served_page_shows_hostile_literals_as_text(served_pages: dict[str, str]) -> None:
    assert len(served_pages) > 40, "the crawl should reach every entity of the test dataset"
    problems = [
        problem
        for url, html in served_pages.items()
        for problem in _active_content(_document(html), url)
    ]
    assert problems == []
    shown = "\n".join(_text(_document(html)) for html in served_pages.values())
    for literal in [*HOSTILE, HOSTILE_QUERY]:
        assert literal in shown, f"{literal!r} is not shown as text on any page"


def test_embedded_json_ld_keeps_hostile_literals_intact(served_pages: dict[str, str]) -> None:
    embedded = [
        value
        for html in served_pages.values()
        for data in _embedded_json_ld(_document(html))
        for value in _strings(data)
    ]
    schema_org_values = [HOSTILE[0], HOSTILE[2], HOSTILE[3], HOSTILE[4]]  # not the skos:altLabel
    for literal in schema_org_values:
        assert literal in embedded, f"{literal!r} is not in any page's JSON-LD, or altered"


def test_the_server_sends_a_restrictive_content_security_policy(
    hostile_client: InProcessClient,
) -> None:
    for path in ("", "id/person/bo-speaker", "sparql", "no/such/page", "sparql?query=nonsense"):
        response = hostile_client.get(path, headers={"Accept": "text/html"})
        policy = response.headers["content-security-policy"]
        directives = {
            name: value.strip()
            for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))
        }
        assert directives["default-src"] == "'none'"
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["frame-ancestors"] == "'none'"
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.slow  # a real browser on a real server process
def test_a_browser_runs_nothing_from_the_data(
    browser: Browser,
    hostile_server: str,
    hostile_client: InProcessClient,
    served_pages: dict[str, str],
) -> None:
    dialogs: list[str] = []
    errors: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    for url in served_pages:  # the pages found in process, from the real server
        page.goto(hostile_server + url.removeprefix(hostile_client.base_url))
        assert page.evaluate("document.querySelectorAll('img[src=x], svg[onload]').length") == 0
    page.goto(hostile_server + "id/person/bo-speaker")
    assert page.locator("h1").inner_text() == HOSTILE[0]
    embedded = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert HOSTILE[0] in _strings(embedded)
    page.goto(f"{hostile_server}sparql?query={quote(HOSTILE_QUERY)}")
    assert page.locator("textarea#query").input_value() == HOSTILE_QUERY
    page.close()
    assert dialogs == []
    # 4xx pages (a query with a syntax error) log their status; nothing else may be an error,
    # and a Content-Security-Policy report would mean something tried to run.
    assert [error for error in errors if "status of 4" not in error] == []


def test_every_built_page_shows_hostile_literals_as_text(tmp_path: Path) -> None:
    settings = Settings.load(data_dir=TEST_DATA / "hostile", base_uri="http://127.0.0.1:8000/")
    site = tmp_path / "site"
    publish.build(settings, site)
    pages = {path: path.read_text(encoding="utf-8") for path in site.rglob("*.html")}
    assert len(pages) > 40
    problems = [
        problem
        for path, html in pages.items()
        for problem in _active_content(_document(html), str(path.relative_to(site)))
    ]
    assert problems == []
    shown = "\n".join(_text(_document(html)) for html in pages.values())
    for literal in HOSTILE:
        assert literal in shown, f"{literal!r} is not shown as text in the built site"
    for html in pages.values():
        _assert_policy_in(html)


def _assert_policy_in(html: str) -> None:
    document = _document(html)
    for meta in document.iter(f"{XHTML}meta"):
        if meta.get("http-equiv", "").lower() == "content-security-policy":
            content = meta.get("content", "")
            assert "default-src 'none'" in content and "unsafe-inline" not in content
            return
    raise AssertionError("a built page has no Content-Security-Policy")


def test_iris_with_script_schemes_are_not_links(served_pages: dict[str, str]) -> None:
    # The test dataset's document has schema:url <javascript:alert('xss-iri')>.
    hrefs = [
        element.get("href", "")
        for html in served_pages.values()
        for element in _document(html).iter(f"{XHTML}a")
    ]
    assert not [href for href in hrefs if urlsplit(href).scheme == "javascript"]
    shown = "\n".join(_text(_document(html)) for html in served_pages.values())
    assert "javascript:alert('xss-iri')" in shown
