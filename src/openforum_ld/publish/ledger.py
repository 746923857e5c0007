"""What a build has written: every file's path, with its SHA-256 and size when its bytes were in
hand as they were written. The build record gives each file's checksum; at a million triples
the site is 600,000 files, and reading them all back to hash them took minutes."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from openforum_ld.publish.dumps import file_sha256

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

# A file's SHA-256 (hex) and size in bytes.
Checksum = tuple[str, int]


def checksum_of(content: bytes) -> Checksum:
    """The checksum of bytes about to be written."""
    return hashlib.sha256(content).hexdigest(), len(content)


class Ledger:
    """The files of a publication being built, by path relative to its root."""

    def __init__(self) -> None:
        # None: written by a step that did not hash it, so read back when asked.
        self._files: dict[str, Checksum | None] = {}

    def add(self, path: str, checksum: Checksum | None = None) -> None:
        """`path` was written, with the checksum of what was written when known. A later write
        of the same path replaces what an earlier one recorded."""
        self._files[path] = checksum

    def extend(self, paths: Iterable[str]) -> None:
        """Files written by a step that did not hash them."""
        for path in paths:
            self._files[path] = None

    def paths(self) -> list[str]:
        """Every path written, sorted."""
        return sorted(self._files)

    def checksum(self, root: Path, path: str) -> Checksum:
        """The checksum of the file at `path` under `root`: as recorded, else read."""
        known = self._files[path]
        if known is not None:
            return known
        file = root / path
        return file_sha256(file), file.stat().st_size
