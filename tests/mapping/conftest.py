"""The shipped forum as YAML sheets, converted once."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from openforum_ld.convert import convert_data

from ..conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="session")
def forum_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ converted to YAML: a directory with one file per sheet. Not to be changed."""
    target = tmp_path_factory.mktemp("forum-yaml") / "data"
    convert_data(ROOT / "data", target, LOCAL_BASE, ROOT / "sources")
    return target


@pytest.fixture
def yaml_copy(forum_yaml: Path, tmp_path: Path) -> Path:
    """A writable copy of the forum as YAML."""
    target = tmp_path / "data"
    shutil.copytree(forum_yaml, target)
    return target
