"""A forum project as `openforum-ld init --yaml` writes it, with its person also named in
Arabic: a name in a language and a script the forum's data is not held in."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from click.testing import CliRunner

from openforum_ld.cli import main

if TYPE_CHECKING:
    from pathlib import Path

BASE = "https://forum.example.org/next/"
PERSON = "example-person"
ARABIC_NAME = "شخص مثال"


def example_project(folder: Path) -> Path:
    """Write the project into `folder` (new) and give its person a name in Arabic."""
    result = CliRunner().invoke(main, ["init", str(folder), "--yaml", "--base-uri", BASE])
    assert result.exit_code == 0, result.output
    sheet = folder / "data" / "forum.yaml"
    lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    row = lines.index(f"- id: {PERSON}\n")
    name = next(i for i in range(row, len(lines)) if lines[i].startswith("  name@fr: "))
    lines.insert(name + 1, f"  name@ar: {ARABIC_NAME}\n")
    sheet.write_text("".join(lines), encoding="utf-8")
    return folder


def project_environment() -> dict[str, str]:
    """The environment without settings of its own, so that the project's openforum.toml
    decides; the test session's cache directory stays."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("OPENFORUM_LD_") or name == "OPENFORUM_LD_CACHE_DIR"
    }


def build(folder: Path) -> Path:
    """`openforum-ld build` run inside the project, as its README says; the site it wrote."""
    subprocess.run(
        [sys.executable, "-m", "openforum_ld", "build", "--quiet"],
        cwd=folder,
        env={**project_environment(), "SOURCE_DATE_EPOCH": "1606780800"},
        check=True,
    )
    return folder / "site"
