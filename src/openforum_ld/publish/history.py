"""The data's history, from git: when the inputs last changed, for the dates a publication
carries."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# A repository so slow to answer is treated as none: the build falls back to file times.
_GIT_SECONDS = 10


def last_commit_time(paths: list[Path]) -> int | None:
    """The commit time (seconds since the epoch) of the last commit that changed any of
    `paths`; None when git is missing, the paths are not in one work tree, or any of them
    differs from what is committed (then the files, not a commit, are the data)."""
    git = shutil.which("git")
    if git is None or not paths:
        return None
    where = paths[0].resolve().parent
    names = [str(p.resolve()) for p in paths]

    def run(*arguments: str) -> str | None:
        try:
            done = subprocess.run(
                [git, "-C", str(where), *arguments, "--", *names],
                capture_output=True,
                text=True,
                timeout=_GIT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    changed = run("status", "--porcelain", "--untracked-files=all")
    if changed is None or changed.strip():
        return None
    committed = run("log", "-1", "--format=%ct")
    if committed is None or not committed.strip().isdigit():
        return None
    return int(committed.strip())
