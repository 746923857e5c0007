"""The application in process (`create_app` handed its engine): headers on every response, a
500 included; the result cache, which answers repeats but never a query whose result may
differ from one run to the next; the publication's files through StaticFiles; the favicon."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from openforum_ld.iris import Iris
from openforum_ld.web.app import create_app
from openforum_ld.web.cache import ResponseCache
from openforum_ld.web.engine import InlineEngine, publication_context
from openforum_ld.web.jobs import Sparql

from ..conftest import InProcessClient

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openforum_ld.config import Settings
    from openforum_ld.publication import Publication
    from openforum_ld.web.jobs import Job, Problem, Reply

SPARQL_JSON = "application/sparql-results+json"


class CountingEngine(InlineEngine):
    """The in-process engine, counting the jobs that reach it."""

    queries = 0
    jobs = 0

    async def run(self, job: Job, timeout: float) -> Reply | Problem:
        self.jobs += 1
        if isinstance(job, Sparql):
            self.queries += 1
        return await super().run(job, timeout)


class FailingEngine(InlineEngine):
    """An engine that fails in a way nothing expects."""

    async def run(self, job: Job, timeout: float) -> Reply | Problem:
        raise RuntimeError("the engine broke")


@pytest.fixture
def counting(
    publication: Publication, settings: Settings
) -> Iterator[tuple[InProcessClient, CountingEngine]]:
    engine = CountingEngine(publication_context(publication, Iris(publication.manifest.base)))
    client = InProcessClient(create_app(settings, publication, engine), publication.manifest.base)
    yield client, engine
    client.close()


def _values(client: InProcessClient, query: str, times: int) -> list[str]:
    values = []
    for _ in range(times):
        response = client.get("sparql", params={"query": query}, headers={"Accept": SPARQL_JSON})
        assert response.status_code == 200, response.text
        [row] = json.loads(response.content)["results"]["bindings"]
        values.append(row["v"]["value"])
    return values


def test_repeats_are_answered_from_the_cache(
    counting: tuple[InProcessClient, CountingEngine], union_triples: int
) -> None:
    client, engine = counting
    values = _values(client, "SELECT (COUNT(*) AS ?v) WHERE { ?s ?p ?o }", 20)
    assert set(values) == {str(union_triples)}
    # Run the first time, kept the second, answered from the cache after that.
    assert engine.queries == 2


def test_queries_asked_once_never_push_out_a_kept_page(
    publication: Publication, settings: Settings
) -> None:
    engine = CountingEngine(publication_context(publication, Iris(publication.manifest.base)))
    app = create_app(settings, publication, engine)
    client = InProcessClient(app, publication.manifest.base)
    try:
        _nonce_queries_leave_the_cache_alone(client, engine, app.state.server.cache)
    finally:
        client.close()


def _nonce_queries_leave_the_cache_alone(
    client: InProcessClient, engine: CountingEngine, cache: ResponseCache
) -> None:
    page = client.get("id/person/rudi-borrmann", headers={"Accept": "text/turtle"})
    assert page.status_code == 200
    kept = cache.size
    assert kept > 0
    # A client adding a nonce to every query: each is run, none is kept.
    for n in range(30):
        _values(client, f"SELECT (COUNT(*) + {n} AS ?v) WHERE {{ ?s ?p ?o }}", 1)
    assert engine.queries == 30
    assert cache.size == kept
    jobs = engine.jobs
    again = client.get("id/person/rudi-borrmann", headers={"Accept": "text/turtle"})
    assert again.content == page.content
    assert engine.jobs == jobs


@pytest.mark.parametrize(
    "expression", ["STRUUID()", "UUID()", "STR(RAND())", "STR(NOW())", "BNODE()"]
)
def test_a_query_whose_result_may_differ_is_run_every_time(
    counting: tuple[InProcessClient, CountingEngine], expression: str
) -> None:
    client, engine = counting
    values = _values(client, f"SELECT ({expression} AS ?v) {{}}", 20)
    assert engine.queries == 20
    if expression != "STR(NOW())":  # NOW() may repeat within a clock tick; it is still asked
        assert len(set(values)) == 20, values


def test_every_representation_of_an_iri_is_rendered_once(
    counting: tuple[InProcessClient, CountingEngine],
) -> None:
    # The page varies on Accept-Language, the RDF documents do not: both kinds are kept for
    # the one URL, each answered again from what was kept.
    client, engine = counting
    asks = [
        {"Accept": "text/html", "Accept-Language": "en"},
        {"Accept": "text/html", "Accept-Language": "fr"},
        {"Accept": "text/turtle"},
        {"Accept": "application/ld+json"},
    ]
    for _ in range(5):
        for ask in asks:
            response = client.get("id/person/rudi-borrmann", headers=ask)
            assert response.status_code == 200
    assert engine.jobs == len(asks)


def test_a_kept_response_is_sent_again_with_every_header(
    counting: tuple[InProcessClient, CountingEngine],
) -> None:
    # The front cache answers before the headers middleware: what it sends again must be the
    # whole response, CORS, security and licence headers included.
    client, engine = counting
    ask = {"Accept": "text/html", "Accept-Encoding": "gzip"}
    first = client.get("id/person/rudi-borrmann", headers=ask)
    again = client.get("id/person/rudi-borrmann", headers=ask)
    assert engine.jobs == 1
    assert first.status_code == again.status_code == 200
    assert again.headers["access-control-allow-origin"] == "*"
    assert again.headers["x-content-type-options"] == "nosniff"
    assert 'rel="license"' in again.headers["link"]
    assert again.headers.multi_items() == first.headers.multi_items()
    assert again.content == first.content


def test_a_500_carries_the_cors_and_security_headers(
    publication: Publication, settings: Settings
) -> None:
    engine = FailingEngine(publication_context(publication, Iris(publication.manifest.base)))
    client = InProcessClient(create_app(settings, publication, engine), publication.manifest.base)
    try:
        response = client.get("search?q=maritim", headers={"Accept": "application/json"})
    finally:
        client.close()
    assert response.status_code == 500
    assert response.headers["access-control-allow-origin"] == "*"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.json()["status"] == 500 and "Traceback" not in response.text


def test_published_files_revalidate_by_etag(app_client: InProcessClient) -> None:
    first = app_client.get("catalog.ttl")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["content-type"].startswith("text/turtle")
    assert app_client.get("catalog.ttl", headers={"If-None-Match": etag}).status_code == 304
    listed = f'"something-else", {etag}'
    assert app_client.get("catalog.ttl", headers={"If-None-Match": listed}).status_code == 304
    assert app_client.get("catalog.ttl", headers={"If-None-Match": "W/" + etag}).status_code == 304
    # A part of the ETag is not the ETag.
    part = etag[:-3] + '"'
    assert app_client.get("catalog.ttl", headers={"If-None-Match": part}).status_code == 200
    assert app_client.get("void.ttl").headers["etag"] != etag


def test_the_favicon_is_served(app_client: InProcessClient) -> None:
    response = app_client.get("favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.content.startswith(b"\x00\x00\x01\x00")  # an icon directory
    page = app_client.get("", headers={"Accept": "text/html"}).text
    assert '<link rel="icon" href="/static/favicon.ico">' in page
    assert app_client.get("static/favicon.ico").content == response.content


def test_the_cache_keeps_a_query_result_from_its_second_asking() -> None:
    cache = ResponseCache(1_000, remembered=3)
    cache.put_on_repeat("q1", "r1", 10)
    assert cache.get("q1") is None
    cache.put_on_repeat("q1", "r1", 10)
    assert cache.get("q1") == "r1"
    assert cache.size == 10
    # Too large a share of the budget: never kept, however often asked.
    for _ in range(3):
        cache.put_on_repeat("big", "b", 500)
    assert cache.get("big") is None
    # The keys asked are forgotten all at once when there are too many of them.
    for key in ("q2", "q3", "q4"):
        cache.put_on_repeat(key, key, 10)
    cache.put_on_repeat("q2", "q2", 10)
    assert cache.get("q2") is None
