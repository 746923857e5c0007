"""Fixtures of the check's tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .tiny import check_tiny

if TYPE_CHECKING:
    from openforum_ld.check import CheckReport


@pytest.fixture(scope="session")
def conformant() -> CheckReport:
    """The check's report on a tiny deployment that gets nothing wrong, made once."""
    return check_tiny()
