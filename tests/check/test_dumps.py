"""Dumps: downloaded once, streamed, up to a limit; size, checksum, media type and syntax."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.check import Outcome

from .tiny import check_tiny

if TYPE_CHECKING:
    from openforum_ld.check import CheckReport


def _check(report: CheckReport, check_id: str) -> tuple[Outcome, str]:
    found = next(c for c in report.checks if c.id == check_id)
    return found.outcome, found.detail


def test_dumps_are_verified_and_parsed_after_gunzip(conformant: CheckReport) -> None:
    report = conformant
    outcome, detail = _check(report, "dumps.parse")
    assert outcome is Outcome.PASS
    assert "data.nt.gz>: 10 triples (application/n-triples, gzip)" in detail
    assert "data.ttl>: 10 triples (text/turtle)" in detail
    outcome, detail = _check(report, "dumps.checksum")
    # The two current dumps, and the file of release 1.0.
    assert outcome is Outcome.PASS and detail.count("sha256") == 3


def test_dumps_over_the_limit_are_cut_and_not_verified() -> None:
    report = check_tiny(max_dump_bytes=100)
    assert report.ok, report.to_text()
    outcome, detail = _check(report, "dumps.download")
    assert outcome is Outcome.PASS
    assert (
        "data.ttl (Accept: */*) -> 200 text/turtle; charset=utf-8: over 100 bytes; stopped there"
        in detail
    )
    assert _check(report, "dumps.size")[0] is Outcome.SKIP
    assert _check(report, "dumps.checksum")[0] is Outcome.SKIP
    outcome, detail = _check(report, "dumps.parse")
    assert outcome is not Outcome.FAIL
    assert "data.ttl> was cut at the download limit: text/turtle cannot be parsed in part" in detail
