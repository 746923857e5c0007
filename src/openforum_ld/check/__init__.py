"""`openforum-ld check URL`: an operator's conformance check of a Linked Data deployment,
made from the outside over HTTP, like the clients that will use it.

`run_check()` discovers what the deployment publishes (VoID, SPARQL endpoint, DCAT catalog,
dumps, sample entities), runs every probe, and returns a `CheckReport`; only a deployment that
cannot be reached at all raises (`UnreachableError`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from openforum_ld.check import conneg, cors, dcat, dumps, fair, http, links, sparql, void
from openforum_ld.check.client import Client, FetchError
from openforum_ld.check.discovery import CheckOptions, Deployment
from openforum_ld.check.probe import Probe, SkipError, Verdict, failed, skipped
from openforum_ld.check.report import CheckReport, CheckResult, Outcome
from openforum_ld.errors import OpenForumError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CheckOptions",
    "CheckReport",
    "CheckResult",
    "Outcome",
    "UnreachableError",
    "all_probes",
    "run_check",
]

_GROUPS = (
    void.probes,
    dcat.probes,
    sparql.probes,
    conneg.probes,
    http.probes,
    cors.probes,
    dumps.probes,
    links.probes,
    fair.probes,
)


class UnreachableError(OpenForumError):
    """The URL does not answer at all (refused, unknown host, no answer in time)."""


def all_probes() -> list[Probe]:
    """Every probe, in the order they run: grouped, discovery first."""
    return [probe for group in _GROUPS for probe in group]


def _verdict(probe: Probe, deployment: Deployment) -> Verdict:
    try:
        return probe.run(deployment)
    except SkipError as reason:
        return skipped(str(reason))
    except FetchError as error:
        return failed(str(error))
    except Exception as error:  # a deployment can send anything; report it, never crash
        return failed(f"the check could not complete: {type(error).__name__}: {error}")


def run_check(
    url: str,
    *,
    sparql: str | None = None,
    catalog: str | None = None,
    sample: int = 20,
    max_links: int = 300,
    max_dump_bytes: int = 200 * 1024 * 1024,
    timeout: float = 30.0,
    progress: Callable[[Probe], None] | None = None,
) -> CheckReport:
    """Check the deployment at `url` and report on every probe. `sparql` and `catalog` name
    what discovery cannot find; `progress` is told of each probe as it starts.
    UnreachableError when the URL does not answer at all."""
    options = CheckOptions(url, sparql, catalog, sample, max_links, max_dump_bytes, timeout)
    origins = [o for o in (options.url, options.sparql, options.catalog) if o]
    started = datetime.now(UTC)
    clock = time.monotonic()
    with Client(origins, options.timeout) as client:
        try:
            client.send("GET", options.url, accept="*/*")
        except FetchError as error:
            raise UnreachableError(f"cannot reach {options.url}: {error}") from None
        deployment = Deployment(client, options)
        report = CheckReport(options.url, started.isoformat(timespec="seconds"))
        for probe in all_probes():
            if progress is not None:
                progress(probe)
            verdict = _verdict(probe, deployment)
            report.checks.append(
                CheckResult(probe.id, probe.group, probe.title, verdict.outcome, verdict.detail)
            )
        report.discovered = _discovered(deployment)
    report.seconds = time.monotonic() - clock
    report.requests = client.requests
    return report


def _discovered(deployment: Deployment) -> dict[str, object]:
    endpoint = deployment.sparql
    catalog, _ = deployment.catalog
    entities, _ = deployment.entities
    return {
        "void": deployment.void_url if deployment.void.graph is not None else None,
        "sparql": endpoint.url if endpoint is not None and endpoint.answers else None,
        "catalog": catalog.url if catalog is not None and catalog.graph is not None else None,
        "dumps": [d.url for d in deployment.dumps],
        "entities": entities,
    }
