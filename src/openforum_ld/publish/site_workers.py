"""The site's entity and graph files, written by worker processes. Each page is written by
itself, from the store alone, so the pages can be shared out among processes forked once the
view context is made (`forked`): nothing is copied to them but the IRIs of what they write, and
nothing comes back but the paths they wrote with their checksums, which the build's process
records as its own. One process a CPU; the build's own process only hands out the work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from openforum_ld.config import usable_cpus
from openforum_ld.publish.forked import can_fork, forked_map

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openforum_ld.publish.ledger import Checksum
    from openforum_ld.publish.site import SiteWriter

# An entity (its RDF documents and pages) or a named graph (likewise), by IRI.
PageJob = tuple[Literal["entity", "graph"], str]

# Jobs a worker takes at a time: enough that handing them out costs nothing next to writing
# them, few enough that the last batches keep every worker busy.
BATCH = 24
# Fewer jobs than this are written in the build's own process: forking would cost more.
FEW = 4 * BATCH

# The writer the forked workers inherit; set only while they run.
_writer: SiteWriter | None = None


def worker_count(setting: int) -> int:
    """How many processes write pages: the setting, or one per CPU this process may use."""
    return setting if setting > 0 else usable_cpus()


def write_pages(
    writer: SiteWriter,
    jobs: Sequence[PageJob],
    workers: int,
    progress: Callable[[int], None],
) -> None:
    """Write every job's files with `workers` processes, each path recorded by the writer of
    this process; `progress` is told how many jobs are done as batches finish."""
    if workers <= 1 or len(jobs) < FEW or not can_fork():
        for done, job in enumerate(jobs, start=1):
            _write_job(writer, job)
            progress(done)
        return
    global _writer
    _writer = writer
    batches = [jobs[start : start + BATCH] for start in range(0, len(jobs), BATCH)]
    done = 0
    try:
        for count, files in forked_map(_write_batch, batches, workers):
            for path, checksum in files:
                writer.record(path, checksum)
            done += count
            progress(done)
    finally:
        _writer = None


def _write_batch(batch: Sequence[PageJob]) -> tuple[int, list[tuple[str, Checksum]]]:
    """In a worker: write a batch of jobs with the inherited writer, whose paths and checksums
    are sent back to be recorded rather than recorded in the worker's copy of the build's
    ledger."""
    assert _writer is not None
    files: list[tuple[str, Checksum]] = []
    _writer.record = lambda path, checksum: files.append((path, checksum))
    for job in batch:
        _write_job(_writer, job)
    return len(batch), files


def _write_job(writer: SiteWriter, job: PageJob) -> None:
    what, iri = job
    if what == "entity":
        writer.write_entity(iri)
    else:
        writer.write_graph(iri)
