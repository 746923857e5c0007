"""The ledger of a build's files: the checksum of what was written, without reading it back
unless the step that wrote it did not say."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from openforum_ld.publish.ledger import Ledger, checksum_of

if TYPE_CHECKING:
    from pathlib import Path


def test_a_file_recorded_with_its_bytes_is_not_read_back(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.add("page.html", checksum_of(b"<p>hello</p>"))
    # Not on disk: the checksum recorded at the write is the one given.
    assert ledger.checksum(tmp_path, "page.html") == (
        hashlib.sha256(b"<p>hello</p>").hexdigest(),
        12,
    )


def test_a_file_written_by_another_step_is_read_back(tmp_path: Path) -> None:
    (tmp_path / "dump.nt").write_bytes(b"<a> <b> <c> .\n")
    ledger = Ledger()
    ledger.extend(["dump.nt"])
    assert ledger.checksum(tmp_path, "dump.nt") == checksum_of(b"<a> <b> <c> .\n")


def test_a_later_write_replaces_what_an_earlier_one_recorded(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.add("robots.txt", checksum_of(b"first"))
    (tmp_path / "robots.txt").write_bytes(b"second, by a step that does not hash")
    ledger.extend(["robots.txt"])
    assert ledger.checksum(tmp_path, "robots.txt") == checksum_of(
        b"second, by a step that does not hash"
    )
    assert ledger.paths() == ["robots.txt"]


def test_paths_are_sorted_and_given_once() -> None:
    ledger = Ledger()
    ledger.extend(["b", "a"])
    ledger.add("b", checksum_of(b""))
    assert ledger.paths() == ["a", "b"]
