"""`openforum-ld serve` as an operator runs it: refusing bad data, surviving runaway queries,
capping results, several processes, and a remote endpoint that fails."""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from ..conftest import ROOT
from ..servers import descendant_processes, free_port, openforum_server

if TYPE_CHECKING:
    from pathlib import Path

# Real server processes: query workers killed and replaced, several processes.
pytestmark = pytest.mark.slow

SPARQL_JSON = "application/sparql-results+json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "ASK { ?s a <http://schema.org/Person> }"


def test_invalid_data_stops_the_server_from_starting(data_copy: Path) -> None:
    path = data_copy / "web-expert.trig"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Mr."@en', '"Sir"@en'), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "openforum_ld", "serve", "--port", "0", "--data", str(data_copy)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Violation" in result.stdout and "schema:honorificPrefix" in result.stdout
    assert "the data does not conform to the shapes" in result.stderr
    assert "Serving" not in result.stdout and "Traceback" not in result.stderr


def _fresh(number: int) -> str:
    """A query no cache has seen: a query worker must answer it."""
    return f"ASK {{ ?s a <http://schema.org/Person> }} # {number} {time.monotonic_ns()}"


# Where queries run: threads of the server process, which retires after a runaway, or query
# worker processes, killed and replaced; the time limit holds either way.
ISOLATION = pytest.mark.parametrize("isolation", ["threads", "processes"])


def _isolated(isolation: str, **more: str) -> dict[str, str]:
    return {"OPENFORUM_LD_QUERY_ISOLATION": isolation, **more}


@ISOLATION
def test_a_runaway_query_is_stopped_while_other_clients_are_answered(isolation: str) -> None:
    with openforum_server("--workers", "1", "--timeout", "2", env=_isolated(isolation)) as server:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            runaway = pool.submit(
                httpx.get, server.url + "sparql", params={"query": RUNAWAY}, timeout=30
            )
            time.sleep(0.3)
            answered = 0
            while not runaway.done():
                # Another query thread or worker answers these, each new, while the runaway
                # runs.
                response = httpx.get(
                    server.url + "sparql",
                    params={"query": _fresh(answered)},
                    headers={"Accept": SPARQL_JSON},
                    timeout=10,
                )
                assert response.status_code == 200 and response.json()["boolean"] is True
                answered += 1
            stopped = runaway.result()
        assert stopped.status_code == 503, stopped.text
        assert "stopped after 2 s" in stopped.text
        assert answered >= 3, "other clients were answered while the runaway query ran"


@ISOLATION
def test_what_a_runaway_query_costs_is_replaced(isolation: str) -> None:
    # One server process with one query thread or worker only: after the runaway has cost it,
    # a new query can only be answered by its replacement (a new query, so the result cache
    # cannot answer either).
    with openforum_server(
        "--workers",
        "1",
        "--timeout",
        "2",
        env=_isolated(isolation, OPENFORUM_LD_QUERY_WORKERS="1"),
    ) as server:
        stopped = httpx.get(server.url + "sparql", params={"query": RUNAWAY}, timeout=30)
        assert stopped.status_code == 503, stopped.text
        again = httpx.get(
            server.url + "sparql",
            params={"query": _fresh(0)},
            headers={"Accept": SPARQL_JSON},
            timeout=30,
        )
        assert again.status_code == 200 and again.json()["boolean"] is True


def test_the_row_cap_cuts_results_with_a_header_and_a_note() -> None:
    with openforum_server("--workers", "1", "--row-limit", "5") as server:
        query = "SELECT ?s WHERE { ?s a <http://schema.org/Person> } ORDER BY ?s"
        response = httpx.get(
            server.url + "sparql", params={"query": query}, headers={"Accept": SPARQL_JSON}
        )
        assert response.status_code == 200
        assert len(response.json()["results"]["bindings"]) == 5
        assert response.headers["x-openforum-truncated"] == "true"
        assert response.headers["x-openforum-row-limit"] == "5"
        construct = httpx.get(
            server.url + "sparql",
            params={"query": "CONSTRUCT WHERE { ?s a <http://schema.org/Person> }"},
            headers={"Accept": "application/n-triples"},
        )
        assert (
            len(construct.text.strip().splitlines()) == 5
            and construct.headers["x-openforum-truncated"] == "true"
        )
        page = httpx.get(
            server.url + "sparql", params={"query": query}, headers={"Accept": "text/html"}
        )
        assert "Only the first 5 rows are shown" in page.text
        small = httpx.get(
            server.url + "sparql", params={"query": SIMPLE}, headers={"Accept": SPARQL_JSON}
        )
        assert "x-openforum-truncated" not in small.headers


@ISOLATION
def test_several_server_processes_answer(isolation: str) -> None:
    with openforum_server("--workers", "2", env=_isolated(isolation)) as server:
        # The supervisor's two server processes, and with query processes each one's zygote
        # and two query workers.
        processes = 2 if isolation == "threads" else 2 * 4
        assert len(descendant_processes(server.process.pid)) == processes
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(
                pool.map(
                    lambda number: httpx.get(
                        server.url + "sparql",
                        params={"query": _fresh(number)},
                        headers={"Accept": SPARQL_JSON, "Connection": "close"},
                        timeout=30,
                    ),
                    range(40),
                )
            )
        assert all(r.status_code == 200 and r.json()["boolean"] is True for r in responses)


def test_a_public_base_uri_is_published_behind_a_proxy() -> None:
    with openforum_server(
        "--workers", "1", "--base-uri", "https://data.example.org/forum/"
    ) as server:
        response = httpx.get(
            server.url + "sparql",
            params={
                "query": "SELECT ?f WHERE { ?f a <https://w3id.org/openforum/ontology#Forum> }"
            },
            headers={"Accept": SPARQL_JSON},
        )
        assert (
            response.json()["results"]["bindings"][0]["f"]["value"]
            == "https://data.example.org/forum/id/forum/open-smart-regions-2020"
        )


def test_healthz_reports_the_data_version(live_server: str) -> None:
    body = httpx.get(live_server + "healthz").json()
    assert body["ok"] is True and body["triples"] > 2000 and len(body["version"]) == 20


def test_a_remote_endpoint_that_is_down_gives_502_and_recovery_follows(tmp_path: Path) -> None:
    port = free_port()
    with openforum_server(
        "--workers", "1", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "3"
    ) as server:
        down = httpx.get(
            server.url + "sparql", params={"query": SIMPLE}, headers={"Accept": SPARQL_JSON}
        )
        assert down.status_code == 502
        assert "cannot be reached" in down.text
