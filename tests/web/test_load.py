"""Load on the real server: many clients at once all get their answers, and memory stays bounded
while the largest answers the row cap allows are asked for again and again.

Nothing here measures speed (that is the benchmark's job, in bench/): only that every request is
answered correctly under concurrency, and that memory does not grow with the number of requests.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
import pytest
import rdflib

from ..conftest import ROOT
from ..servers import descendant_processes, openforum_server

if TYPE_CHECKING:
    from collections.abc import Coroutine, Iterator

# Real server processes under load.
pytestmark = pytest.mark.slow

CLIENTS = 64
REQUESTS_PER_CLIENT = 20  # 1,280 in all
ROW_LIMIT = 2_000
CACHE_BYTES = 8 << 20

PERSON_NAMES = """PREFIX schema: <http://schema.org/>
SELECT ?person ?name WHERE { ?person a schema:Person ; schema:name ?name } ORDER BY ?name"""
TALKS_OF_SESSIONS = """PREFIX schema: <http://schema.org/>
CONSTRUCT { ?talk schema:superEvent ?session } WHERE { ?talk schema:superEvent ?session }"""
# Far more solutions than the cap: every statement paired with every other. Each request
# numbers it differently, so a query worker answers it, not the result cache.
CROSS_PRODUCT = "SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} # {}"


@pytest.fixture(scope="module")
def loaded_server() -> Iterator[tuple[str, int]]:
    """The server with several processes, as deployed, with a lower row cap so that a capped
    answer is quick to produce, and a small cache, so that what it may keep is soon full and
    any growth beyond it shows."""
    with openforum_server(
        "--workers",
        "2",
        env={
            "OPENFORUM_LD_ROW_LIMIT": str(ROW_LIMIT),
            "OPENFORUM_LD_RESPONSE_CACHE": str(CACHE_BYTES),
        },
    ) as server:
        yield server.url, server.process.pid


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run the clients on an event loop of their own thread: the browser tests' Playwright keeps
    one running in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _check(kind: str, response: httpx.Response) -> None:
    assert response.status_code == 200, f"{kind}: {response.status_code} {response.text[:200]}"
    media_type = response.headers["content-type"].split(";")[0]
    if kind.startswith("select"):
        assert media_type == "application/sparql-results+json"
        assert json.loads(response.content)["results"]["bindings"], kind
    elif kind in ("construct", "entity-turtle", "void"):
        assert media_type == "text/turtle"
        assert len(rdflib.Graph().parse(data=response.content, format="turtle")) > 0, kind
    elif kind == "entity-jsonld":
        assert media_type == "application/ld+json"
        assert json.loads(response.content)
    else:
        assert media_type == "text/html"
        assert response.text.rstrip().endswith("</html>"), kind


# (kind, method, path, request options): the mix every client goes through, each from its own
# starting point, so that all kinds run at the same time.
JSON_RESULTS = {"Accept": "application/sparql-results+json"}
MIX: list[tuple[str, str, str, dict[str, object]]] = [
    ("select-get", "GET", "/sparql", {"params": {"query": PERSON_NAMES}, "headers": JSON_RESULTS}),
    (
        "select-post",
        "POST",
        "/sparql",
        {
            "content": PERSON_NAMES,
            "headers": {"Content-Type": "application/sparql-query", **JSON_RESULTS},
        },
    ),
    (
        "construct",
        "POST",
        "/sparql",
        {"data": {"query": TALKS_OF_SESSIONS}, "headers": {"Accept": "text/turtle"}},
    ),
    ("entity-html", "GET", "/id/person/john-maritim", {"headers": {"Accept": "text/html"}}),
    ("listing", "GET", "/id/organization/", {"headers": {"Accept": "text/html"}}),
    (
        "entity-turtle",
        "GET",
        "/id/place/morocco",
        {"headers": {"Accept": "text/turtle, */*;q=0.1"}},
    ),
    (
        "entity-jsonld",
        "GET",
        "/id/topic/open-government",
        {"headers": {"Accept": "application/ld+json"}},
    ),
    ("search", "GET", "/search?q=" + quote("région"), {"headers": {"Accept": "text/html"}}),
    ("void", "GET", "/.well-known/void", {"headers": {"Accept": "*/*"}}),
]


async def _client(base: str, number: int, tally: dict[str, int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        for i in range(REQUESTS_PER_CLIENT):
            kind, method, path, options = MIX[(number + i) % len(MIX)]
            response = await client.request(method, path, **options)  # type: ignore[arg-type]
            _check(kind, response)
            tally[kind] = tally.get(kind, 0) + 1


def test_64_clients_at_once_all_get_their_answers(loaded_server: tuple[str, int]) -> None:
    base, _ = loaded_server
    tally: dict[str, int] = {}

    async def run_all() -> None:
        await asyncio.gather(*(_client(base, n, tally) for n in range(CLIENTS)))

    _run(run_all())
    assert sum(tally.values()) == CLIENTS * REQUESTS_PER_CLIENT
    assert set(tally) == {kind for kind, *_ in MIX}, (
        tally
    )  # every kind of request was part of the mix


def _tree_rss_kib(root: int) -> int:
    """The resident memory of a process and all its descendants, in KiB."""
    total = 0
    for pid in [root, *descendant_processes(root)]:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read memory")
def test_memory_stays_bounded_while_capped_answers_are_asked_for_again_and_again(
    loaded_server: tuple[str, int],
) -> None:
    base, pid = loaded_server

    async def ask(times: int, label: str) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:

            async def one(client_number: int) -> None:
                for number in range(times):
                    response = await client.post(
                        "/sparql",
                        content=CROSS_PRODUCT.format(f"{label}-{client_number}-{number}"),
                        headers={
                            "Content-Type": "application/sparql-query",
                            "Accept": "application/sparql-results+json",
                        },
                    )
                    assert response.status_code == 200
                    assert response.headers["x-openforum-truncated"] == "true"
                    rows = json.loads(response.content)["results"]["bindings"]
                    assert len(rows) == ROW_LIMIT

            await asyncio.gather(*(one(n) for n in range(4)))

    _run(ask(10, "warm"))  # warm up: every worker has answered, caches are filled
    before = _tree_rss_kib(pid)
    _run(ask(75, "measured"))  # 300 more capped answers, each computed by a query worker
    after = _tree_rss_kib(pid)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "load-memory.json").write_text(
        json.dumps({"capped_answers": 340, "rss_kib_before": before, "rss_kib_after": after}) + "\n"
    )
    # Each answer is ~1 MB of JSON: growth with the number of answers would show as hundreds of
    # MB; allocator noise across a dozen processes stays well under 64 MB.
    assert after - before < 64 * 1024, f"the server grew from {before} KiB to {after} KiB"
