"""The rewrite rules for static hosts, served by a real nginx and a real Apache httpd: entity IRIs,
languages, redirects, aliases and files answer as `openforum-ld serve` answers them, for the
clients the server is tested with."""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from openforum_ld import publish
from openforum_ld.config import Settings
from openforum_ld.errors import PublishError
from openforum_ld.i18n import LANGUAGES
from openforum_ld.publication import INDEX, SERVER_DIR
from openforum_ld.publish.rewrites import write_rewrite_rules
from openforum_ld.views.urls import page_in_language
from openforum_ld.web.files import media_type_of
from openforum_ld.web.negotiation import negotiate, negotiate_language
from openforum_ld.web.resources import ENTITY_OFFERS

from ..conftest import LOCAL_BASE
from ..nginx import find_debian_server, nginx_server, web_server
from ..servers import free_port
from ..web.test_resources import ENTITY_CLIENTS, PERSON

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..conftest import ReleasedSite

# Real nginx and Apache serving a build.
pytestmark = pytest.mark.slow

PREFIXED_BASE = "http://127.0.0.1:8000/openforum/"
HOSTS = ["nginx", "apache"]
#: The suffix of the twin each media type of an entity IRI is.
TWINS = {
    o.media_type: (o.format.suffix if o.format is not None else ".html") for o in ENTITY_OFFERS
}
#: Accept headers beyond the real clients', where the rules must choose as the server does.
MORE_ACCEPTS = [
    "text/turtle;q=0.5, application/ld+json",
    "application/ld+json;q=0.9, text/turtle;q=0.8",
    "text/html;q=0.1, text/turtle",
    "text/turtle ; q=0.7 , application/rdf+xml ; q=0.6",
    "application/n-quads, application/n-triples",
    "application/trig, application/n-quads",
    "application/n-quads;q=0.9, application/trig;q=0.5, */*;q=0.1",
    "*/*;q=0.1, application/rdf+xml;q=0.2",
    "application/x-turtle;q=1.0",
    "TEXT/TURTLE",
    "application/xml",
    "application/json, text/plain, */*",
    "text/*",
    "application/*",
    "",
]
#: Accept-Language headers, where the rules must choose as the server does.
ACCEPT_LANGUAGES = [
    "fr",
    "FR",
    "fr-FR",
    "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
    "en-GB,en;q=0.9,fr;q=0.8",
    "de-DE,de;q=0.9,fr;q=0.8,en;q=0.7",
    "de",
    "de, fr;q=0.5",
    "fr-CA, en;q=0.5",
    "fr;q=0.5, *;q=0.1",
    "*",
    "",
]


# ---------------------------------------------------------------------------------------- hosts


def redirect_table(site: Path) -> dict[str, str]:
    """The redirect table of a publication, as `serve` reads it."""
    with contextlib.closing(sqlite3.connect(site / SERVER_DIR / INDEX)) as index:
        return dict(index.execute("SELECT path, target FROM redirects"))


def _apache_config(prefix: Path, port: int, docroot: Path) -> str:
    modules = Path("/usr/lib/apache2/modules")
    loads = "\n".join(
        f"LoadModule {name}_module {modules / f'mod_{name}.so'}"
        for name in ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers")
    )
    # Apache will not serve as root: as root, its children run as nobody (hence a publication
    # every user may read, see `docroots`).
    nobody = pwd.getpwnam("nobody")
    user = f"User nobody\nGroup #{nobody.pw_gid}\n" if os.geteuid() == 0 else ""
    types = "/etc/mime.types" if Path("/etc/mime.types").exists() else os.devnull
    return f"""ServerRoot {prefix}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {prefix / "httpd.pid"}
DefaultRuntimeDir {prefix}
ErrorLog {prefix / "error.log"}
LogLevel warn
{user}{loads}
# As Debian's mime.conf has it: the rules must override what a host says of .gz.
TypesConfig {types}
AddType application/x-gzip .gz .tgz
DocumentRoot {docroot}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {docroot}>
    Options FollowSymLinks
    AllowOverride All
    Require all granted
</Directory>
"""


@contextlib.contextmanager
def apache_server(docroot: Path) -> Iterator[str]:
    """Apache httpd in the foreground, its own configuration and logs in a temporary directory,
    serving `docroot` with `AllowOverride All`; yields `http://127.0.0.1:PORT/`."""
    binary = find_debian_server("apache2", "apache2")
    with tempfile.TemporaryDirectory(prefix="openforum-apache-") as directory:
        prefix = Path(directory)
        port = free_port()
        config = prefix / "httpd.conf"
        config.write_text(_apache_config(prefix, port, docroot.resolve()), encoding="utf-8")
        argv = [binary, "-f", str(config), "-DFOREGROUND"]
        with web_server("Apache", argv, port, prefix / "error.log") as url:
            yield url


@contextlib.contextmanager
def static_host(kind: str, docroot: Path, site: Path) -> Iterator[str]:
    """nginx or Apache serving `docroot`, where the publication `site` is."""
    if kind == "nginx":
        with nginx_server(docroot, rules=site / ".nginx.conf") as url:
            yield url
    else:
        with apache_server(docroot) as url:
            yield url


@pytest.fixture(scope="module")
def docroots() -> Iterator[Path]:
    """A directory every user may read: run as root, Apache serves as nobody (pytest's own
    temporary directories are the owner's only)."""
    directory = Path(tempfile.mkdtemp(prefix="openforum-rewrites-"))
    directory.chmod(0o755)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def site(docroots: Path, built_site: Path) -> Path:
    """The forum's publication for the local base (path /) with its rewrite rules, a copy of the
    session's, which other tests read as it is."""
    root = docroots / "site"
    shutil.copytree(built_site, root)
    write_rewrite_rules(root, LOCAL_BASE, redirect_table(root))
    return root


@pytest.fixture(scope="module")
def prefixed_docroot(docroots: Path) -> Path:
    """A document root holding the forum's publication for a base with a path, at /openforum/."""
    docroot = docroots / "www"
    root = docroot / "openforum"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")
        publish.build(Settings.load(base_uri=PREFIXED_BASE), root)
    write_rewrite_rules(root, PREFIXED_BASE, redirect_table(root))
    return docroot


@pytest.fixture(scope="module", params=HOSTS)
def host(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    """The base URL of a static host serving `site` at /."""
    with static_host(request.param, site, site) as url:
        yield url


@pytest.fixture(scope="module", params=HOSTS)
def prefixed_host(request: pytest.FixtureRequest, prefixed_docroot: Path) -> Iterator[str]:
    """The base URL of a static host serving the publication for /openforum/."""
    site = prefixed_docroot / "openforum"
    with static_host(request.param, prefixed_docroot, site) as url:
        yield url + "openforum/"


def get(url: str, accept: str | None = "*/*", **headers: str) -> httpx.Response:
    """A GET that follows no redirect; `accept=None` sends no Accept header at all."""
    with httpx.Client() as client:
        if accept is None:
            del client.headers["accept"]
        else:
            headers["Accept"] = accept
        return client.get(url, headers=headers)


def media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def vary(response: httpx.Response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()}


def moved_to(response: httpx.Response) -> str:
    """Where a redirect points, as a path and query."""
    assert response.status_code == 301, (response.status_code, response.text[:200])
    target = urlsplit(urljoin(str(response.url), response.headers["location"]))
    return target.path + (f"?{target.query}" if target.query else "")


# ----------------------------------------------------------------------------------- the files


def test_the_rules_are_the_same_bytes_every_time(site: Path) -> None:
    first = {name: (site / name).read_bytes() for name in (".htaccess", ".nginx.conf")}
    assert write_rewrite_rules(site, LOCAL_BASE, redirect_table(site)) == [
        ".htaccess",
        ".nginx.conf",
    ]
    for name, written in first.items():
        assert (site / name).read_bytes() == written, name
        text = written.decode("utf-8")
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b|\d\d:\d\d:\d\d", text), name
        assert "\r" not in text and text.endswith("\n")


def test_every_redirect_has_a_rule(site: Path) -> None:
    redirects = redirect_table(site)
    htaccess = (site / ".htaccess").read_text(encoding="utf-8").splitlines()
    nginx = (site / ".nginx.conf").read_text(encoding="utf-8").splitlines()
    assert redirects
    for path, target in redirects.items():
        location = urlsplit(target).path
        assert any(
            line.startswith(f"RewriteRule ^{path}(") and f" {location}$1 [R=301" in line
            for line in htaccess
        ), path
        assert f'if ($ofld_entity = "{path}") {{ set $ofld_moved "{location}"; }}' in nginx, path


def test_a_base_path_the_rules_cannot_hold_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="base"):
        write_rewrite_rules(tmp_path, "http://127.0.0.1:8000/open forum/", {})
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------------------- entity IRIs


@pytest.mark.parametrize(
    ("client", "accept", "expected"), ENTITY_CLIENTS, ids=[c[0] for c in ENTITY_CLIENTS]
)
def test_entity_iris_answer_what_real_clients_ask_for(
    host: str, site: Path, client: str, accept: str | None, expected: str
) -> None:
    response = get(host + PERSON, accept)
    assert response.status_code == 200, response.text[:300]
    assert media(response) == expected
    assert response.content == (site / (PERSON + TWINS[expected])).read_bytes()
    assert "accept" in vary(response)
    assert f'</{PERSON}.ttl>; rel="alternate"; type="text/turtle"' in response.headers["link"]
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("accept", MORE_ACCEPTS)
def test_the_rules_choose_as_the_server_does(host: str, site: Path, accept: str) -> None:
    expected = negotiate(ENTITY_OFFERS, accept).media_type
    response = get(host + PERSON, accept)
    assert response.status_code == 200
    assert media(response) == expected
    assert response.content == (site / (PERSON + TWINS[expected])).read_bytes()


# -------------------------------------------------------------------------------- graph IRIs

GRAPH = "graph/report-vi"


@pytest.mark.parametrize(
    ("client", "accept", "expected"), ENTITY_CLIENTS, ids=[c[0] for c in ENTITY_CLIENTS]
)
def test_graph_iris_are_negotiated_as_entity_iris_are(
    host: str, site: Path, client: str, accept: str | None, expected: str
) -> None:
    response = get(host + GRAPH, accept)
    assert response.status_code == 200, response.text[:300]
    assert media(response) == expected
    assert response.content == (site / (GRAPH + TWINS[expected])).read_bytes()
    assert "accept" in vary(response)
    assert f'</{GRAPH}.ttl>; rel="alternate"; type="text/turtle"' in response.headers["link"]


def test_a_graph_page_is_in_the_readers_language(host: str, site: Path) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = get(host + GRAPH, browser, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 200
    assert response.content == (site / f"{GRAPH}.fr.html").read_bytes()
    assert "accept-language" in vary(response)
    assert get(host + GRAPH, "image/png").status_code == 406


def test_what_nothing_fits_is_not_acceptable(host: str) -> None:
    response = get(host + PERSON, "image/png")
    assert response.status_code == 406
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("key", "suffix"), [("turtle", ".ttl"), ("jsonld", ".jsonld"), ("html", ".html")]
)
def test_a_format_parameter_wins_over_accept(host: str, site: Path, key: str, suffix: str) -> None:
    response = get(f"{host}{PERSON}?format={key}", "application/rdf+xml")
    assert response.content == (site / (PERSON + suffix)).read_bytes()


@pytest.mark.parametrize("suffix", [".html", ".fr.html", *sorted(set(TWINS.values()) - {".html"})])
def test_twins_by_suffix(host: str, site: Path, suffix: str) -> None:
    response = get(host + PERSON + suffix, "application/rdf+xml")
    assert response.status_code == 200
    assert media(response) == media_type_of("x" + suffix).split(";")[0]
    assert response.content == (site / (PERSON + suffix)).read_bytes()
    assert 'rel="alternate"' in response.headers["link"]


def test_an_unknown_entity_is_the_404_page(host: str, site: Path) -> None:
    for path in ("id/person/nobody-at-all", "id/person/nobody-at-all.ttl", "id/nokind/x"):
        response = get(host + path, "text/turtle")
        assert response.status_code == 404, path
        assert response.content == (site / "404.html").read_bytes(), path
        assert response.headers["access-control-allow-origin"] == "*"
    french = get(host + "id/person/nobody-at-all", **{"Accept-Language": "fr"})
    assert french.status_code == 404
    assert french.content == (site / "404.fr.html").read_bytes()
    assert get(host + "id/person/nobody-at-all?lang=fr").content == french.content
    assert get(host + "nothing-here.txt?lang=fr").content == french.content
    assert (
        get(host + ".server/manifest.json", **{"Accept-Language": "fr"}).content == french.content
    )
    # Listing pages share the directory of entity pages, but are no entities.
    assert get(host + "id/person/index").status_code == 404


# ---------------------------------------------------------------------------------- languages


def test_the_interface_language(host: str, site: Path) -> None:
    english = (site / f"{PERSON}.html").read_bytes()
    french = (site / f"{PERSON}.fr.html").read_bytes()
    prefers_french = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}
    assert get(host + PERSON + "?lang=fr").content == french
    assert get(host + PERSON, **prefers_french).content == french
    assert get(host + PERSON + "?lang=en", **prefers_french).content == english
    assert "accept-language" in vary(get(host + PERSON, **prefers_french))
    assert get(host + PERSON + ".html?lang=fr").content == french
    assert get(host + PERSON + ".fr.html?lang=en").content == english
    # A page named by its file is in that file's language: the pages' links to their
    # translations name the files.
    assert get(host + PERSON + ".html", **prefers_french).content == english
    for path, file in (
        ("", "index"),
        ("id/person/", "id/person/index"),
        ("validation", "validation/index"),
        ("not-in-sources", "not-in-sources/index"),
        ("releases/", "releases/index"),
    ):
        response = get(host + path, **prefers_french)
        assert response.status_code == 200, path
        assert response.content == (site / f"{file}.fr.html").read_bytes(), path
        assert "accept-language" in vary(response), path
        assert get(host + path).content == (site / f"{file}.html").read_bytes(), path
        assert get(f"{host}{path}?lang=fr").content == response.content, path


@pytest.mark.parametrize("accept_language", ACCEPT_LANGUAGES)
def test_languages_are_chosen_as_the_server_does(
    host: str, site: Path, accept_language: str
) -> None:
    expected = negotiate_language(None, accept_language)
    assert expected in LANGUAGES
    response = get(host + PERSON, "text/html", **{"Accept-Language": accept_language})
    assert response.content == (site / page_in_language(f"{PERSON}.html", expected)).read_bytes()


# ---------------------------------------------------------------------------------- redirects


def test_every_variant_spelling_redirects(host: str, site: Path) -> None:
    suffixes = ["", ".html", ".fr.html", *sorted(set(TWINS.values()) - {".html"})]
    with httpx.Client() as client:
        for number, (path, target) in enumerate(sorted(redirect_table(site).items())):
            suffix = suffixes[number % len(suffixes)]
            response = client.get(host + path + suffix)
            assert moved_to(response) == urlsplit(target).path + suffix, path
            assert response.headers["access-control-allow-origin"] == "*"
            assert "link" not in response.headers


def test_redirects(host: str) -> None:
    assert moved_to(get(host + "id/person/john-martin")) == "/id/person/john-maritim"
    assert moved_to(get(host + "id/person/rudi-borrman.ttl")) == "/id/person/rudi-borrmann.ttl"
    moved = get(host + "id/person/john-martin?lang=fr", "text/turtle")
    assert moved_to(moved) == "/id/person/john-maritim?lang=fr"
    assert moved_to(get(host + "id/person")) == "/id/person/"
    assert moved_to(get(host + "id/person?lang=fr")) == "/id/person/?lang=fr"
    assert get(host + "id/no-such-kind").status_code == 404


# ------------------------------------------------------------------------ descriptions, files


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("catalog", "catalog.ttl"),
        (".well-known/void", ".well-known/void"),
        ("ontology", "ontology.ttl"),
        ("validation/", "validation/index.html"),
        ("not-in-sources/", "not-in-sources/index.html"),
        ("favicon.ico", "static/favicon.ico"),
    ],
)
def test_aliases(host: str, site: Path, path: str, file: str) -> None:
    response = get(host + path, None)
    assert response.status_code == 200
    assert media(response) == media_type_of(PurePosixPath(file).name).split(";")[0]
    assert response.content == (site / file).read_bytes()
    assert response.headers["access-control-allow-origin"] == "*"


def test_every_kind_of_file_has_its_type(host: str, site: Path) -> None:
    examples: dict[str, str] = {}
    for file in sorted(site.rglob("*")):
        relative = file.relative_to(site).as_posix()
        hidden = relative.startswith(".") and not relative.startswith(".well-known/")
        if file.is_file() and not hidden:
            examples.setdefault(file.suffix or relative, relative)
    assert {".gz", ".ttl", ".jsonld", ".rdf", ".trig", ".css", ".js", ".ico"} <= set(examples)
    for path in [*examples.values(), "dumps/openforum.nt.gz", "dumps/openforum.nq.gz"]:
        response = get(host + path)
        assert response.status_code == 200, path
        expected = media_type_of(PurePosixPath(path).name)
        assert media(response) == expected.split(";")[0], path
        if "charset=" in expected:
            assert "charset=utf-8" in response.headers["content-type"].lower(), path
        assert "content-encoding" not in response.headers, path
        assert response.content == (site / path).read_bytes(), path


@pytest.mark.parametrize(
    "path",
    [
        ".server/manifest.json",
        ".server/index.sqlite",
        ".server/",
        ".server",
        ".htaccess",
        ".nginx.conf",
        "%2eserver/manifest.json",
        "dumps/%2e%2e/.server/manifest.json",
        ".well-known/.hidden",
        "dumps/",
    ],
)
def test_private_files_are_not_served(host: str, site: Path, path: str) -> None:
    response = get(host + path)
    assert response.status_code == 404, path
    assert response.content == (site / "404.html").read_bytes(), path


# ------------------------------------------------------------------------ a base with a path


@pytest.mark.parametrize(
    ("client", "accept", "expected"), ENTITY_CLIENTS, ids=[c[0] for c in ENTITY_CLIENTS]
)
def test_a_base_with_a_path(
    prefixed_host: str, prefixed_docroot: Path, client: str, accept: str | None, expected: str
) -> None:
    site = prefixed_docroot / "openforum"
    response = get(prefixed_host + PERSON, accept)
    assert response.status_code == 200, response.text[:300]
    assert media(response) == expected
    assert response.content == (site / (PERSON + TWINS[expected])).read_bytes()
    assert f"</openforum/{PERSON}.nt>" in response.headers["link"]


def test_the_rest_under_a_base_with_a_path(prefixed_host: str, prefixed_docroot: Path) -> None:
    site = prefixed_docroot / "openforum"
    assert moved_to(get(prefixed_host.removesuffix("/"))) == "/openforum/"
    assert get(prefixed_host).content == (site / "index.html").read_bytes()
    french = get(prefixed_host + "validation", **{"Accept-Language": "fr"})
    assert french.content == (site / "validation/index.fr.html").read_bytes()
    assert moved_to(get(prefixed_host + "id/person/john-martin")) == (
        "/openforum/id/person/john-maritim"
    )
    assert moved_to(get(prefixed_host + "id/person/rudi-borrman.ttl")) == (
        "/openforum/id/person/rudi-borrmann.ttl"
    )
    assert moved_to(get(prefixed_host + "id/person")) == "/openforum/id/person/"
    catalog = get(prefixed_host + "catalog")
    assert media(catalog) == "text/turtle"
    assert catalog.content == (site / "catalog.ttl").read_bytes()
    assert media(get(prefixed_host + ".well-known/void")) == "text/turtle"
    assert get(prefixed_host + PERSON + ".fr.html").status_code == 200
    for private in (".server/manifest.json", ".htaccess", ".nginx.conf", "id/person/nobody"):
        response = get(prefixed_host + private)
        assert response.status_code == 404, private
        assert response.content == (site / "404.html").read_bytes(), private


@pytest.mark.parametrize("kind", HOSTS)
def test_a_static_host_serves_the_releases(
    kind: str, docroots: Path, released_site: ReleasedSite
) -> None:
    site = docroots / f"released-{kind}"
    shutil.copytree(released_site.out, site)
    prefers_french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    with static_host(kind, site, site) as host:
        for path in ("releases/", "releases/2026.2/", "releases/2026.1/"):
            english = get(host + path)
            assert english.status_code == 200, path
            assert english.content == (site / path / "index.html").read_bytes(), path
            french = get(host + path, **prefers_french)
            assert french.content == (site / path / "index.fr.html").read_bytes(), path
        for name, content in released_site.first_release.items():
            assert get(host + f"releases/2026.1/{name}").content == content, name
        assert get(host + "releases/2030.1/").status_code == 404
        assert moved_to(get(host + "releases")) == "/releases/"
