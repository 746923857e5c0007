"""The shipped forum and the second test forum (tests/data/second-forum/) as one publication:
a data directory and a sources directory holding both."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from .conftest import ROOT, TEST_DATA

if TYPE_CHECKING:
    from pathlib import Path

SECOND_FORUM = TEST_DATA / "second-forum"


def two_forums(directory: Path) -> tuple[Path, Path]:
    """Copy both forums' data and source texts under `directory`; (data dir, sources dir)."""
    data, sources = directory / "data", directory / "sources"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "sources", sources)
    for part, target in (("data", data), ("sources", sources)):
        for path in sorted((SECOND_FORUM / part).iterdir()):
            shutil.copy(path, target / path.name)
    return data, sources
