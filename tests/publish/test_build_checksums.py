"""A build writes the same bytes as the build it replaced: every file of a 10k build of the
benchmark's generated data has the checksum recorded before the build was made fast
(`tests/data/build-10k.sha256`, issue 18)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from ..conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path

RECORDED = ROOT / "tests" / "data" / "build-10k.sha256"
EPOCH = "1700000000"
#: What build.ttl records of a shapes file: its digest and size change when the shapes are edited,
#: and are left out of build.ttl's checksum (the rest of the file is compared byte for byte).
SHAPES_INPUT = re.compile(
    r'(schema:name "shapes/[^"]+" ;\n\s+schema:sha256 ")[0-9a-f]{64}(" ;\n\s+dcat:byteSize ")\d+(")'
)


def _recorded() -> dict[str, str]:
    sums: dict[str, str] = {}
    for line in RECORDED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, path = line.split("  ", 1)
            sums[path] = digest
    return sums


def _digest(root: Path, path: Path) -> str:
    content = path.read_bytes()
    if path == root / "build.ttl":
        masked, inputs = SHAPES_INPUT.subn(r"\1-\2-\3", content.decode("utf-8"))
        assert inputs == len(list((ROOT / "shapes").glob("*.ttl")))
        content = masked.encode("utf-8")
    return hashlib.sha256(content).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): _digest(root, p)
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] != ".server"
    }


@pytest.fixture(scope="module")
def built_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("build-10k")
    data = work / "d10000"  # the recorded build records its input files by this name
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(data), "--triples", "10000"],
        check=True,
        capture_output=True,
    )
    site = work / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = ["build", "--data", str(data), "--out", str(site), "--base-uri", LOCAL_BASE]
    result = subprocess.run(
        [sys.executable, "-m", "openforum_ld", *command, "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.slow
def test_every_file_of_the_recorded_build_is_written_with_the_same_bytes(built_10k: Path) -> None:
    recorded, written = _recorded(), _tree(built_10k)
    missing = sorted(set(recorded) - set(written))
    extra = sorted(set(written) - set(recorded))
    changed = sorted(
        path for path in set(recorded) & set(written) if recorded[path] != written[path]
    )
    assert not missing, f"{len(missing)} files no longer written, e.g. {missing[:5]}"
    assert not extra, f"{len(extra)} files not written before, e.g. {extra[:5]}"
    assert not changed, f"{len(changed)} files with other bytes, e.g. {changed[:5]}"
    assert len(recorded) > 7_000  # the whole site: pages, documents, dumps
