"""The SPARQL protocol probes, and what they leave behind on an endpoint that takes updates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from openforum_ld.check import run_check

from .tiny import failed_ids, tiny_deployment

if TYPE_CHECKING:
    from openforum_ld.check import CheckReport


def test_updates_an_endpoint_wrongly_accepts_are_undone() -> None:
    with tiny_deployment("accepts-updates") as url:
        report = run_check(url, timeout=10)
        left = httpx.get(
            url + "sparql",
            params={"query": 'ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?o), "openforum-ld check")) }'},
            headers={"Accept": "application/sparql-results+json"},
        )
    assert failed_ids(report) >= {"sparql.update-direct", "sparql.update-form"}
    detail = next(c.detail for c in report.checks if c.id == "sparql.update-no-effect")
    assert "true: the triple an update inserted is in the data" in detail
    assert detail.count("the check removed its triple again") == 2
    assert left.json() == {"head": {}, "boolean": False}


def test_sparql_details_show_the_query_sent(conformant: CheckReport) -> None:
    url = conformant.url
    details = {c.id: c.detail for c in conformant.checks}
    assert details["sparql.bad-query"] == (
        f"GET {url}sparql?query=SELECT+%2A+WHERE+%7B+this+is+not+SPARQL "
        "(Accept: application/sparql-results+json) -> 400 text/plain; charset=utf-8"
    )
    assert details["sparql.results-tsv"].endswith(
        "-> 200 text/tab-separated-values; charset=utf-8: 3 rows"
    )
