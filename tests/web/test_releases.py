"""The server shows the releases as the static site does: the list, each release's page in the
reader's language, and the release's files as they were published."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest

from openforum_ld.publication import Publication

from ..conftest import InProcessClient

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openforum_ld.config import Settings

    from ..conftest import ReleasedSite


@pytest.fixture(scope="module")
def client(released_site: ReleasedSite, settings: Settings) -> Iterator[InProcessClient]:
    publication = Publication.open(released_site.out)
    with InProcessClient.serving(publication, settings) as opened:
        yield opened
    publication.close()


def test_the_server_lists_the_releases(client: InProcessClient) -> None:
    response = client.get("/releases/", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/releases/2026.2/"' in response.text
    assert "1 added, 1 removed, 3 changed" in response.text


def test_the_server_shows_a_release_and_its_notes_in_the_readers_language(
    client: InProcessClient, released_site: ReleasedSite
) -> None:
    english = client.get("/releases/2026.2/")
    assert english.status_code == 200, english.text
    assert "Example Civic Lab" in english.text and "Conclusion 12" in english.text
    assert f'href="/{released_site.added}"' in english.text
    french = client.get("/releases/2026.2/", headers={"Accept-Language": "fr"})
    assert french.headers["content-language"] == "fr"
    assert "Notes de version" in french.text and "Ajoutées (1)" in french.text
    assert client.get("/releases/2026.2/?lang=fr").text.count("Retirées (1)") == 1


def test_the_server_sends_a_release_file_as_published(
    client: InProcessClient, released_site: ReleasedSite
) -> None:
    for name, content in released_site.first_release.items():
        response = client.get(f"/releases/2026.1/{name}", headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, name
        assert hashlib.sha256(response.content).digest() == hashlib.sha256(content).digest()
    notes = client.get("/releases/2026.2/changes.ttl")
    assert notes.status_code == 200 and notes.headers["content-type"].startswith("text/turtle")


def test_an_unknown_release_is_not_found(client: InProcessClient) -> None:
    response = client.get("/releases/2030.1/", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "there is no release 2030.1" in response.text


def test_the_releases_without_their_slash_redirect(client: InProcessClient) -> None:
    response = client.get("/releases?lang=fr")
    assert response.status_code == 301
    assert response.headers["location"] == "/releases/?lang=fr"


def test_a_release_page_signposts_what_to_cite_and_its_files(client: InProcessClient) -> None:
    base = client.base_url
    response = client.get("/releases/2026.1/")
    links = response.headers["link"]
    assert f'<{base}releases/2026.1/>; rel="cite-as"' in links
    assert f'<{base}catalog.ttl>; rel="describedby"; type="text/turtle"' in links
    assert f'<{base}releases/2026.1/openforum.nt.gz>; rel="item"; type="application/gzip"' in links
    assert f'<{base}releases/2026.1/openforum.ttl>; rel="item"; type="text/turtle"' in links
    assert 'rel="license"' in links  # from the middleware, as on every response
    assert f'<link rel="cite-as" href="{base}releases/2026.1/">' in response.text
