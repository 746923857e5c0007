"""Retired IRIs, the URI policy and FAIR Signposting on static hosts: a real nginx and a real
Apache httpd serving the build's own rules answer as `openforum-ld serve` does."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from openforum_ld import publish
from openforum_ld.config import Settings

from ..conftest import RENAMED, TWINS, WITHDRAWN
from .test_rewrites import HOSTS, PREFIXED_BASE, get, moved_to, static_host, vary

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx

    from ..conftest import InProcessClient

pytestmark = pytest.mark.slow

#: The licence every response of the server names (the project's default).
LICENSE = Settings.load().license
#: The link relations of FAIR Signposting.
SIGNPOSTS = {"cite-as", "describedby", "item", "license", "type"}


@pytest.fixture(scope="module")
def served_site(retired_site: Path) -> Iterator[Path]:
    """A copy of the publication with retired IRIs, with the rules its build wrote, where every
    user may read it (Apache, run as root, serves as nobody)."""
    directory = Path(tempfile.mkdtemp(prefix="openforum-retired-"))
    directory.chmod(0o755)
    root = directory / "site"
    shutil.copytree(retired_site, root)
    yield root
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module", params=HOSTS)
def host(request: pytest.FixtureRequest, served_site: Path) -> Iterator[str]:
    with static_host(request.param, served_site, served_site) as url:
        yield url


def signposts(response: httpx.Response) -> set[tuple[str, str, str]]:
    """(rel, target, type) of every signpost in every Link header of a response."""
    found = set()
    for header in response.headers.get_list("link"):
        for part in header.split(", <"):
            target, _, params = part.lstrip("<").partition(">")
            values = {}
            for param in params.split(";"):
                name, _, value = param.strip().partition("=")
                values[name] = value.strip('"')
            if values.get("rel") in SIGNPOSTS:
                found.add((values["rel"], target, values.get("type", "")))
    return found


def _links(response: httpx.Response) -> set[tuple[str, str]]:
    """(rel, target) of every link in every Link header of a response."""
    return {
        (part.split('rel="')[1].split('"')[0], part.lstrip("<").split(">")[0])
        for header in response.headers.get_list("link")
        for part in header.split(", <")
        if 'rel="' in part
    }


@pytest.mark.parametrize("suffix", ["", *(suffix for suffix, _ in TWINS)])
def test_a_replaced_iri_moves_to_its_replacement(host: str, suffix: str) -> None:
    old, new = RENAMED
    assert moved_to(get(f"{host}{old}{suffix}")) == f"/{new}{suffix}"


@pytest.mark.parametrize(("language", "page"), [("en", ".html"), ("fr", ".fr.html")])
def test_a_withdrawn_iri_is_gone_with_its_tombstone(
    host: str, served_site: Path, retired_client: InProcessClient, language: str, page: str
) -> None:
    headers = {"Accept-Language": language}
    response = get(f"{host}{WITHDRAWN}", "text/html", **headers)
    assert response.status_code == 410
    assert response.headers["content-type"].split(";")[0] == "text/html"
    assert response.content == (served_site / f"{WITHDRAWN}{page}").read_bytes()
    served = retired_client.get(f"/{WITHDRAWN}", headers={"Accept": "text/html", **headers})
    assert _links(response) == _links(served) - {("license", LICENSE)}
    assert vary(response) >= {"accept", "accept-language"}


@pytest.mark.parametrize(("suffix", "media_type"), [t for t in TWINS if t[0] != ".html"])
def test_a_withdrawn_iri_gives_rdf_clients_its_record(
    host: str, served_site: Path, suffix: str, media_type: str
) -> None:
    negotiated = get(f"{host}{WITHDRAWN}", media_type)
    by_suffix = get(f"{host}{WITHDRAWN}{suffix}", "*/*")
    record = (served_site / f"{WITHDRAWN}{suffix}").read_bytes()
    for response in (negotiated, by_suffix):
        assert response.status_code == 410
        assert response.headers["content-type"].split(";")[0] == media_type
        assert response.content == record
        assert not signposts(response)
    assert "accept" in vary(negotiated)


@pytest.mark.parametrize("suffix", [".html", ".fr.html"])
def test_a_withdrawn_iris_page_by_its_file_name(host: str, served_site: Path, suffix: str) -> None:
    response = get(f"{host}{WITHDRAWN}{suffix}", "text/html")
    assert response.status_code == 410
    assert response.content == (served_site / f"{WITHDRAWN}{suffix}").read_bytes()
    assert "alternate" not in response.headers.get("link", "")


def test_gone_and_moved_as_the_server_answers(host: str, retired_client: InProcessClient) -> None:
    for path in (WITHDRAWN, RENAMED[0], f"{RENAMED[0]}.ttl"):
        static = get(f"{host}{path}", "text/html")
        served = retired_client.get(f"/{path}", headers={"Accept": "text/html"})
        assert static.status_code == served.status_code, path
        if served.status_code == 301:
            assert moved_to(static) == served.headers["location"], path


@pytest.mark.parametrize(("language", "page"), [("en", ".html"), ("fr", ".fr.html")])
def test_the_uri_policy_in_the_readers_language(
    host: str, served_site: Path, language: str, page: str
) -> None:
    response = get(f"{host}uri-policy", "text/html", **{"Accept-Language": language})
    assert response.status_code == 200
    assert response.content == (served_site / f"uri-policy{page}").read_bytes()
    assert "accept-language" in response.headers.get("vary", "").lower()


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("", "text/html"),
        (RENAMED[1], "text/html"),
        (RENAMED[1], "text/turtle"),
        (f"{RENAMED[1]}.jsonld", "*/*"),
        ("id/topic/accountability", "application/ld+json"),
    ],
)
def test_signposting_as_the_server_sends_it(
    host: str, retired_client: InProcessClient, path: str, accept: str
) -> None:
    static = get(f"{host}{path}", accept)
    served = retired_client.get(f"/{path}", headers={"Accept": accept})
    assert static.status_code == served.status_code == 200, path
    expected = signposts(served)
    assert {rel for rel, _, _ in expected} >= {"cite-as", "describedby", "license"}
    assert signposts(static) == expected


@pytest.fixture(scope="module")
def prefixed_docroot(retired_data: Path) -> Iterator[Path]:
    """A document root holding the publication with retired IRIs for a base with a path, at
    /openforum/, as a host behind the w3id redirect may serve it."""
    directory = Path(tempfile.mkdtemp(prefix="openforum-retired-prefixed-"))
    directory.chmod(0o755)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")
        publish.build(
            Settings.load(base_uri=PREFIXED_BASE, data_dir=retired_data), directory / "openforum"
        )
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module", params=HOSTS)
def prefixed_host(request: pytest.FixtureRequest, prefixed_docroot: Path) -> Iterator[str]:
    with static_host(request.param, prefixed_docroot, prefixed_docroot / "openforum") as url:
        yield url + "openforum/"


def test_under_a_base_with_a_path(prefixed_host: str, prefixed_docroot: Path) -> None:
    site = prefixed_docroot / "openforum"
    old, new = RENAMED
    assert moved_to(get(f"{prefixed_host}{old}.ttl")) == f"/openforum/{new}.ttl"
    gone = get(f"{prefixed_host}{WITHDRAWN}", "text/html", **{"Accept-Language": "fr"})
    assert gone.status_code == 410
    assert gone.content == (site / f"{WITHDRAWN}.fr.html").read_bytes()
    record = get(f"{prefixed_host}{WITHDRAWN}", "text/turtle")
    assert record.status_code == 410
    assert record.content == (site / f"{WITHDRAWN}.ttl").read_bytes()
    assert get(f"{prefixed_host}uri-policy", "text/html").status_code == 200
    entity = get(f"{prefixed_host}{new}", "text/html")
    assert ("cite-as", PREFIXED_BASE + new, "") in signposts(entity)
    home = get(prefixed_host, "text/html")
    assert ("cite-as", PREFIXED_BASE, "") in signposts(home)
