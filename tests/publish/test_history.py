"""The publication's date comes from the data's history in git, not from file times."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

from openforum_ld.config import Settings
from openforum_ld.publish import publication_date
from openforum_ld.publish.history import last_commit_time

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

COMMITTED = 1577880000  # 2020-01-01 12:00 UTC


def _repository(tmp_path: Path) -> list[Path]:
    data = tmp_path / "data"
    data.mkdir()
    files = [data / "a.trig", data / "b.trig"]
    for n, path in enumerate(files):
        path.write_text(f"# file {n}\n", encoding="utf-8")
    moment = f"@{COMMITTED} +0000"
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": moment,
        "GIT_COMMITTER_DATE": moment,
        "GIT_AUTHOR_NAME": "editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "data"]):
        subprocess.run(["git", "-C", str(tmp_path), *command], check=True, env=env)
    for path in files:  # as a fresh checkout leaves them: the time of the checkout
        os.utime(path, None)
    return files


def test_a_clone_dates_its_publication_by_the_last_commit_of_its_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    files = _repository(tmp_path)
    assert last_commit_time(files) == COMMITTED
    assert publication_date(Settings(), files) == "2020-01-01"


def test_inputs_changed_since_their_commit_are_dated_by_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    files = _repository(tmp_path)
    files[0].write_text("# edited\n", encoding="utf-8")
    os.utime(files[0], (1609502400, 1609502400))  # 2021-01-01 12:00 UTC
    os.utime(files[1], (1609502400, 1609502400))
    assert last_commit_time(files) is None
    assert publication_date(Settings(), files) == "2021-01-01"


def test_files_outside_git_are_dated_by_their_times(tmp_path: Path) -> None:
    path = tmp_path / "a.trig"
    path.write_text("# loose\n", encoding="utf-8")
    assert last_commit_time([path]) is None
