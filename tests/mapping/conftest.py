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


@pytest.fixture(scope="session")
def forum_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ converted to one workbook, with the shapes' help in English and French. Not to be
    changed."""
    target = tmp_path_factory.mktemp("forum-workbook") / "forum.xlsx"
    convert_data(ROOT / "data", target, LOCAL_BASE, ROOT / "sources", ("en", "fr"), ROOT / "shapes")
    return target


@pytest.fixture
def workbook_copy(forum_workbook: Path, tmp_path: Path) -> Path:
    """A data directory holding a writable copy of the forum's workbook, and nothing else."""
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(forum_workbook, target / "forum.xlsx")
    return target / "forum.xlsx"
