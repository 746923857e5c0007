"""Fixtures shared by the tests: settings, the forum's dataset and its report, a CLI runner."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import pytest
import rdflib
from click.testing import CliRunner

from openforum_ld.config import Settings
from openforum_ld.convert import convert_data
from openforum_ld.load import Dataset, load_dataset
from openforum_ld.validate import ValidationReport, validate_dataset

if TYPE_CHECKING:
    from collections.abc import Coroutine, Iterator

    from openforum_ld.publication import Publication

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
#: Every twin of an entity or graph IRI: its suffix and the media type it is served as.
TWINS = [
    (".html", "text/html"),
    (".ttl", "text/turtle"),
    (".jsonld", "application/ld+json"),
    (".nt", "application/n-triples"),
    (".rdf", "application/rdf+xml"),
    (".trig", "application/trig"),
    (".nq", "application/n-quads"),
]
TEST_DATA = Path(__file__).resolve().parent / "data"
LOCAL_BASE = "http://127.0.0.1:8000/"


def without_named_graph_constraints(shapes: rdflib.Graph) -> rdflib.Graph:
    """The shapes without the SPARQL constraints that read named graphs (which forum a
    statement comes from): a processor given one graph, as plain pyshacl is, cannot run them;
    the build runs them on the store. There is one such constraint."""
    from rdflib.namespace import SH

    reads_graphs = [
        constraint
        for constraint, query in shapes.subject_objects(SH.select)
        if "GRAPH " in str(query)
    ]
    assert len(reads_graphs) == 1
    kept = rdflib.Graph()
    for triple in shapes:
        kept.add(triple)
    for constraint in reads_graphs:
        kept.remove((None, SH.sparql, constraint))
    return kept


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's defaults, published under the address `serve` uses on a laptop."""
    return Settings.load(base_uri=LOCAL_BASE)


@pytest.fixture(scope="session")
def dataset(settings: Settings) -> Dataset:
    """The forum's dataset, loaded once."""
    return load_dataset(settings.data_dir, settings.ontology_dir, settings.base_uri)


@pytest.fixture(scope="session")
def union_triples(dataset: Dataset) -> int:
    """How many distinct triples the forum's data graphs hold together (the default graph)."""
    [row] = dataset.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(row["n"].value)


@pytest.fixture(scope="session")
def entities_of_kind(dataset: Dataset) -> dict[str, int]:
    """How many entities of each kind (`{base}id/{kind}/...`) the forum's data describes."""
    rows = dataset.store.select("SELECT ?s WHERE { ?s a ?class } GROUP BY ?s")
    prefix = dataset.iris.base + "id/"
    counts: dict[str, int] = {}
    for row in rows:
        iri = row["s"].value
        if iri.startswith(prefix):
            kind = iri[len(prefix) :].split("/", 1)[0]
            counts[kind] = counts.get(kind, 0) + 1
    return counts


@pytest.fixture(scope="session")
def shape_count() -> int:
    """How many node shapes `shapes/` declares."""
    graph = rdflib.Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path)
    return len(set(graph.subjects(rdflib.RDF.type, rdflib.SH.NodeShape)))


@pytest.fixture(scope="session")
def report(dataset: Dataset, settings: Settings) -> ValidationReport:
    """The forum's validation report."""
    return validate_dataset(dataset, settings.shapes_dir)


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where `serve` without SITE builds: a directory of the test session, never the user's."""
    path = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPENFORUM_LD_CACHE_DIR", str(path))
        yield path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    """The forum's publication, built once for the local base with a fixed date."""
    from openforum_ld import publish

    out = tmp_path_factory.mktemp("publication") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")  # 2020-12-01
        publish.build(settings, out)
    return out


@dataclass(frozen=True)
class ReleasedSite:
    """A publication built twice into the same directory: release 2026.1 of the forum's data,
    then release 2026.2 of a copy changed in the ways named here."""

    out: Path
    data: Path  # the changed copy of the data
    first_release: dict[str, bytes]  # release 2026.1's files as the first build wrote them
    added: str
    removed: str
    changed: str


def change_data(data: Path) -> tuple[str, str, str]:
    """Change a copy of the forum's data: add an organization, remove conclusion 12 (its
    statements in the report and its editorial labels), give Tarik Nesh-Nash another job title.
    The IRIs (relative to the base) added, removed and changed."""
    for name in ("report-ii.trig", "editorial.trig"):
        path = data / name
        kept, dropping = [], False
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            dropping = dropping or line.startswith("    conclusion:12 ")
            if not dropping:
                kept.append(line)
            elif line.rstrip().endswith(" ."):
                dropping = False
        path.write_text("".join(kept), encoding="utf-8")
    card = data / "web-expert.trig"
    text = card.read_text(encoding="utf-8")
    title = 'schema:jobTitle "Open Government Expert"@en .'
    assert title in text
    card.write_text(
        text.replace(
            title,
            'schema:jobTitle "Open Government Adviser"@en .\n\n'
            "    organization:example-civic-lab a schema:Organization, foaf:Organization, "
            "org:FormalOrganization ;\n"
            '        skos:prefLabel "Example Civic Lab"@en ;\n'
            '        schema:name "Example Civic Lab"@en .',
        ),
        encoding="utf-8",
    )
    return "id/organization/example-civic-lab", "id/conclusion/12", "id/person/tarik-nesh-nash"


@pytest.fixture(scope="session")
def released_site(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> ReleasedSite:
    """Two releases in one publication: 2026.1 (2020-12-01) of the forum's data, then 2026.2
    (2021-01-01) of a changed copy."""
    from openforum_ld import publish

    root = tmp_path_factory.mktemp("releases")
    out, data = root / "site", root / "data"
    shutil.copytree(ROOT / "data", data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")  # 2020-12-01
        publish.build(settings.with_(data_dir=data, release="2026.1"), out)
        first = {
            p.name: p.read_bytes()
            for p in (out / "releases" / "2026.1").iterdir()
            if p.suffix != ".html"  # pages are written anew by every build
        }
        added, removed, changed = change_data(data)
        patch.setenv("SOURCE_DATE_EPOCH", "1609459200")  # 2021-01-01
        publish.build(settings.with_(data_dir=data, release="2026.2"), out)
    return ReleasedSite(out, data, first, added, removed, changed)


#: The retired IRIs of tests/data/retired: one renamed (with its replacement), one withdrawn.
RENAMED = ("id/person/ahmed-lamoumri", "id/person/ahmed-laamoumri")
WITHDRAWN = "id/topic/smart-villages"


@pytest.fixture(scope="session")
def retired_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The forum's data and graph/retired of tests/data/retired, described in sources.trig as
    every graph is: a later edition of the data that retired two IRIs."""
    target = tmp_path_factory.mktemp("retired") / "data"
    shutil.copytree(ROOT / "data", target)
    retired = TEST_DATA / "retired"
    shutil.copy(retired / "retired.trig", target / "retired.trig")
    with (target / "sources.trig").open("a", encoding="utf-8") as sources:
        sources.write((retired / "sources-retired.trig").read_text(encoding="utf-8"))
    return target


@pytest.fixture(scope="session")
def retired_site(tmp_path_factory: pytest.TempPathFactory, retired_data: Path) -> Path:
    """The publication of `retired_data` for the local base, with a fixed date."""
    from openforum_ld import publish

    out = tmp_path_factory.mktemp("retired-publication") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")
        publish.build(Settings.load(base_uri=LOCAL_BASE, data_dir=retired_data), out)
    return out


@pytest.fixture(scope="session")
def retired_client(retired_site: Path) -> Iterator[InProcessClient]:
    """The application on `retired_site`, in this process."""
    from openforum_ld.publication import Publication

    opened = Publication.open(retired_site)
    try:
        with InProcessClient.serving(opened, Settings.load(base_uri=LOCAL_BASE)) as client:
            yield client
    finally:
        opened.close()


@pytest.fixture(scope="session")
def publication(built_site: Path) -> Iterator[Publication]:
    """The forum's publication, opened as a server opens it."""
    from openforum_ld.publication import Publication

    opened = Publication.open(built_site)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def app_client(publication: Publication, settings: Settings) -> Iterator[InProcessClient]:
    """The application on the forum's publication, called in this process through httpx's ASGI
    transport; its jobs run in threads here rather than in worker processes."""
    with InProcessClient.serving(publication, settings) as opened:
        yield opened


@pytest.fixture
def runner() -> CliRunner:
    """A click runner for the `openforum-ld` command."""
    return CliRunner()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the forum's data directory."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """`openforum-ld serve` as the README's first command runs it (the forum, built for the
    server's own address), one server process; the forum's config names a release."""
    from .servers import openforum_server

    with openforum_server("--workers", "1", env={"OPENFORUM_LD_RELEASE": "2020.1"}) as server:
        yield server.url


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The forum's publication for the public base, as a release would publish it."""
    from openforum_ld import publish

    out = tmp_path_factory.mktemp("public") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")
        publish.build(Settings.load(), out)
    return out


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory, public_site: Path) -> Iterator[str]:
    """A real `oxigraph serve-read-only` loaded with the public publication's dumps as the
    README says: the named graphs, and the union in `<base>graph/union`."""
    from .servers import oxigraph_server

    workdir = tmp_path_factory.mktemp("oxigraph")
    with oxigraph_server(public_site, workdir) as server:
        yield server.url + "query"


@pytest.fixture(scope="session")
def remote_server(oxigraph_endpoint: str, public_site: Path) -> Iterator[str]:
    """`openforum-ld serve SITE --endpoint` in front of the real Oxigraph server."""
    from .servers import openforum_server

    with openforum_server(
        str(public_site), "--workers", "1", "--endpoint", oxigraph_endpoint
    ) as server:
        yield server.url


@pytest.fixture(scope="session")
def virtuoso_endpoint(tmp_path_factory: pytest.TempPathFactory, public_site: Path) -> Iterator[str]:
    """A real OpenLink Virtuoso holding the public publication's dumps as the README says."""
    from .virtuoso import virtuoso_server

    workdir = tmp_path_factory.mktemp("virtuoso")
    base = Settings.load().base_uri
    with virtuoso_server(public_site, workdir, base + "graph/union") as server:
        yield server.url


@pytest.fixture(scope="session")
def virtuoso_server(virtuoso_endpoint: str, public_site: Path) -> Iterator[str]:
    """`openforum-ld serve SITE --endpoint` in front of the real Virtuoso."""
    from .servers import openforum_server

    with openforum_server(
        str(public_site), "--workers", "1", "--endpoint", virtuoso_endpoint
    ) as server:
        yield server.url


@pytest.fixture(
    scope="session",
    params=[
        "embedded",
        pytest.param("oxigraph", marks=pytest.mark.slow),
        pytest.param("virtuoso", marks=pytest.mark.slow),
    ],
)
def endpoint(
    request: pytest.FixtureRequest, app_client: InProcessClient
) -> Iterator[InProcessClient | httpx.Client]:
    """The server on the publication's store (in process), then real servers in front of a
    remote Oxigraph and a remote Virtuoso: the endpoint tests run on all three."""
    if request.param == "embedded":
        yield app_client
        return
    server = "remote_server" if request.param == "oxigraph" else "virtuoso_server"
    with httpx.Client(base_url=request.getfixturevalue(server), timeout=60) as remote:
        yield remote


@pytest.fixture(scope="session", params=["embedded", "remote"])
def endpoint_url(request: pytest.FixtureRequest) -> str:
    """The URL of a real server on the publication's store, then of one on a remote Oxigraph:
    for clients that make their own HTTP requests (SPARQLWrapper, rdflib)."""
    server = "live_server" if request.param == "embedded" else "remote_server"
    return str(request.getfixturevalue(server))


class InProcessClient:
    """httpx's ASGI transport on `create_app`, driven from synchronous tests: requests go to
    the application in this process, with no server and no socket. Its event loop runs in a
    thread of its own, so a test that has one running already (Playwright's) does not matter."""

    def __init__(self, app: Any, base_url: str) -> None:
        self.base_url = base_url
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
            base_url=base_url,
        )

    @classmethod
    @contextlib.contextmanager
    def serving(cls, publication: Publication, settings: Settings) -> Iterator[InProcessClient]:
        """A client of the app serving `publication`, with its jobs run in this process."""
        from openforum_ld.iris import Iris
        from openforum_ld.web.app import create_app
        from openforum_ld.web.engine import InlineEngine, publication_context

        context = publication_context(publication, Iris(publication.manifest.base))
        app = create_app(settings, publication, InlineEngine(context))
        opened = cls(app, publication.manifest.base)
        try:
            yield opened
        finally:
            opened.close()

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=120)

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        return self._run(self._client.request(method, url, **options))

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def head(self, url: str, **options: Any) -> httpx.Response:
        return self.request("HEAD", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)

    def put(self, url: str, **options: Any) -> httpx.Response:
        return self.request("PUT", url, **options)

    def options(self, url: str, **options: Any) -> httpx.Response:
        return self.request("OPTIONS", url, **options)

    def close(self) -> None:
        self._run(self._client.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture(scope="session")
def two_forums_settings(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Settings:
    """The project's settings with a data and a sources directory holding the shipped forum and
    the second test forum (tests/data/second-forum/)."""
    from .forums import two_forums

    data, sources = two_forums(tmp_path_factory.mktemp("two-forums"))
    return settings.with_(data_dir=data, sources_dir=sources)


@pytest.fixture(scope="session")
def two_forums_dataset(two_forums_settings: Settings) -> Dataset:
    """Both forums' dataset, loaded once."""
    s = two_forums_settings
    return load_dataset(s.data_dir, s.ontology_dir, s.base_uri)


@pytest.fixture(scope="session")
def two_forums_site(
    tmp_path_factory: pytest.TempPathFactory, two_forums_settings: Settings
) -> Path:
    """Both forums' publication, built once for the local base with a fixed date."""
    from openforum_ld import publish

    out = tmp_path_factory.mktemp("two-forums-publication") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1625097600")  # 2021-07-01
        publish.build(two_forums_settings, out)
    return out


@pytest.fixture(scope="session")
def two_forums_client(
    two_forums_site: Path, two_forums_settings: Settings
) -> Iterator[InProcessClient]:
    """The application on both forums' publication, in this process."""
    from openforum_ld.publication import Publication

    opened = Publication.open(two_forums_site)
    try:
        with InProcessClient.serving(opened, two_forums_settings) as client:
            yield client
    finally:
        opened.close()


@pytest.fixture(scope="session")
def forum_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ converted to one workbook, with the shapes' help in English and French. Not to be
    changed."""
    target = tmp_path_factory.mktemp("forum-workbook") / "forum.xlsx"
    convert_data(ROOT / "data", target, LOCAL_BASE, ROOT / "sources", ("en", "fr"), ROOT / "shapes")
    return target


@pytest.fixture
def workbook_copy(forum_workbook: Path, tmp_path: Path) -> Path:
    """A data directory holding a writable copy of the forum's workbook, and nothing else."""
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(forum_workbook, target / "forum.xlsx")
    return target / "forum.xlsx"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site `openforum-ld build` writes for a project made by `init --yaml`, whose person is
    also named in Arabic (tests/example_project.py)."""
    from .example_project import build, example_project

    return build(example_project(tmp_path_factory.mktemp("example") / "next-forum"))
