"""`run_check` end to end: on our own server, on a real `oxigraph serve`, and on a tiny
deployment broken in one way at a time (each fault fails exactly its checks)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from openforum_ld.check import Outcome, UnreachableError, all_probes, run_check
from openforum_ld.cli import main

from ..servers import free_port
from .tiny import FAULTS, check_tiny, failed_ids

if TYPE_CHECKING:
    from click.testing import CliRunner

    from openforum_ld.check import CheckReport

#: What a bare `oxigraph serve-read-only` lacks as a Linked Data deployment.
OXIGRAPH_LACKS = {
    "void.reachable",  # no /.well-known/void
    "dcat.reachable",  # no catalog
    "dumps.declared",  # so no dumps either
    "conneg.entity",  # its IRIs are not under its own origin: nothing dereferences
    "http.head",  # HEAD / says Content-Length: 0 where GET / sends 881 bytes
    "sparql.vary",  # results chosen by Accept without Vary: Accept
    "cors.not-found",  # no CORS without --cors
    "cors.sparql",
    "cors.sparql-error",
    "cors.preflight",  # OPTIONS /query is a 404
    "fair.signposting",  # its home page is the query form, with no typed links
    "fair.dataset-markup",
    "fair.license",
    "fair.release-versioning",  # no catalog, so no release
}


def test_check_ids_are_unique_and_grouped() -> None:
    ids = [p.id for p in all_probes()]
    assert len(ids) == len(set(ids))
    groups = [p.group for p in all_probes()]
    assert list(dict.fromkeys(groups)) == [
        "void",
        "dcat",
        "sparql",
        "conneg",
        "http",
        "cors",
        "dumps",
        "links",
        "fair",
    ]
    assert groups == sorted(groups, key=list(dict.fromkeys(groups)).index), "groups run together"


@pytest.mark.slow  # a real server process
def test_check_passes_on_our_server(live_server: str, runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", live_server, "--format", "json", "--sample", "8"])
    report = json.loads(result.stdout)
    failed = {c["id"]: c["detail"] for c in report["checks"] if c["outcome"] == "fail"}
    assert failed == {}, json.dumps(failed, indent=2)
    assert result.exit_code == 0, result.stderr
    skipped = {c["id"]: c["detail"] for c in report["checks"] if c["outcome"] == "skip"}
    assert not skipped, skipped
    assert report["discovered"]["sparql"] == live_server + "sparql"
    assert report["discovered"]["catalog"] == live_server + "catalog"
    dumps = report["discovered"]["dumps"]
    # The six current dumps, and the six of the release the server's config names.
    assert len([d for d in dumps if "/dumps/" in d]) == 6
    assert len([d for d in dumps if "/releases/2020.1/" in d]) == 6 == len(dumps) - 6
    passed = {c["id"]: c["detail"] for c in report["checks"] if c["outcome"] == "pass"}
    assert "releases 2020.1; 6 of their 6 files downloaded" in passed["fair.release-versioning"]
    assert len(report["discovered"]["entities"]) == 8


@pytest.mark.slow  # a real server process
def test_check_reports_what_oxigraph_serve_lacks(oxigraph_endpoint: str, runner: CliRunner) -> None:
    base = oxigraph_endpoint.removesuffix("query")
    result = runner.invoke(main, ["check", base, "--sparql", oxigraph_endpoint, "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    outcomes = {c["id"]: c["outcome"] for c in report["checks"]}
    failed = {i for i, outcome in outcomes.items() if outcome == "fail"}
    assert failed == OXIGRAPH_LACKS, json.dumps(report["checks"], indent=2)
    supported = {i for i in outcomes if i.startswith("sparql.")} - {"sparql.vary"}
    assert {outcomes[i] for i in supported} == {"pass"}, supported
    # Without an entity or a dump, what depends on them does not apply: skipped, not failed.
    assert outcomes["conneg.turtle"] == outcomes["dumps.size"] == outcomes["links.rdf"] == "skip"


def test_check_passes_on_a_conformant_deployment(conformant: CheckReport) -> None:
    assert conformant.ok, conformant.to_text()
    assert {c.outcome for c in conformant.checks} == {Outcome.PASS}, conformant.to_text()


def test_check_fails_exactly_what_a_lying_deployment_gets_wrong() -> None:
    faults = ("dump-size", "dump-checksum", "no-vary", "no-cors-on-errors", "accepts-updates")
    report = check_tiny(*faults)
    expected = set().union(*(FAULTS[f] for f in faults))
    assert failed_ids(report) == expected, report.to_text()


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_check_fails_exactly_the_checks_of_each_fault(fault: str) -> None:
    report = check_tiny(fault)
    assert failed_ids(report) == FAULTS[fault], report.to_text()


def test_check_raises_when_nothing_answers() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    with pytest.raises(UnreachableError, match=f"cannot reach {url}"):
        run_check(url, timeout=5)
